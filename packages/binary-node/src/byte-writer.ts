/**
 * A growable byte buffer for the encoder. One instance is reused across `encodeNode` calls (the
 * encoder is synchronous and never re-entered), so steady-state encoding allocates only the
 * returned copy.
 */
import { writeUtf8 } from './utf8';

const INITIAL_CAPACITY = 4096;
/** Release a buffer that grew past this once the encode that needed it is done. */
const RETAIN_LIMIT = 1 << 20;

export class ByteWriter {
  private buf = new Uint8Array(INITIAL_CAPACITY);
  private pos = 0;

  /** Start a new output. */
  reset(): void {
    this.pos = 0;
  }

  /** Copy of everything written since reset(); shrinks an oversized scratch buffer. */
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    if (this.buf.length > RETAIN_LIMIT) this.buf = new Uint8Array(INITIAL_CAPACITY);
    this.pos = 0;
    return out;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  u8x2(first: number, second: number): void {
    this.ensure(2);
    this.buf[this.pos++] = first;
    this.buf[this.pos++] = second;
  }

  u16(value: number): void {
    this.u8x2(value >>> 8, value & 0xff);
  }

  u20(value: number): void {
    this.ensure(3);
    this.buf[this.pos++] = (value >>> 16) & 0x0f;
    this.buf[this.pos++] = (value >>> 8) & 0xff;
    this.buf[this.pos++] = value & 0xff;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buf[this.pos++] = value >>> 24;
    this.buf[this.pos++] = (value >>> 16) & 0xff;
    this.buf[this.pos++] = (value >>> 8) & 0xff;
    this.buf[this.pos++] = value & 0xff;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Write `s` as UTF-8; `byteLength` must be `utf8Length(s)`. */
  utf8(s: string, byteLength: number): void {
    this.ensure(byteLength);
    writeUtf8(s, byteLength, this.buf, this.pos);
    this.pos += byteLength;
  }
}
