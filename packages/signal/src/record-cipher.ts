/**
 * The pure layer under `SessionCipher`: encrypt and decrypt against a `SessionRecord` value and get
 * the new record back, for callers that persist in their own transaction (a SQL transaction that
 * also writes the message, a batch over many devices). Nothing here writes anywhere; the input
 * record is never modified, and on any error there is no new record at all.
 *
 * Trust is the caller's: these functions report the identity key that authenticated the message
 * (`remoteIdentityKey`) and whether a session was created, and `SessionCipher` shows how to apply
 * a trust policy to that. Persist the returned record before sending a ciphertext (encrypt), and
 * before deleting the used one-time prekey (`preKeyId`, decrypt of a `pkmsg`).
 *
 * An archived session that decrypts a message becomes the open one again, as in libsignal (Java
 * `SessionCipher.decrypt`, Rust `decrypt_message_with_record`): the peer is evidently still sending
 * on it, so our next message goes there too. (libsignal-node leaves it archived.)
 */
import type { KeyPair } from '@wakit/crypto';
import { equalBytes } from './_bytes';
import { decodePreKeySignalMessage, type PreKeySignalMessage } from './_prekey-signal-message';
import { decodeSignalMessage, type SignalMessage } from './_signal-message';
import {
  BadMacError,
  DuplicateMessageError,
  MissingPreKeyError,
  NoSessionError,
  TooFarInFutureError,
} from './errors';
import { decryptWithState, encryptWithState, type StateDecryptResult } from './ratchet';
import { type ResolvedSessionOptions, resolveSessionOptions, type SessionOptions } from './session-options';
import { SessionRecord } from './session-record';
import type { SessionState } from './session-state';
import { initializeBobSession } from './x3dh';

/** Our side of a session: identity key pair (raw keys) and registration id. */
export interface LocalIdentity {
  identityKeyPair: KeyPair;
  registrationId: number;
}

/** Read access to our prekeys, which `decryptPreKeyWithRecord` needs to start a session. */
export interface PreKeyLookup {
  loadPreKey(id: number): Promise<KeyPair | undefined>;
  loadSignedPreKey(id: number): Promise<KeyPair | undefined>;
}

/** An encrypted message, ready to be sent as `<enc type="pkmsg|msg">`. */
export interface EncryptedMessage {
  /** `pkmsg` until the peer has answered a session we started, then `msg`. */
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
  /** The remote device's registration id (libsignal-node returns it too). */
  registrationId: number;
}

/** Result of the record-level decrypt functions. */
export interface RecordDecryptResult {
  plaintext: Uint8Array;
  /**
   * The record to persist. When an archived session decrypted the message, that session is the open
   * one here and the previously open one is archived.
   */
  record: SessionRecord;
  /**
   * The identity key (33 bytes) of the session that decrypted the message: what trust applies to.
   * For a `pkmsg` it is also the identity the message carries (a message whose identity differs from
   * its session's is refused).
   */
  remoteIdentityKey: Uint8Array;
  /** True when an archived session decrypted it (and `record` made it the open one). */
  usedArchivedState: boolean;
  /**
   * When `usedArchivedState`: the record with that session advanced where it is, not promoted, for a
   * caller that will not make it the open one (`SessionCipher` persists this when the store does not
   * trust the session's identity and the policy accepts the message: a late message from a replaced
   * identity must not make us send to it again). Undefined otherwise.
   */
  unpromotedRecord: SessionRecord | undefined;
  /** True when a `pkmsg` started a new session, which is now the open one. */
  sessionCreated: boolean;
  /** The one-time prekey the new session used: delete it once the record is persisted. */
  preKeyId: number | undefined;
}

/**
 * Encrypts with the record's open session.
 *
 * @throws NoSessionError when there is no open session.
 * @example
 * const { message, record: next } = await encryptWithRecord(record, plaintext, { crypto });
 * await db.transaction(() => saveSession(address, next.serialize()));
 * send(message.type, message.ciphertext); // only after the new record is durable
 */
export async function encryptWithRecord(
  record: SessionRecord,
  plaintext: Uint8Array,
  options?: SessionOptions,
): Promise<{ message: EncryptedMessage; record: SessionRecord }> {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('"plaintext" expected a Uint8Array');
  const { crypto } = resolveSessionOptions(options);
  const state = record.current;
  if (state === undefined) throw new NoSessionError('no open session');
  const result = await encryptWithState(state, plaintext, crypto);
  return {
    message: { type: result.type, ciphertext: result.ciphertext, registrationId: state.remoteRegistrationId },
    record: record.replaceState(0, result.state),
  };
}

