/**
 * The sliver of the protobuf wire format the Signal messages and records need: varints up to 32
 * bits (64-bit ones are skipped when unknown) and length-delimited bytes. Hand-written rather than
 * generated because the messages are tiny, sit on the hot path of every message, and this package
 * must not depend on the protobuf runtime. Internal.
 *
 * Writers emit fields in the order they are called: callers write them in field-number order, which
 * is what libsignal's encoders do, so our bytes equal theirs.
 */
import type { ByteSlab } from '@wakit/crypto';
import { InvalidMessageError } from './errors';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/**
 * Scratch buffers for writers. Encoding is synchronous, so a buffer is only ever used by one writer
 * between its construction and `finish`; nested messages (encoded while their parent's writer is
 * open) take a second buffer from the pool. Buffers grow to the largest message written and are
 * reused, so steady-state encoding allocates only the result.
 */
const scratch: Uint8Array[] = [];
const SCRATCH_POOL_SIZE = 8;
const EMPTY = new Uint8Array(0);

/**
 * Accumulates one protobuf message in a scratch buffer: varints and bytes are written in place and
 * `finish` returns the one exact-size copy. (The first version kept a list of small arrays and
 * joined them: a dozen allocations per session record, 12% of a one-way chain message.) Byte 0 is
 * kept free for `finish`'s optional prefix. A writer is done after `finish`.
 */
export class ProtoWriter {
  private buffer: Uint8Array = scratch.pop() ?? new Uint8Array(512);
  private position = 1;

  /** @param slab where `finish` cuts its result from (`_byte-slabs.ts`): the kind of data written. */
  constructor(private readonly slab: ByteSlab) {}

