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
 */
import type { KeyPair } from '@wakit/crypto';
import { sameBytes } from './_bytes';
import { decodePreKeySignalMessage, type PreKeySignalMessage } from './_prekey-signal-message';
import { decodeSignalMessage } from './_signal-message';
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
  /** The record to persist. */
  record: SessionRecord;
  /** The identity key (33 bytes) of the session that decrypted the message: what trust applies to. */
  remoteIdentityKey: Uint8Array;
  /** True when an archived session decrypted it (the open session is unchanged). */
  usedArchivedState: boolean;
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
 * libsignal does: a peer may still be sending on a session we have since replaced.
 *
 * @throws NoSessionError (no session at all), DuplicateMessageError, TooFarInFutureError,
 *   BadMacError, InvalidMessageError, UnsupportedVersionError.
 */
export async function decryptWithRecord(
  record: SessionRecord,
  ciphertext: Uint8Array,
  options?: SessionOptions,
): Promise<RecordDecryptResult> {
  const resolved = resolveSessionOptions(options);
  const message = decodeSignalMessage(checkBytes(ciphertext));
  const states = record.states();
  if (states.length === 0) throw new NoSessionError('no session to decrypt with');

  // A ratchet key is fresh randomness of one session: if a state knows it, the message is that
  // state's or nobody's, and the other states need not spend a DH and a chain walk on it.
  const owner = states.findIndex((state) =>
    state.receiverChains.some((chain) => sameBytes(chain.ratchetKey, message.ratchetKey)),
  );
  const candidates = owner >= 0 ? [owner] : states.map((_, i) => i);
  const errors: unknown[] = [];
  for (const position of candidates) {
    let result: StateDecryptResult;
    try {
      result = await decryptWithState(states[position]!, message, resolved.maxForwardJump, resolved.crypto);
    } catch (error) {
      if (
        error instanceof BadMacError ||
        error instanceof DuplicateMessageError ||
        error instanceof TooFarInFutureError
      ) {
        errors.push(error);
        continue;
      }
      throw error;
    }
    return {
      plaintext: result.plaintext,
      record: record.replaceState(position, result.state),
      remoteIdentityKey: states[position]!.remoteIdentityKey,
      usedArchivedState: isArchived(record, position),
      sessionCreated: false,
      preKeyId: undefined,
    };
  }
  const error = bestError(errors);
  if (error instanceof BadMacError && errors.length > 1) {
    throw new BadMacError(`no session of ${errors.length} could decrypt the message`, { cause: error });
  }
  throw error;
}

/**
 * Decrypts a `pkmsg`. When a session with its base key exists (the peer has not seen our answer
 * yet), that session decrypts it; otherwise X3DH builds a new session from our prekeys, which
 * becomes the open one, the previous open session being archived (libsignal-node `initIncoming`).
 *
 * @throws MissingPreKeyError when the signed or one-time prekey it names is not in `preKeys`; and
 *   what `decryptWithRecord` throws.
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
  const current = record ?? new SessionRecord();
  const position = current.findPeerSession(message.baseKey);
  if (position >= 0) {
    const state = current.states()[position]!;
    const result = await decryptWithState(state, message.message, resolved.maxForwardJump, resolved.crypto);
    return {
      plaintext: result.plaintext,
      record: current.replaceState(position, result.state),
      remoteIdentityKey: state.remoteIdentityKey,
      usedArchivedState: isArchived(current, position),
      sessionCreated: false,
      preKeyId: undefined,
    };
  }
  return startSession(current, message, local, preKeys, resolved);
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
    sessionCreated: true,
    preKeyId: message.preKeyId,
  };
}

function isArchived(record: SessionRecord, position: number): boolean {
  return record.current === undefined || position > 0;
}

function checkBytes(ciphertext: Uint8Array): Uint8Array {
  if (!(ciphertext instanceof Uint8Array)) throw new TypeError('"ciphertext" expected a Uint8Array');
  return ciphertext;
}
