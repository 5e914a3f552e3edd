/**
 * What one sender in one group has given us (or, for our own name, what we send with): a short list
 * of sender-key states, newest first, each a chain at some iteration plus the message keys of
 * iterations skipped on the way there. Plain immutable data: every operation returns a new record and
 * leaves its input untouched, which is what lets a decrypt fail without a trace. The byte form a
 * store keeps is in `sender-key-record-codec.ts`.
 *
 * Limits (libsignal's, kept by libsignal-java, whatsapp-rust `consts.rs` and Baileys alike):
 * 5 states per record, 2,000 skipped message keys per state, 2,000 iterations per forward jump.
 */

import { equalBytes } from './_bytes';

/** States a record keeps; the oldest is dropped when a sixth arrives (libsignal `MAX_SENDER_KEY_STATES`). */
export const SENDER_KEY_MAX_STATES = 5;
/**
 * Skipped message keys one state keeps, oldest dropped first (libsignal `MAX_MESSAGE_KEYS`). A
 * message whose key was dropped is refused as a duplicate, as libsignal does.
 */
export const SENDER_KEY_MAX_SKIPPED_KEYS = 2000;
/**
 * How far ahead of its chain a message may be, in iterations (libsignal and WA Web's
 * `signalFutureMessagesMax`): further means deriving thousands of keys for one unverified jump.
 */
export const SENDER_KEY_MAX_FORWARD_ITERATIONS = 2000;
/** The last iteration a chain can serve: iterations are uint32 on the wire and in the record. */
export const SENDER_KEY_MAX_ITERATION = 0xffffffff;

/** The message key of an iteration that was skipped, kept as its seed (libsignal does the same). */
export interface SkippedMessageKey {
  readonly iteration: number;
  /** HMAC-SHA256(chain key of `iteration`, 0x01), 32 bytes. */
  readonly seed: Uint8Array;
}

/** One sender-key chain. */
export interface SenderKeyState {
  /** The sender-key id (chain id) messages name it by. */
  readonly keyId: number;
  /** The iteration `chainKey` serves: the next one to encrypt, or the lowest not yet received. */
  readonly iteration: number;
  /** The 32-byte chain key at `iteration`. */
  readonly chainKey: Uint8Array;
  /** Raw 32-byte signing public key. */
  readonly signingKey: Uint8Array;
  /** Raw 32-byte signing private key: present in our own states only. */
  readonly signingPrivateKey?: Uint8Array;
  /** Keys of skipped iterations below `iteration`, in ascending order. */
  readonly skippedKeys: readonly SkippedMessageKey[];
}

/** The states of one sender key name, newest (the one encrypt uses) first. */
export interface SenderKeyRecord {
  readonly states: readonly SenderKeyState[];
}

/** A record with no state, what a store holds before any SKDM. */
export function emptySenderKeyRecord(): SenderKeyRecord {
  return { states: [] };
}

/** The state messages with `keyId` decrypt under, if the record has it. */
export function findSenderKeyState(record: SenderKeyRecord, keyId: number): SenderKeyState | undefined {
  return record.states.find((state) => state.keyId === keyId);
}

/**
 * `record` with `state` as its newest state, the rule libsignal applies to every incoming SKDM
 * (whatsapp-rust `SenderKeyRecord::add_sender_key_state`): a state already there with the same key
 * id and signing key is kept as it is and moved to the front (so an SKDM delivered twice, or
 * replayed, never rewinds a chain and never re-opens its used keys); a state with the same key id but
 * another signing key is replaced; the oldest states beyond five are dropped.
 */
export function addSenderKeyState(record: SenderKeyRecord, state: SenderKeyState): SenderKeyRecord {
  const existing = record.states.find(
    (s) => s.keyId === state.keyId && equalBytes(s.signingKey, state.signingKey),
  );
  const others = record.states.filter((s) => s.keyId !== state.keyId);
  return { states: [existing ?? state, ...others].slice(0, SENDER_KEY_MAX_STATES) };
}

/** `record` with `updated` in place of the state with the same key id (not moved). */
export function replaceSenderKeyState(record: SenderKeyRecord, updated: SenderKeyState): SenderKeyRecord {
  return { states: record.states.map((s) => (s.keyId === updated.keyId ? updated : s)) };
}
