/**
 * A forward cursor over protobuf bytes, for the decoder on the hot path of every message (the
 * session record, read back from the store each time a store hands out a copy): it switches on
 * field numbers as it goes, where `readProto` collects every field into a map first, and hands out
 * length-delimited fields as views (`subarray`), where the map's callers copy each one. What that
 * and the rest of the record work bought is measured in `session-record-codec.ts`. Internal.
 *
 * Malformed input goes to `fail`, which must throw: the caller decides what the bytes were (a
 * stored record: RecordFormatError; wire bytes: InvalidMessageError), so nothing but that error
 * ever leaves the decoder.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** Reads `bytes` from a position up to ends its caller passes (a message, or a nested one). */
export class ProtoCursor {
  /** Index of the next unread byte. */
  pos: number;
  /** Wire type of the field whose key `next` read last. */
  private wire = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: (why: string) => never,
    start = 0,
  ) {
    this.pos = start;
  }

  /** A varint; values that need more than 32 bits are refused (no field this cursor reads has them). */
  private varint(end: number): number {
    const bytes = this.bytes;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= end) return this.fail(`truncated varint at byte ${this.pos}`);
      const b = bytes[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
    }
    return this.fail(`varint beyond 32 bits before byte ${this.pos}`);
  }

  /** The next field's number (its wire type kept for the value's read), or 0 at `end`. */
  next(end: number): number {
    if (this.pos >= end) return 0;
    const key = this.varint(end);
    const field = Math.floor(key / 8);
    if (field === 0) this.fail(`field number 0 before byte ${this.pos}`);
    this.wire = key & 7;
    return field;
  }

  /** The current field's value as a uint32; the field must be a varint. */
  uint32(end: number, field: number): number {
    if (this.wire !== WIRE_VARINT) this.fail(`field ${field} is not a varint`);
    return this.varint(end);
  }

  /** Where the current length-delimited field's contents end; the cursor moves to their start. */
  nested(end: number, field: number): number {
    if (this.wire !== WIRE_BYTES) this.fail(`field ${field} is not length-delimited`);
    const length = this.varint(end);
    if (this.pos + length > end) this.fail(`field ${field}: length beyond the end`);
    return this.pos + length;
  }

  /** The current length-delimited field's contents, as a view of `bytes`. */
  view(end: number, field: number): Uint8Array {
    const stop = this.nested(end, field);
    const view = this.bytes.subarray(this.pos, stop);
    this.pos = stop;
    return view;
  }

  /** A 4-byte big-endian number (the length prefix of a list item). */
  uint32BigEndian(end: number): number {
    const at = this.pos;
    if (at + 4 > end) this.fail(`truncated list item length at byte ${at}`);
    const bytes = this.bytes;
    this.pos = at + 4;
    return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
  }

  /** Skips a varint without interpreting it: an unknown one may have 64 bits. */
  private skipVarint(end: number, field: number): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.fail(`truncated varint at byte ${this.pos}`);
      if ((this.bytes[this.pos++]! & 0x80) === 0) return;
    }
    this.fail(`varint longer than 10 bytes in field ${field}`);
  }

  /** Skips the current field's value (an unknown field: later formats may add some). */
  skip(end: number, field: number): void {
    switch (this.wire) {
      case WIRE_VARINT:
        this.skipVarint(end, field);
        return;
      case WIRE_BYTES:
        this.pos = this.nested(end, field);
        return;
      case WIRE_FIXED64:
      case WIRE_FIXED32:
        this.pos += this.wire === WIRE_FIXED64 ? 8 : 4;
        if (this.pos > end) this.fail(`truncated fixed field ${field}`);
        return;
      default:
        this.fail(`unsupported wire type ${this.wire} in field ${field}`);
    }
  }
}
