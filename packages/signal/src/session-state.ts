/**
 * One Double Ratchet session with one remote device, decoded (libsignal's `SessionState`), and the
 * limits that keep it bounded. States are values: the functions of this package never modify a
 * state or chain they were given, they build new ones that share the unchanged parts. That is what
 * lets a decrypt try the open session and then each archived one, and keep only what succeeded.
 *
 * Key forms: identity keys are the 33-byte serialized keys (0x05 || key, as the store holds them);
 * every other public key is the raw 32-byte X25519 key.
 */
import type { KeyPair } from '@wakit/crypto';

/**
 * Most skipped message keys kept per receiving chain; the oldest go first. libsignal's
 * `MAX_MESSAGE_KEYS` (2000): enough for any realistic gap within one chain (a chain lasts one turn
 * of the conversation), small enough that a record stays below ~80 KB per chain.
 */
export const MAX_MESSAGE_KEYS = 2000;

/**
 * Default for how far past the next expected counter a message may be (keys derived in one step).
 * 2000, like libsignal-node (`fillMessageKeys`) and WhatsApp Web (`signalFutureMessagesMax`, per
 * whatsapp-rust `consts.rs`): a forged message costs at most 2 x 2000 HMACs before its MAC fails,
 * and a peer that is further ahead than this is already undecryptable for those clients. Signal's
 * own libsignal allows 25,000; raise it per cipher with `SessionOptions.maxForwardJump`.
 */
export const MAX_FORWARD_JUMP = 2000;

/**
 * Receiving chains kept per session; the oldest go first. libsignal's `MAX_RECEIVER_CHAINS` (5): a
 * late message can still be read after up to four further turns of the conversation.
 */
export const MAX_RECEIVER_CHAINS = 5;

/**
 * Archived (closed or superseded) sessions kept per address, newest first. 40, like libsignal's
 * `ARCHIVED_STATES_MAX_LENGTH` and libsignal-node's `CLOSED_SESSIONS_MAX`, so messages that were in
 * flight when a peer re-established the session still decrypt.
 */
export const MAX_ARCHIVED_STATES = 40;

/** Our sending chain: our current ratchet key pair and the chain key of the next message. */
export interface SenderChain {
  readonly ratchetKeyPair: KeyPair;
  readonly chainKey: Uint8Array;
  /** The counter of the next message we send on this chain. */
  readonly index: number;
}

/** One of the peer's sending chains, as we receive it. */
export interface ReceiverChain {
  /** The peer's ratchet public key that names this chain. */
  readonly ratchetKey: Uint8Array;
  readonly chainKey: Uint8Array;
  /** The counter of the next message key the chain key yields. */
  readonly index: number;
  /**
   * Keys of skipped messages (counter < index, not yet received): counter -> message key seed
   * (HMAC(chainKey, 0x01)), in ascending counter order, so the first entry is the oldest.
   */
  readonly messageKeys: ReadonlyMap<number, Uint8Array>;
}

/** What a session started from a prekey bundle repeats in every message until the peer answers. */
export interface PendingPreKey {
  readonly preKeyId: number | undefined;
  readonly signedPreKeyId: number;
  /** Our X3DH base key (raw). */
  readonly baseKey: Uint8Array;
}

/** One session. */
export interface SessionState {
  readonly localIdentityKey: Uint8Array;
  readonly remoteIdentityKey: Uint8Array;
  readonly localRegistrationId: number;
  readonly remoteRegistrationId: number;
  /** Alice's X3DH base key: names the session (a `pkmsg` carries it). */
  readonly baseKey: Uint8Array;
  /** True when we are Alice (the base key is ours), false when the peer started the session. */
  readonly baseKeyIsOurs: boolean;
  readonly rootKey: Uint8Array;
  /** Counter of the last message on our previous sending chain (sent in every message). */
  readonly previousCounter: number;
  readonly senderChain: SenderChain;
  /** Oldest first, at most MAX_RECEIVER_CHAINS. */
  readonly receiverChains: readonly ReceiverChain[];
  readonly pendingPreKey: PendingPreKey | undefined;
}
