/**
 * The sliver of the protobuf wire format the Signal messages and records need: varints up to 32
 * bits (64-bit ones are skipped when unknown) and length-delimited bytes. Hand-written rather than
 * generated because the messages are tiny, sit on the hot path of every message, and this package
 * must not depend on the protobuf runtime. Internal.
 *
 * Writers emit fields in the order they are called: callers write them in field-number order, which
 * is what libsignal's encoders do, so our bytes equal theirs.
 */
import { InvalidMessageError } from './errors';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** Accumulates one protobuf message. */
export class ProtoWriter {
  private chunks: number[] = [];
  private parts: Uint8Array[] = [];
  private length = 0;

  private flush(): void {
    if (this.chunks.length === 0) return;
    const bytes = Uint8Array.from(this.chunks);
    this.parts.push(bytes);
    this.length += bytes.length;
    this.chunks = [];
  }

  private varint(value: number): void {
    let v = value >>> 0;
    while (v > 0x7f) {
      this.chunks.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.chunks.push(v);
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
    this.flush();
    this.parts.push(value);
    this.length += value.length;
    return this;
  }

  /** The encoded message, optionally after `prefix` (a version byte). */
  finish(prefix?: number): Uint8Array {
    this.flush();
    const out = new Uint8Array((prefix === undefined ? 0 : 1) + this.length);
    let offset = 0;
    if (prefix !== undefined) out[offset++] = prefix;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
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
