/**
 * The Double Ratchet on one session state (Signal's Double Ratchet spec §3, with libsignal's
 * message format): encrypt on the sending chain, decrypt on a receiving chain, a DH ratchet step
 * when the peer's ratchet key is new, and skipped message keys for late messages (§3.5, bounded as
 * `session-state.ts` explains). Pure: a state in, a new state out; the input is never modified.
 *
 * A decrypt computes everything first (chain keys, the MAC check, the plaintext) and builds the new
 * state only when all of it succeeded, so a failure anywhere leaves nothing behind. The sending
 * half of a DH ratchet step (a fresh ratchet key pair) is also only generated after the MAC
 * verified: a forged message costs no key generation.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { isDecryptError } from '@wakit/crypto';
import { copyBytes, equalBytes } from './_bytes';
import { encodePreKeySignalMessage } from './_prekey-signal-message';
import { deriveMessageKeys, ratchetRootKey, stepChainKey } from './_ratchet-kdf';
import { encodeSignalMessage, type SignalMessage, verifySignalMessageMac } from './_signal-message';
import { BadMacError, DuplicateMessageError, InvalidMessageError, TooFarInFutureError } from './errors';
import {
  MAX_MESSAGE_KEYS,
  MAX_RECEIVER_CHAINS,
  type ReceiverChain,
  type SessionState,
} from './session-state';

/** One encrypted message and the state after it. */
export interface StateEncryptResult {
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
  state: SessionState;
}

/**
 * Encrypts `plaintext` as the next message of our sending chain: a `pkmsg` while the peer has not
 * answered a session we started (it must learn our base key), a `msg` afterwards.
 */
export async function encryptWithState(
  state: SessionState,
  plaintext: Uint8Array,
  crypto: CryptoProvider,
): Promise<StateEncryptResult> {
  const chain = state.senderChain;
  const { messageKeySeed, nextChainKey } = stepChainKey(chain.chainKey);
  const keys = deriveMessageKeys(messageKeySeed);
  const body = await crypto.aesCbcEncrypt(keys.cipherKey, keys.iv, plaintext);
  const message = encodeSignalMessage(
    {
      ratchetKey: chain.ratchetKeyPair.publicKey,
      counter: chain.index,
      previousCounter: state.previousCounter,
      ciphertext: body,
    },
    keys.macKey,
    state.localIdentityKey,
    state.remoteIdentityKey,
  );
  const next: SessionState = {
    ...state,
    senderChain: { ...chain, chainKey: nextChainKey, index: chain.index + 1 },
  };
  const pending = state.pendingPreKey;
  if (pending === undefined) return { type: 'msg', ciphertext: message, state: next };
  const ciphertext = encodePreKeySignalMessage({
    preKeyId: pending.preKeyId,
    signedPreKeyId: pending.signedPreKeyId,
    baseKey: pending.baseKey,
    identityKey: state.localIdentityKey,
    registrationId: state.localRegistrationId,
    message,
  });
  return { type: 'pkmsg', ciphertext, state: next };
}

/** Message key seeds from `chainKey` (at `index`) up to and including `counter`. */
interface ChainAdvance {
  /** Seed of the message at `counter`. */
  seed: Uint8Array;
  /** Seeds of the messages in between, ascending, at most MAX_MESSAGE_KEYS (the newest). */
  skipped: [number, Uint8Array][];
  chainKey: Uint8Array;
  index: number;
}

function advanceChain(
  chainKey: Uint8Array,
  index: number,
  counter: number,
  maxForwardJump: number,
): ChainAdvance {
  if (counter - index > maxForwardJump) {
    throw new TooFarInFutureError(
      `message counter ${counter} is ${counter - index} past the next expected ${index} (limit ${maxForwardJump})`,
    );
  }
  const skipped: [number, Uint8Array][] = [];
  let key = chainKey;
  for (let i = index; i < counter; i++) {
    const step = stepChainKey(key);
    if (counter - i <= MAX_MESSAGE_KEYS) skipped.push([i, step.messageKeySeed]);
    key = step.nextChainKey;
  }
  const last = stepChainKey(key);
  return { seed: last.messageKeySeed, skipped, chainKey: last.nextChainKey, index: counter + 1 };
}