/** The result of the state at `position`, or undefined (its error kept) when it is not the one. */
async function attempt(
  record: SessionRecord,
  position: number,
  message: SignalMessage,
  { maxForwardJump, crypto }: ResolvedSessionOptions,
  errors: unknown[],
): Promise<RecordDecryptResult | undefined> {
  const state = record.stateAt(position);
  let result: StateDecryptResult;
  try {
    result = await decryptWithState(state, message, maxForwardJump, crypto);
  } catch (error) {
    if (
      error instanceof BadMacError ||
      error instanceof DuplicateMessageError ||
      error instanceof TooFarInFutureError
    ) {
      errors.push(error);
      return undefined;
    }
    throw error;
  }
  return existingSessionResult(record, position, result, state.remoteIdentityKey);
}

function knowsRatchetKey(state: SessionState, ratchetKey: Uint8Array): boolean {
  return state.receiverChains.some((chain) => equalBytes(chain.ratchetKey, ratchetKey));
}

/** The error to report when no state decrypted a message: the most specific one. */
function bestError(errors: unknown[]): unknown {
  return (
    errors.find((e) => e instanceof DuplicateMessageError) ??
    errors.find((e) => e instanceof TooFarInFutureError) ??
    errors[0]
  );
}

/**
 * Decrypts a `msg` with the open session or, failing that, an archived one (newest first), as
 * libsignal does: a peer may still be sending on a session we have since replaced. An archived
 * session that decrypts it is the open one in the returned `record`.
 *
 * @throws NoSessionError (no session at all), DuplicateMessageError, TooFarInFutureError,
 *   BadMacError, InvalidMessageError, UnsupportedVersionError; RecordFormatError when an archived
 *   state it had to try is corrupt (archived states of a deserialized record decode when used).
 */
export async function decryptWithRecord(
  record: SessionRecord,
  ciphertext: Uint8Array,
  options?: SessionOptions,
): Promise<RecordDecryptResult> {
  const resolved = resolveSessionOptions(options);
  const message = decodeSignalMessage(checkBytes(ciphertext));
  const count = record.stateCount;
  if (count === 0) throw new NoSessionError('no session to decrypt with');

  const errors: unknown[] = [];

  // A ratchet key is fresh randomness of one session: if a state knows it, the message is that
  // state's or nobody's, and the other states need not spend a DH and a chain walk on it. The open
  // state goes first, and is tried even when it does not know the key (that is a DH ratchet step,
  // the usual case), so the archived states, decoded only when used, are looked at only when the
  // open one could not decrypt the message.
  let first = 0;
  if (record.current !== undefined) {
    const result = await attempt(record, 0, message, resolved, errors);
    if (result !== undefined) return result;
    if (knowsRatchetKey(record.current, message.ratchetKey)) throw bestError(errors);
    first = 1;
  }
  let owner = -1;
  for (let position = first; position < count && owner < 0; position++) {
    if (knowsRatchetKey(record.stateAt(position), message.ratchetKey)) owner = position;
  }
  for (let position = owner >= 0 ? owner : first; position < count; position++) {
    const result = await attempt(record, position, message, resolved, errors);
    if (result !== undefined) return result;
    if (owner >= 0) break;
  }
  const error = bestError(errors);
  if (error instanceof BadMacError && errors.length > 1) {
    throw new BadMacError(`no session of ${errors.length} could decrypt the message`, { cause: error });
  }
  throw error;
}

/**
 * Decrypts a `pkmsg`. When a session with its base key exists (the peer has not seen our answer
 * yet), that session decrypts it, and is the open one in the returned `record` (promoted if it was
 * archived); otherwise X3DH builds a new session from our prekeys, which becomes the open one, the
 * previous open session being archived (libsignal-node `initIncoming`). Trust applies to the
 * identity the message carries, which `remoteIdentityKey` reports; `SessionCipher` asks the store
 * about it before decrypting, as libsignal does.
 *
 * @throws MissingPreKeyError when the signed or one-time prekey it names is not in `preKeys`;
 *   BadMacError also when the session its base key names has another identity than the message
 *   carries; and what `decryptWithRecord` throws.
 */
