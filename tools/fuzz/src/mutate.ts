/**
 * Byte-level mutations in the manner of AFL's havoc stage: a valid input gets one to four stacked
 * edits. The interesting values are the ones that break length and tag logic: 0, 1, the signed and
 * unsigned edges of a byte, protobuf varint continuation bytes, and the binary-node list and binary
 * tokens (0xf8-0xfe, docs/protocol.md §3).
 */
import type { Rng } from './rng';

const INTERESTING_BYTES = [
  0x00, 0x01, 0x02, 0x05, 0x10, 0x33, 0x7f, 0x80, 0x81, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
];
const INTERESTING_WORDS = [
  0x0000_0000, 0x0000_0100, 0x0000_ffff, 0x00ff_ffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
];

type Mutator = (input: Uint8Array, rng: Rng, corpus: readonly Uint8Array[]) => Uint8Array;

const withByte = (input: Uint8Array, at: number, value: number): Uint8Array => {
  const out = input.slice();
  out[at] = value;
  return out;
};

const MUTATORS: readonly Mutator[] = [
  // Flip one bit.
  (input, rng) => {
    if (input.length === 0) return input;
    const at = rng.below(input.length);
    return withByte(input, at, input[at]! ^ (1 << rng.below(8)));
  },
  // One byte to an interesting value, or to a random one.
  (input, rng) =>
    input.length === 0 ? input : withByte(input, rng.below(input.length), rng.pick(INTERESTING_BYTES)),
  (input, rng) => (input.length === 0 ? input : withByte(input, rng.below(input.length), rng.next() & 0xff)),
  // Four bytes to an interesting big-endian word (lengths, counters, ids).
  (input, rng) => {
    if (input.length < 4) return input;
    const out = input.slice();
    const at = rng.below(input.length - 3);
    new DataView(out.buffer).setUint32(at, rng.pick(INTERESTING_WORDS));
    return out;
  },
  // Truncate.
  (input, rng) => input.slice(0, rng.below(input.length + 1)),
  // Delete a chunk.
  (input, rng) => {
    const from = rng.below(input.length + 1);
    const to = from + rng.below(input.length - from + 1);
    return concat(input.subarray(0, from), input.subarray(to));
  },
  // Duplicate a chunk in place.
  (input, rng) => {
    const from = rng.below(input.length + 1);
    const to = from + rng.below(Math.min(64, input.length - from) + 1);
    return concat(input.subarray(0, to), input.subarray(from, to), input.subarray(to));
  },
  // Insert random bytes.
  (input, rng) => {
    const at = rng.below(input.length + 1);
    return concat(input.subarray(0, at), rng.bytes(1 + rng.below(16)), input.subarray(at));
  },
  // Splice: the head of this input with the tail of another seed.
  (input, rng, corpus) => {
    const other = rng.pick(corpus);
    return concat(
      input.subarray(0, rng.below(input.length + 1)),
      other.subarray(rng.below(other.length + 1)),
    );
  },
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The next input: mostly a seed with one to four stacked mutations, sometimes plain random bytes
 * (which find the shallow bugs seeds steer around). Never longer than `maxLength`.
 */
export function nextInput(rng: Rng, corpus: readonly Uint8Array[], maxLength: number): Uint8Array {
  if (corpus.length === 0 || rng.chance(0.05)) return rng.bytes(rng.below(Math.min(maxLength, 128) + 1));
  let input = rng.pick(corpus);
  const edits = 1 + rng.below(4);
  for (let i = 0; i < edits; i++) input = rng.pick(MUTATORS)(input, rng, corpus);
  return input.length > maxLength ? input.subarray(0, maxLength) : input;
}
