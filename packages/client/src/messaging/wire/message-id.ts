/**
 * Message ids as WA Web makes them (docs/protocol.md §7.1): `3EB0` and 18 uppercase hex digits, the
 * first 9 bytes of a SHA-256 over the time, the sender and 16 random bytes. Pure: the clock and the
 * randomness are the caller's.
 */
import { sha256 } from '@wakit/crypto';

/** The prefix every id from a WA Web (or wakit) client starts with. */
export const MESSAGE_ID_PREFIX = '3EB0';

/** Hash bytes kept in an id (18 hex digits). */
const ID_HASH_BYTES = 9;
const RANDOM_BYTES = 16;

/**
 * A new message id: `3EB0` + uppercase hex of the first 9 bytes of
 * SHA-256(unix seconds as 8 bytes BE ‖ `${ownUser}@c.us` ‖ random16) (whatsmeow `GenerateMessageID`,
 * whatsapp-rust `message_id_at`). With `ownUser` empty (not logged in yet) the user part is left
 * out, as whatsmeow does.
 *
 * Baileys' `generateMessageIDV2` hashes a fixed 44-byte buffer instead: the user and `@c.us` sit in
 * a 20-byte slot filled up with zero bytes, so its ids equal these only when `user@c.us` is exactly
 * 20 bytes long (a 15-digit user). Ids are opaque to every receiver, so either form works on the
 * wire; wakit follows whatsmeow and whatsapp-rust.
 *
 * @param ownUser  the user part of the own PN JID (`15551234567`, no device or server).
 * @param nowMs  the current time in milliseconds since the epoch (only whole seconds are hashed).
 * @param random16  16 fresh random bytes.
 * @throws RangeError when `random16` is not 16 bytes or `nowMs` is not a time at or after the epoch.
 * @example
 * generateMessageId('15551234567', Date.now(), crypto.randomBytes(16)); // '3EB0A1B2…' (22 chars)
 */
export function generateMessageId(ownUser: string, nowMs: number, random16: Uint8Array): string {
  if (!(random16 instanceof Uint8Array) || random16.length !== RANDOM_BYTES) {
    throw new RangeError(`"random16" expected Uint8Array of length 16, got length=${random16?.length}`);
  }
  if (!Number.isFinite(nowMs) || nowMs < 0) {
    throw new RangeError(`"nowMs" expected a time in milliseconds at or after the epoch, got ${nowMs}`);
  }
  const sender = ownUser === '' ? EMPTY : utf8.encode(`${ownUser}@c.us`);
  const input = new Uint8Array(8 + sender.length + RANDOM_BYTES);
  // Seconds as a 64-bit big-endian integer, in two 32-bit halves (no BigInt on every send).
  const seconds = Math.floor(nowMs / 1000);
  const view = new DataView(input.buffer);
  view.setUint32(0, Math.floor(seconds / 2 ** 32));
  view.setUint32(4, seconds >>> 0);
  input.set(sender, 8);
  input.set(random16, 8 + sender.length);
  const digest = sha256(input);
  let id = MESSAGE_ID_PREFIX;
  for (let i = 0; i < ID_HASH_BYTES; i++) id += HEX[digest[i]!];
  return id;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();
/** Uppercase hex of every byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
