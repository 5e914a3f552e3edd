/**
 * Small byte arrays cut from shared ArrayBuffers, as Node's pool does for `Buffer.allocUnsafe`.
 * V8 keeps a typed array of more than 64 bytes off its heap, and each such array costs CPU to
 * allocate and, later, to free: on Node 20 a 200-byte copy took 2.5 µs by `slice` and 0.22 µs from
 * a slab. A group send to 256 devices made several per device (the Signal message, the session
 * record, the store's copies), which was a quarter of its time.
 *
 * What it costs the caller: a result is a view. `byteOffset` and `byteLength` delimit it, and its
 * `.buffer` holds other results of the same slab, so hand `.buffer` alone to nothing. Each kind of
 * data gets its own slab (records holding keys never share one with wire messages), so a misused
 * `.buffer` can expose only data of the same kind. A view kept for long keeps its whole slab alive
 * (at most `slabSize` bytes per view, as with Node's pool). Arrays above `maxLength` are allocated
 * on their own. Results are zero-filled: a slab is fresh memory and each byte is handed out once.
 */
export class ByteSlab {
  readonly #slabSize: number;
  readonly #maxLength: number;
  #slab: ArrayBuffer;
  #offset = 0;

  /**
   * @param slabSize bytes per shared ArrayBuffer.
   * @param maxLength the longest array cut from a slab; longer ones get their own ArrayBuffer.
   */
  constructor(slabSize = 16 * 1024, maxLength = 2048) {
    if (!Number.isInteger(slabSize) || slabSize < 64)
      throw new RangeError(`slabSize ${slabSize} is below 64`);
    if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > slabSize) {
      throw new RangeError(`maxLength ${maxLength} must be in [0, slabSize]`);
    }
    this.#slabSize = slabSize;
    this.#maxLength = maxLength;
    this.#slab = new ArrayBuffer(slabSize);
  }

  /** A zero-filled array of `length` bytes. */
  alloc(length: number): Uint8Array {
    if (length > this.#maxLength) return new Uint8Array(length);
    if (this.#offset + length > this.#slabSize) {
      this.#slab = new ArrayBuffer(this.#slabSize);
      this.#offset = 0;
    }
    const out = new Uint8Array(this.#slab, this.#offset, length);
    // Next result 8-byte aligned, so any typed view of one stays possible.
    this.#offset += (length + 7) & ~7;
    return out;
  }

  /** A copy of `bytes` (sharing no memory with them). */
  copy(bytes: Uint8Array): Uint8Array {
    const out = this.alloc(bytes.length);
    out.set(bytes);
    return out;
  }
}
