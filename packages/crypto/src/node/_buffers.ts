/** Buffer -> Uint8Array at the node provider's boundary. Internal. */
import type { Buffer } from 'node:buffer';

/**
 * `buffer` as a plain `Uint8Array`, the only byte type the package hands out (docs/architecture.md: no
 * `Buffer` in results; `Buffer#slice` is a view where `Uint8Array#slice` copies, a trap for
 * callers). Zero-copy when the Buffer owns its whole ArrayBuffer, as node:crypto's outputs do;
 * copied otherwise, so a result never exposes a shared allocation pool through `.buffer`.
 */
export function toUint8(buffer: Buffer): Uint8Array {
  const backing = buffer.buffer;
  if (buffer.byteOffset === 0 && buffer.byteLength === backing.byteLength) {
    return new Uint8Array(backing, 0, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}
