/**
 * Frame encoding: `header? || 3-byte BE length || payload` in one allocation. The header is the
 * connection intro, sent only before the first frame of a connection (docs/protocol.md §1).
 */
import { assertBytes } from './_bytes';
import { checkFramePayloadLength, writeFrameLength } from './framing';
import { FRAME_LENGTH_SIZE } from './wa-constants';

/**
 * One frame: `header` (if any) then the 3-byte big-endian length of `payload`, then `payload`.
 * Throws `FrameTooLargeError` when the payload has 2^24 bytes or more.
 *
 * @example
 * ```ts
 * encodeFrame(Uint8Array.of(1, 2, 3));                  // 00 00 03 01 02 03
 * encodeFrame(clientHello, encodeIntro());              // 57 41 06 03 || length || clientHello
 * ```
 */
export function encodeFrame(payload: Uint8Array, header?: Uint8Array): Uint8Array {
  assertBytes('payload', payload);
  checkFramePayloadLength(payload.length);
  const headerLength = header === undefined ? 0 : header.length;
  const out = new Uint8Array(headerLength + FRAME_LENGTH_SIZE + payload.length);
  writeFrameLength(payload.length, out, headerLength);
  if (header !== undefined) out.set(header, 0);
  out.set(payload, headerLength + FRAME_LENGTH_SIZE);
  return out;
}

/**
 * Several frames laid out back to back in one buffer, for a single write.
 *
 * @example
 * ```ts
 * encodeFrames([Uint8Array.of(0xaa, 0xbb), Uint8Array.of(0xcc)]); // 00 00 02 aa bb 00 00 01 cc
 * ```
 */
export function encodeFrames(payloads: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const payload of payloads) {
    checkFramePayloadLength(payload.length);
    total += FRAME_LENGTH_SIZE + payload.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const payload of payloads) {
    writeFrameLength(payload.length, out, offset);
    out.set(payload, offset + FRAME_LENGTH_SIZE);
    offset += FRAME_LENGTH_SIZE + payload.length;
  }
  return out;
}