export async function decryptPreKeyWithRecord(
  record: SessionRecord | undefined,
  ciphertext: Uint8Array,
  local: LocalIdentity,
  preKeys: PreKeyLookup,
  options?: SessionOptions,
): Promise<RecordDecryptResult> {
  const resolved = resolveSessionOptions(options);
  const message = decodePreKeySignalMessage(checkBytes(ciphertext));
  return decryptDecodedPreKeyMessage(record, message, local, preKeys, resolved);
}

/**
 * `decryptPreKeyWithRecord` for a message already decoded (`SessionCipher` decodes it first, to ask
 * the store about its identity key before anything uses it). Internal.
 */
export async function decryptDecodedPreKeyMessage(
  record: SessionRecord | undefined,
  message: PreKeySignalMessage,
  local: LocalIdentity,
  preKeys: PreKeyLookup,
  resolved: ResolvedSessionOptions,
): Promise<RecordDecryptResult> {
  const current = record ?? new SessionRecord();
  const position = current.findPeerSession(message.baseKey);
  if (position < 0) return startSession(current, message, local, preKeys, resolved);
  const state = current.stateAt(position);
  // The identity a pkmsg carries is not covered by any MAC; the inner message's MAC covers the
  // session's identities. So a pkmsg that names a session by its base key but carries another
  // identity is not authentic for the identity it claims (a flipped byte, or a forgery): refuse it,
  // or trust would be judged on one key while the message was authenticated by another.
  if (!equalBytes(state.remoteIdentityKey, message.identityKey)) {
    throw new BadMacError('pkmsg identity key differs from the identity of the session its base key names');
  }
  const result = await decryptWithState(state, message.message, resolved.maxForwardJump, resolved.crypto);
  return existingSessionResult(current, position, result, state.remoteIdentityKey);
}

/** The result of a decrypt by the state at `states()[position]`: promoted if it was archived. */
function existingSessionResult(
  record: SessionRecord,
  position: number,
  result: StateDecryptResult,
  remoteIdentityKey: Uint8Array,
): RecordDecryptResult {
  const archived = record.current === undefined || position > 0;
  return {
    plaintext: result.plaintext,
    record: archived
      ? record.promoteArchivedState(position, result.state)
      : record.replaceState(position, result.state),
    remoteIdentityKey,
    usedArchivedState: archived,
    unpromotedRecord: archived ? record.replaceState(position, result.state) : undefined,
    sessionCreated: false,
    preKeyId: undefined,
  };
}

async function startSession(
  record: SessionRecord,
  message: PreKeySignalMessage,
  local: LocalIdentity,
  preKeys: PreKeyLookup,
  { crypto, maxForwardJump }: ResolvedSessionOptions,
): Promise<RecordDecryptResult> {
  const signedPreKey = await preKeys.loadSignedPreKey(message.signedPreKeyId);
  if (signedPreKey === undefined) throw new MissingPreKeyError(`no signed prekey ${message.signedPreKeyId}`);
  let oneTimePreKey: KeyPair | undefined;
  if (message.preKeyId !== undefined) {
    oneTimePreKey = await preKeys.loadPreKey(message.preKeyId);
    if (oneTimePreKey === undefined) throw new MissingPreKeyError(`no one-time prekey ${message.preKeyId}`);
  }
  const state = await initializeBobSession(
    {
      localIdentityKeyPair: local.identityKeyPair,
      localRegistrationId: local.registrationId,
      localSignedPreKey: signedPreKey,
      localOneTimePreKey: oneTimePreKey,
      remoteIdentityKey: message.identityKey,
      remoteRegistrationId: message.registrationId,
      remoteBaseKey: message.baseKey,
    },
    crypto,
  );
  const result = await decryptWithState(state, message.message, maxForwardJump, crypto);
  return {
    plaintext: result.plaintext,
    record: record.promoteState(result.state),
    remoteIdentityKey: message.identityKey,
    usedArchivedState: false,
    unpromotedRecord: undefined,
    sessionCreated: true,
    preKeyId: message.preKeyId,
  };
}

function checkBytes(ciphertext: Uint8Array): Uint8Array {
  if (!(ciphertext instanceof Uint8Array)) throw new TypeError('"ciphertext" expected a Uint8Array');
  return ciphertext;
}
