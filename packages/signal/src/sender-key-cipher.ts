/**
 * Group encryption and decryption with sender keys, as pure functions: a record and a message in,
 * a new record and the result out, the input record untouched. `GroupCipher` wraps them with a store;
 * call these directly to batch or transact persistence yourself, under the same rule: persist the
 * returned record before the ciphertext leaves (encrypt), and keep the old record when a call throws
 * (decrypt; there is nothing else to undo).
 *
 * The algorithm is libsignal's `group_encrypt` / `group_decrypt` (whatsapp-rust
 * `wacore/libsignal/src/protocol/group_cipher.rs`): the signature is checked before any key is
 * derived, so an unsigned message can neither advance a chain nor make us derive 2,000 keys.
 */
import { type CryptoProvider, isDecryptError, nobleCrypto } from '@wakit/crypto';
import { expandMessageSeed, stepChain } from './_sender-key-kdf';
import {
  BadMacError,
  DuplicateMessageError,
  InvalidMessageError,
  NoSenderKeyError,
  TooFarInFutureError,
} from './errors';
import { decodeSenderKeyMessage, encodeSenderKeyMessage } from './sender-key-message';
import {
  findSenderKeyState,
  replaceSenderKeyState,
  SENDER_KEY_MAX_FORWARD_ITERATIONS,
  SENDER_KEY_MAX_ITERATION,
  SENDER_KEY_MAX_SKIPPED_KEYS,
  type SenderKeyRecord,
  type SenderKeyState,
  type SkippedMessageKey,
} from './sender-key-record';

/** Options of the sender-key functions and classes. */
export interface SenderKeyOptions {
  /** The crypto provider; `nobleCrypto` unless given (pass `nodeCrypto` on Node for speed). */
  crypto?: CryptoProvider;
}

/** What `groupEncrypt` returns. */
export interface GroupEncryptResult {
  /** The record with the chain advanced past the iteration just used: persist it first. */
  readonly record: SenderKeyRecord;
  /** The `skmsg` bytes. */
  readonly ciphertext: Uint8Array;
}

/** What `groupDecrypt` returns. */
export interface GroupDecryptResult {
  /** The record with the message key consumed (and any skipped keys kept). */
  readonly record: SenderKeyRecord;
  readonly plaintext: Uint8Array;
}

/**
 * Encrypts `plaintext` under the record's current state (its newest, which must be our own: it needs
 * the signing private key) at the state's iteration, and advances the chain by one.
 *
 * @throws NoSenderKeyError when the record is empty or its current state is not ours.
 * @example
 * const { record: next, ciphertext } = await groupEncrypt(record, plaintext, { crypto });
 * await persist(next); // before `ciphertext` reaches the wire
 */
export async function groupEncrypt(
  record: SenderKeyRecord | undefined,
  plaintext: Uint8Array,
  options: SenderKeyOptions = {},
): Promise<GroupEncryptResult> {
  const crypto = options.crypto ?? nobleCrypto;
  const state = record?.states[0];
  if (record === undefined || state === undefined)
    throw new NoSenderKeyError('no sender key to encrypt with');
  if (state.signingPrivateKey === undefined) {
    throw new NoSenderKeyError(`sender key ${state.keyId} was received, not created here: it cannot encrypt`);
  }
  if (state.iteration === SENDER_KEY_MAX_ITERATION) {
    // Unreachable in practice (2^32 messages); the chain cannot move on, so the key must be rotated.
    throw new RangeError(`sender key ${state.keyId} has used its last iteration; rotate it`);
  }
  const step = stepChain(state.chainKey);
  const key = expandMessageSeed(step.messageSeed);
  const body = await crypto.aesCbcEncrypt(key.cipherKey, key.iv, plaintext);
  const ciphertext = await encodeSenderKeyMessage(
    state.keyId,
    state.iteration,
    body,
    state.signingPrivateKey,
    crypto,
  );
  const advanced: SenderKeyState = { ...state, iteration: state.iteration + 1, chainKey: step.nextChainKey };
  return { record: replaceSenderKeyState(record, advanced), ciphertext };
}

