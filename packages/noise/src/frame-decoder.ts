/**
 * Sans-IO frame reassembly: push whatever the socket delivered, get back every frame it completed.
 * One WebSocket message may hold several frames or a piece of one (docs/protocol.md §1), so the decoder
 * keeps the unfinished frame between pushes.
 *
 * Memory rules this file keeps:
 * - it never holds more than one unfinished frame (at most 3 + `maxFrameSize` bytes);
 * - it never keeps a reference to a pushed chunk after `push` returns (the unfinished tail is
 *   copied), so callers may reuse their read buffers;
 * - a length prefix is a claim, not evidence: the buffer grows with the bytes that arrived (at most
 *   doubling), never straight to the announced size, so 3 bytes announcing 16 MiB pin ~1 KiB
 *   (whatsapp-rust `framing.rs` `MAX_EAGER_RESERVE` reasons the same way).
 */
import { FrameTooLargeError } from './errors';
import { readFrameLength } from './framing';
import { FRAME_LENGTH_SIZE, FRAME_MAX_PAYLOAD_SIZE } from './wa-constants';

const EMPTY = new Uint8Array(0);
/** Smallest buffer allocated for an unfinished frame: small frames then need a single allocation. */
const MIN_BUFFER_SIZE = 1024;

export interface FrameDecoderOptions {
  /**
   * Largest payload accepted, in bytes; a longer announced frame throws `FrameTooLargeError`.
   * Defaults to 2^24 - 1, the most a 3-byte length can say. Servers lower it to bound per-connection memory.
   */
  maxFrameSize?: number;
}

/**
 * Splits a byte stream into frame payloads (3-byte big-endian length, then the payload).
 *
 * Returned frames are views: into the chunk just pushed when a frame lies wholly inside it, or into
 * a buffer the decoder hands over and never touches again. Copy a frame before reusing the memory
 * of the chunk it came from.
 *
 * After a `FrameTooLargeError` the stream is out of sync, so every later `push` throws it again.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder();
 * decoder.push(Uint8Array.of(0, 0, 5, 1, 2)); // []: the frame is not complete yet
 * decoder.push(Uint8Array.of(3, 4, 5));       // [Uint8Array [1, 2, 3, 4, 5]]
 * ```
 */
export class FrameDecoder {
  /** Largest payload accepted, in bytes. */
  readonly maxFrameSize: number;
  #buffer: Uint8Array = EMPTY;
  #length = 0;
  /** Total size (prefix + payload) of the unfinished frame once its prefix is known, else -1. */
  #needed = -1;
  #failure: FrameTooLargeError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameSize ?? FRAME_MAX_PAYLOAD_SIZE;
    if (!Number.isSafeInteger(max) || max < 0 || max > FRAME_MAX_PAYLOAD_SIZE) {
      throw new RangeError(
        `"maxFrameSize" expected an integer in [0, ${FRAME_MAX_PAYLOAD_SIZE}], got ${max}`,
      );
    }
    this.maxFrameSize = max;
  }

  /** Bytes of the unfinished frame held until more arrive (0 between frames). */
  get bufferedBytes(): number {
    return this.#length;
  }

  /** Bytes of memory the decoder holds for the unfinished frame (at least `bufferedBytes`). */
  get retainedBytes(): number {
    return this.#buffer.length;
  }

  /**
   * Feeds the next bytes of the stream; returns the frames they complete, in order (often none).
   * Throws `FrameTooLargeError` when a frame announces more than `maxFrameSize` bytes.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failure !== undefined) throw this.#failure;
    const frames: Uint8Array[] = [];
    let offset = 0;
    if (this.#length > 0) {
      offset = this.#finishPending(chunk, frames);
      if (offset < 0) return frames;
    }
    this.#drain(chunk, offset, frames);
    return frames;
  }

  /**
   * Completes the buffered frame from the head of `chunk`. Returns how much of `chunk` it used, or
   * -1 when the chunk ran out first.
   */
  #finishPending(chunk: Uint8Array, frames: Uint8Array[]): number {
    let offset = 0;
    if (this.#needed < 0) {
      offset = Math.min(FRAME_LENGTH_SIZE - this.#length, chunk.length);
      this.#append(chunk, 0, offset);
      if (this.#length < FRAME_LENGTH_SIZE) return -1;
      this.#needed = FRAME_LENGTH_SIZE + this.#checked(readFrameLength(this.#buffer, 0));
    }
    const take = Math.min(this.#needed - this.#length, chunk.length - offset);
    this.#append(chunk, offset, take);
    offset += take;
    if (this.#length < this.#needed) return -1;
    // Hand the buffer over with the frame: the next unfinished frame gets a fresh one.
    frames.push(this.#buffer.subarray(FRAME_LENGTH_SIZE, this.#needed));
    this.#buffer = EMPTY;
    this.#length = 0;
    this.#needed = -1;
    return offset;
  }

  /** Splits whole frames out of `chunk` without copying; buffers the unfinished tail. */
  #drain(chunk: Uint8Array, offset: number, frames: Uint8Array[]): void {
    const end = chunk.length;
    while (end - offset >= FRAME_LENGTH_SIZE) {
      const length = this.#checked(readFrameLength(chunk, offset));
      const frameEnd = offset + FRAME_LENGTH_SIZE + length;
      if (frameEnd > end) {
        this.#needed = FRAME_LENGTH_SIZE + length;
        break;
      }
      frames.push(chunk.subarray(offset + FRAME_LENGTH_SIZE, frameEnd));
      offset = frameEnd;
    }
    if (offset < end) this.#append(chunk, offset, end - offset);
  }

  #checked(length: number): number {
    if (length > this.maxFrameSize) {
      this.#failure = new FrameTooLargeError(
        `received a frame announcing ${length} bytes; the limit is ${this.maxFrameSize}`,
      );
      throw this.#failure;
    }
    return length;
  }

  /** Copies `chunk[start, start + count)` after the buffered bytes, growing the buffer at most 2x. */
  #append(chunk: Uint8Array, start: number, count: number): void {
    const required = this.#length + count;
    if (required > this.#buffer.length) {
      // Up to the frame's announced size when known, but never more than twice what arrived.
      const limit = this.#needed > 0 ? this.#needed : required;
      const grown = Math.max(required, 2 * this.#buffer.length, MIN_BUFFER_SIZE);
      const next = new Uint8Array(Math.max(required, Math.min(limit, grown)));
      next.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = next;
    }
    this.#buffer.set(chunk.subarray(start, start + count), this.#length);
    this.#length = required;
  }
}
