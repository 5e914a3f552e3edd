/**
 * Plaintext padding of 1:1 and group messages (docs/protocol.md §6.3): the serialized `Message` is
 * followed by N bytes each equal to N, so ciphertext lengths do not give away the exact size.
 * `<enc v="2">` (the default, and what every reference sends) is padded; `v="3"` is not.
 */
import { MessageDecodeError } from '../../errors';

/** The most padding bytes a sender adds (and so the largest N a receiver sees from a real client). */
export const MAX_PADDING = 16;

/**
 * `plaintext` followed by N bytes of value N, N = (randomByte() & 0x0f) + 1: uniform in 1..16 when
 * `randomByte` is a uniform byte (docs/protocol.md §6.3: whatsapp-rust and Baileys). whatsmeow draws
 * 1..15 (0 becomes 15), the DISAGREE of §6.3; whatsapp-rust's notes say WA Web draws `rand % 16 + 1`
 * and that the 1..15 form was skewed, so wakit follows the majority.
 *
 * @param randomByte  a source of random bytes (0..255); only its low four bits are used.
 * @example
 * padPlaintext(encodeMessage({ conversation: 'hi' }), () => crypto.randomBytes(1)[0]!);
 */
export function padPlaintext(plaintext: Uint8Array, randomByte: () => number): Uint8Array {
  const n = (randomByte() & 0x0f) + 1;
  const out = new Uint8Array(plaintext.length + n);
  out.set(plaintext);
  out.fill(n, plaintext.length);
  return out;
}

/**
 * The plaintext without its padding: a view of `bytes` without its last N bytes, N = the last
 * byte. With `v = '3'` the bytes are returned as they are (that version is unpadded); every other
 * version is treated as padded, as whatsmeow and whatsapp-rust do.
 *
 * Every padding byte must equal N (whatsmeow `isValidPadding`, whatsapp-rust
 * `unpadded_message_len`); Baileys' `unpadRandomMax16` checks only N itself. A sender that pads as
 * §6.3 says passes both, so the stricter check only refuses plaintexts no client writes.
 *
 * @throws MessageDecodeError when `bytes` is empty, N is 0, N exceeds the length, or a padding
 *   byte differs from N (the plaintext came from the peer: RemoteProtocolError).
 */
export function unpadPlaintext(bytes: Uint8Array, v = '2'): Uint8Array {
  if (v === '3') return bytes;
  if (bytes.length === 0)
    throw new MessageDecodeError('the decrypted plaintext is empty: no padding to strip');
  const n = bytes[bytes.length - 1]!;
  if (n === 0) throw new MessageDecodeError('the plaintext padding length is 0');
  if (n > bytes.length) {
    throw new MessageDecodeError(
      `the plaintext padding length is ${n} but the plaintext has ${bytes.length} bytes`,
    );
  }
  for (let i = bytes.length - n; i < bytes.length - 1; i++) {
    if (bytes[i] !== n) {
      throw new MessageDecodeError(`the plaintext padding holds ${bytes[i]} where ${n} was expected`);
    }
  }
  return bytes.subarray(0, bytes.length - n);
}