/** The seed of `iteration`'s message key, and the state with that key used up. */
function takeMessageSeed(
  state: SenderKeyState,
  iteration: number,
): { seed: Uint8Array; state: SenderKeyState } {
  if (iteration < state.iteration) {
    const index = state.skippedKeys.findIndex((key) => key.iteration === iteration);
    if (index < 0) {
      // Used already, or skipped so long ago that its key was dropped: libsignal says duplicate too.
      throw new DuplicateMessageError(`sender key ${state.keyId}: iteration ${iteration} is already used`);
    }
    const skippedKeys = state.skippedKeys.filter((_, i) => i !== index);
    return { seed: state.skippedKeys[index]!.seed, state: { ...state, skippedKeys } };
  }
  if (iteration - state.iteration > SENDER_KEY_MAX_FORWARD_ITERATIONS) {
    throw new TooFarInFutureError(
      `sender key ${state.keyId}: iteration ${iteration} is ${iteration - state.iteration} ahead of ${state.iteration}, at most ${SENDER_KEY_MAX_FORWARD_ITERATIONS}`,
    );
  }
  if (iteration === SENDER_KEY_MAX_ITERATION) {
    throw new InvalidMessageError(
      `sender key ${state.keyId}: iteration ${iteration} would exhaust the chain`,
    );
  }
  const skipped: SkippedMessageKey[] = [];
  let chainKey = state.chainKey;
  for (let i = state.iteration; i < iteration; i++) {
    const step = stepChain(chainKey);
    skipped.push({ iteration: i, seed: step.messageSeed });
    chainKey = step.nextChainKey;
  }
  const step = stepChain(chainKey);
  const skippedKeys =
    skipped.length === 0
      ? state.skippedKeys
      : [...state.skippedKeys, ...skipped].slice(-SENDER_KEY_MAX_SKIPPED_KEYS);
  return {
    seed: step.messageSeed,
    state: { ...state, iteration: iteration + 1, chainKey: step.nextChainKey, skippedKeys },
  };
}

/**
 * Verifies and decrypts an `skmsg` with the state its key id names. Messages of one sender may arrive
 * in any order within `SENDER_KEY_MAX_FORWARD_ITERATIONS` of the chain; keys skipped on the way are
 * kept (up to `SENDER_KEY_MAX_SKIPPED_KEYS`) for the late ones.
 *
 * @throws NoSenderKeyError when no state has the message's key id (ask the sender for an SKDM);
 * BadMacError when the signature does not verify; DuplicateMessageError when the iteration's key is
 * used (or dropped); TooFarInFutureError beyond the forward limit; InvalidMessageError or
 * UnsupportedVersionError when the message is malformed or its ciphertext does not decrypt.
 */
export async function groupDecrypt(
  record: SenderKeyRecord | undefined,
  skmsg: Uint8Array,
  options: SenderKeyOptions = {},
): Promise<GroupDecryptResult> {
  const crypto = options.crypto ?? nobleCrypto;
  const message = decodeSenderKeyMessage(skmsg);
  const state = record === undefined ? undefined : findSenderKeyState(record, message.keyId);
  if (record === undefined || state === undefined) {
    const known = record?.states.map((s) => s.keyId).join(', ') || 'none';
    throw new NoSenderKeyError(`no sender key with id ${message.keyId} (known: ${known})`);
  }
  if (!(await crypto.verify(state.signingKey, message.signed, message.signature))) {
    throw new BadMacError(`sender key ${state.keyId}: the message signature does not verify`);
  }
  const taken = takeMessageSeed(state, message.iteration);
  const key = expandMessageSeed(taken.seed);
  let plaintext: Uint8Array;
  try {
    plaintext = await crypto.aesCbcDecrypt(key.cipherKey, key.iv, message.ciphertext);
  } catch (cause) {
    if (!isDecryptError(cause)) throw cause;
    throw new InvalidMessageError(`sender key ${state.keyId}: the ciphertext does not decrypt`, { cause });
  }
  return { record: replaceSenderKeyState(record, taken.state), plaintext };
}
