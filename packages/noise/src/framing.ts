/**
 * The frame format of the WhatsApp stream: a 3-byte big-endian length, then that many payload
 * bytes (docs/protocol.md §1; whatsapp-rust `wacore/noise/src/framing.rs`, whatsmeow
 * `socket/framesocket.go`). These two helpers are the whole format; the encoder and the decoder
 * build on them.
 */
import { FrameTooLargeError } from './errors';
import { FRAME_LENGTH_SIZE, FRAME_MAX_SIZE } from './wa-constants';

/**
 * Writes the 3-byte big-endian length of a `length`-byte payload at `out[offset..offset + 3]`.
 * Throws `FrameTooLargeError` when `length >= FRAME_MAX_SIZE` (WA Web: `if (t >= 1 << 24)`).
 *
 * @example
 * ```ts
 * const out = new Uint8Array(3);
 * writeFrameLength(74565, out); // out = 01 23 45
 * ```
 */
export function writeFrameLength(length: number, out: Uint8Array, offset = 0): void {
  checkFramePayloadLength(length);
  out[offset] = length >>> 16;
  out[offset + 1] = (length >>> 8) & 0xff;
  out[offset + 2] = length & 0xff;
}

/**
 * Throws `FrameTooLargeError` unless a payload of `length` bytes fits in one frame. Call it before
 * allocating the frame, so an oversized payload costs nothing.
 */
export function checkFramePayloadLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`frame length must be a non-negative integer, got ${length}`);
  }
  if (length >= FRAME_MAX_SIZE) {
    throw new FrameTooLargeError(`frame payload of ${length} bytes; the limit is ${FRAME_MAX_SIZE - 1}`);
  }
}

/** Reads the 3-byte big-endian length at `bytes[offset..offset + 3]` (the caller checks bounds). */
export function readFrameLength(bytes: Uint8Array, offset = 0): number {
  return (bytes[offset]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
}

/** Bytes a frame of a `payloadLength`-byte payload takes on the wire. */
export function frameSize(payloadLength: number): number {
  return FRAME_LENGTH_SIZE + payloadLength;
}