/** The message keys' MAC check and the AES-CBC decryption. */
async function open(
  state: SessionState,
  message: SignalMessage,
  seed: Uint8Array,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  const keys = deriveMessageKeys(seed);
  const macOk = verifySignalMessageMac(message, keys.macKey, state.remoteIdentityKey, state.localIdentityKey);
  if (!macOk) throw new BadMacError('message MAC does not verify');
  try {
    return await crypto.aesCbcDecrypt(keys.cipherKey, keys.iv, message.ciphertext);
  } catch (error) {
    // The MAC verified, so the peer itself encrypted badly (wrong length or padding).
    if (isDecryptError(error))
      throw new InvalidMessageError('authentic message with bad AES-CBC padding', { cause: error });
    throw error;
  }
}

/** `messageKeys` plus `added`, minus `removed`, trimmed to the newest MAX_MESSAGE_KEYS. */
function updateMessageKeys(
  messageKeys: ReadonlyMap<number, Uint8Array>,
  added: [number, Uint8Array][],
  removed?: number,
): ReadonlyMap<number, Uint8Array> {
  if (added.length === 0 && removed === undefined) return messageKeys;
  const next = new Map(messageKeys);
  if (removed !== undefined) next.delete(removed);
  for (const [counter, seed] of added) next.set(counter, seed);
  // Counters enter in ascending order, so the map's first entries are the oldest.
  for (const counter of next.keys()) {
    if (next.size <= MAX_MESSAGE_KEYS) break;
    next.delete(counter);
  }
  return next;
}

/** The plaintext of a decrypted message and the state after it. */
export interface StateDecryptResult {
  plaintext: Uint8Array;
  state: SessionState;
}

/**
 * Decrypts `message` with this state, or throws: DuplicateMessageError (the key was used),
 * TooFarInFutureError, BadMacError (not this session's message, or tampered), InvalidMessageError.
 */
export async function decryptWithState(
  state: SessionState,
  message: SignalMessage,
  maxForwardJump: number,
  crypto: CryptoProvider,
): Promise<StateDecryptResult> {
  const position = state.receiverChains.findIndex((chain) =>
    equalBytes(chain.ratchetKey, message.ratchetKey),
  );
  if (position >= 0) {
    const chain = state.receiverChains[position]!;
    let updated: ReceiverChain;
    let plaintext: Uint8Array;
    if (message.counter < chain.index) {
      const seed = chain.messageKeys.get(message.counter);
      if (seed === undefined) {
        // Used, or dropped as older than the MAX_MESSAGE_KEYS kept: libsignal reports both as duplicates.
        throw new DuplicateMessageError(`message key ${message.counter} of this chain was used or dropped`);
      }
      plaintext = await open(state, message, seed, crypto);
      updated = { ...chain, messageKeys: updateMessageKeys(chain.messageKeys, [], message.counter) };
    } else {
      const advance = advanceChain(chain.chainKey, chain.index, message.counter, maxForwardJump);
      plaintext = await open(state, message, advance.seed, crypto);
      updated = {
        ...chain,
        chainKey: advance.chainKey,
        index: advance.index,
        messageKeys: updateMessageKeys(chain.messageKeys, advance.skipped),
      };
    }
    const receiverChains = state.receiverChains.slice();
    receiverChains[position] = updated;
    return { plaintext, state: { ...state, receiverChains, pendingPreKey: undefined } };
  }

  // A new ratchet key from the peer: the receiving half of a DH ratchet step (Double Ratchet §3.5
  // DHRatchet), tentative until the MAC verifies.
  const receiving = await ratchetRootKey(
    state.rootKey,
    message.ratchetKey,
    state.senderChain.ratchetKeyPair.privateKey,
    crypto,
  );
  const advance = advanceChain(receiving.chainKey, 0, message.counter, maxForwardJump);
  const plaintext = await open(state, message, advance.seed, crypto);

  // Authentic: now the sending half, with our next ratchet key pair.
  const ratchetKeyPair = await crypto.generateKeyPair();
  const sending = await ratchetRootKey(
    receiving.rootKey,
    message.ratchetKey,
    ratchetKeyPair.privateKey,
    crypto,
  );
  const chain: ReceiverChain = {
    ratchetKey: copyBytes(message.ratchetKey),
    chainKey: advance.chainKey,
    index: advance.index,
    messageKeys: updateMessageKeys(new Map(), advance.skipped),
  };
  const receiverChains = [...state.receiverChains, chain].slice(-MAX_RECEIVER_CHAINS);
  return {
    plaintext,
    state: {
      ...state,
      rootKey: sending.rootKey,
      // libsignal: the counter of the last message sent on the chain we are leaving (0 if none).
      previousCounter: Math.max(state.senderChain.index - 1, 0),
      senderChain: { ratchetKeyPair, chainKey: sending.chainKey, index: 0 },
      receiverChains,
      pendingPreKey: undefined,
    },
  };
}
