/**
 * The random padding of a Signal plaintext (docs/protocol.md §6.3): the serialized `Message` is
 * followed by N bytes each equal to N. A receiver strips N = the last byte when the `<enc>` says
 * `v="2"` (the default, and what every client sends); `v="3"` carries no padding.
 */

/**
 * `plaintext` followed by N bytes of value N, N = (randomByte & 0x0f) + 1, uniform in 1..16 as
 * whatsapp-rust and Baileys draw it (whatsmeow draws 1..15; receivers accept either).
 */
export function padPlaintext(plaintext: Uint8Array, randomByte: number): Uint8Array {
  const n = (randomByte & 0x0f) + 1;
  const out = new Uint8Array(plaintext.length + n);
  out.set(plaintext);
  out.fill(n, plaintext.length);
  return out;
}

/**
 * `bytes` without its padding, or `undefined` when there is none to strip: empty input, N = 0, or
 * N longer than the input. Only the last byte is read, as the references do; the value of the other
 * padding bytes is not checked.
 */
export function unpadPlaintext(bytes: Uint8Array): Uint8Array | undefined {
  const n = bytes.at(-1);
  if (n === undefined || n === 0 || n > bytes.length) return undefined;
  return bytes.subarray(0, bytes.length - n);
}