  private ensure(extra: number): void {
    const needed = this.position + extra;
    if (needed <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.position));
    this.buffer = grown;
  }

  private varint(value: number): void {
    this.ensure(5);
    const buffer = this.buffer;
    let v = value >>> 0;
    while (v > 0x7f) {
      buffer[this.position++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buffer[this.position++] = v;
  }

  /** An unsigned 32-bit varint field. */
  uint32(field: number, value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`field ${field}: expected a uint32, got ${value}`);
    }
    this.varint((field << 3) | WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** A length-delimited bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.varint((field << 3) | WIRE_BYTES);
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
    return this;
  }

  /** Bytes as they are, with no tag or length (the contents of a list item, say). */
  raw(value: Uint8Array): this {
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
    return this;
  }

  /** A 4-byte big-endian number, with no tag (the length prefix of a record's list items). */
  uint32BigEndian(value: number): this {
    this.ensure(4);
    const buffer = this.buffer;
    const at = this.position;
    buffer[at] = value >>> 24;
    buffer[at + 1] = value >>> 16;
    buffer[at + 2] = value >>> 8;
    buffer[at + 3] = value;
    this.position += 4;
    return this;
  }

  /**
   * A length-delimited field `field` holding what `write(this, value)` writes: a nested message
   * encoded in place, where encoding it into its own array and copying that in would cost an
   * allocation per nested message (measured with the session record: ~5 allocations of more than 64
   * bytes per record, which V8 makes off-heap). The length is a varint, so one byte is reserved and
   * the contents move when it needs more: the bytes are the canonical ones. (A callback rather than
   * begin/end calls, so no field can be left open.)
   */
  nested<T>(field: number, write: (w: ProtoWriter, value: T) => void, value: T): this {
    this.varint((field << 3) | WIRE_BYTES);
    this.ensure(1);
    const at = this.position;
    this.position += 1;
    write(this, value);
    const length = this.position - at - 1;
    let size = 1;
    for (let v = length >>> 7; v > 0; v >>>= 7) size++;
    if (size > 1) {
      this.ensure(size - 1);
      this.buffer.copyWithin(at + size, at + 1, this.position);
      this.position += size - 1;
    }
    const buffer = this.buffer;
    let v = length;
    let i = at;
    while (v > 0x7f) {
      buffer[i++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buffer[i] = v;
    return this;
  }

  /** A list item holding what `write(this, value)` writes, prefixed by its length as 4 bytes big-endian. */
  item<T>(write: (w: ProtoWriter, value: T) => void, value: T): this {
    this.ensure(4);
    const at = this.position;
    this.position += 4;
    write(this, value);
    const length = this.position - at - 4;
    const buffer = this.buffer;
    buffer[at] = length >>> 24;
    buffer[at + 1] = length >>> 16;
    buffer[at + 2] = length >>> 8;
    buffer[at + 3] = length;
    return this;
  }

  /**
   * The encoded message (an exact-size array from the writer's slab), optionally after `prefix` (a
   * version byte) and followed by `spare` zero bytes for the caller to fill (a MAC), so that the
   * message and what ends it share one array.
   */
  finish(prefix?: number, spare = 0): Uint8Array {
    // Zero: a scratch buffer is wiped after use, and a grown one is fresh.
    this.ensure(spare);
    const buffer = this.buffer;
    if (prefix !== undefined) buffer[0] = prefix;
    const out = this.slab.copy(buffer.subarray(prefix === undefined ? 1 : 0, this.position + spare));
    // Secrets (chain and root keys) pass through these buffers: wipe what was written before reuse.
    buffer.fill(0, 0, this.position);
    if (scratch.length < SCRATCH_POOL_SIZE) scratch.push(buffer);
    this.buffer = EMPTY;
    this.position = 1;
    return out;
  }
}

/** One decoded field: a number for varints (uint32 range), bytes for length-delimited fields. */
export type ProtoValue = number | Uint8Array;

/**
 * Every known field of `bytes` into a map (the last occurrence wins, as protobuf specifies);
 * unknown fields are skipped. Malformed input throws `InvalidMessageError`, never anything else.
 *
 * @param what names the message in error messages (`SignalMessage`).
 */
export function readProto(bytes: Uint8Array, what: string): Map<number, ProtoValue> {
  const fields = new Map<number, ProtoValue>();
  let pos = 0;
  const fail = (why: string): never => {
    throw new InvalidMessageError(`${what}: ${why} at byte ${pos}`);
  };
  /** A varint; values beyond 32 bits come back as -1 (only valid for skipped fields). */
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= bytes.length) fail('truncated varint');
      const b = bytes[pos++]!;
      if (shift < 32) result += (b & 0x7f) * 2 ** shift;
      else if ((b & 0x7f) !== 0) result = -1;
      if ((b & 0x80) === 0) return result > 0xffffffff ? -1 : result;
    }
    return fail('varint longer than 10 bytes');
  };
  while (pos < bytes.length) {
    const key = varint();
    if (key < 0) fail('bad field key');
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 0) fail('field number 0');
    if (wire === WIRE_VARINT) {
      const value = varint();
      if (value >= 0) fields.set(field, value);
      else if (fields.has(field)) fields.delete(field);
    } else if (wire === WIRE_BYTES) {
      const length = varint();
      if (length < 0 || pos + length > bytes.length) fail('length beyond the end');
      fields.set(field, bytes.subarray(pos, pos + length));
      pos += length;
    } else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      pos += wire === WIRE_FIXED64 ? 8 : 4;
      if (pos > bytes.length) fail('truncated fixed field');
    } else {
      fail(`unsupported wire type ${wire}`);
    }
  }
  return fields;
}

/** A required varint field, or InvalidMessageError. */
export function requireUint(fields: Map<number, ProtoValue>, field: number, what: string): number {
  const value = fields.get(field);
  if (typeof value !== 'number') throw new InvalidMessageError(`${what}: missing or invalid field ${field}`);
  return value;
}

/** An optional varint field. */
export function optionalUint(
  fields: Map<number, ProtoValue>,
  field: number,
  what: string,
): number | undefined {
  const value = fields.get(field);
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new InvalidMessageError(`${what}: field ${field} must be a varint`);
  return value;
}

/** A required bytes field (optionally of an exact length), or InvalidMessageError. */
export function requireBytes(
  fields: Map<number, ProtoValue>,
  field: number,
  what: string,
  length?: number,
): Uint8Array {
  const value = fields.get(field);
  if (!(value instanceof Uint8Array))
    throw new InvalidMessageError(`${what}: missing or invalid field ${field}`);
  if (length !== undefined && value.length !== length) {
    throw new InvalidMessageError(`${what}: field ${field} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

/** An optional bytes field. */
export function optionalBytes(
  fields: Map<number, ProtoValue>,
  field: number,
  what: string,
): Uint8Array | undefined {
  const value = fields.get(field);
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array)) throw new InvalidMessageError(`${what}: field ${field} must be bytes`);
  return value;
}
