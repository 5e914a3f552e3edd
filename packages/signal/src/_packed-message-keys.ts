/**
 * A receiving chain's skipped message keys as they sit in a stored record: n entries of a 4-byte
 * big-endian counter and a 32-byte seed, counters ascending. Read in place rather than into a Map:
 * a chain may hold 2,000 keys, and a store that hands out a copy of the record every time would
 * otherwise have them all rebuilt into a Map for every message, though a message in order never
 * looks at them (it only passes them on, and `session-record-codec.ts` copies the packed bytes into
 * the next record). A lookup is a binary search; a change builds a Map (`ratchet.ts`). Internal.
 */

/** Bytes per entry: the counter and the seed. */
export const PACKED_ENTRY_LENGTH = 4 + 32;

/** Skipped keys over their packed bytes, which must be well-formed (`checkPackedMessageKeys`). */
export class PackedMessageKeys implements ReadonlyMap<number, Uint8Array> {
  readonly size: number;

  /** @param packed the entries; views of it are handed out, so nobody may change it. */
  constructor(readonly packed: Uint8Array) {
    this.size = packed.length / PACKED_ENTRY_LENGTH;
  }

  private counterAt(i: number): number {
    const p = this.packed;
    const at = i * PACKED_ENTRY_LENGTH;
    return ((p[at]! << 24) | (p[at + 1]! << 16) | (p[at + 2]! << 8) | p[at + 3]!) >>> 0;
  }

  private seedAt(i: number): Uint8Array {
    const at = i * PACKED_ENTRY_LENGTH + 4;
    return this.packed.subarray(at, at + 32);
  }

  /** Index of the entry for `counter`, or -1. */
  private find(counter: number): number {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.counterAt(middle);
      if (value === counter) return middle;
      if (value < counter) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  get(counter: number): Uint8Array | undefined {
    const i = this.find(counter);
    return i < 0 ? undefined : this.seedAt(i);
  }

  has(counter: number): boolean {
    return this.find(counter) >= 0;
  }

  forEach(callback: (seed: Uint8Array, counter: number, map: ReadonlyMap<number, Uint8Array>) => void): void {
    for (let i = 0; i < this.size; i++) callback(this.seedAt(i), this.counterAt(i), this);
  }

  *entries(): MapIterator<[number, Uint8Array]> {
    for (let i = 0; i < this.size; i++) yield [this.counterAt(i), this.seedAt(i)];
  }

  *keys(): MapIterator<number> {
    for (let i = 0; i < this.size; i++) yield this.counterAt(i);
  }

  *values(): MapIterator<Uint8Array> {
    for (let i = 0; i < this.size; i++) yield this.seedAt(i);
  }

  [Symbol.iterator](): MapIterator<[number, Uint8Array]> {
    return this.entries();
  }
}

/**
 * Why `packed` is not a valid list of skipped keys for a chain at `index` (whole entries,
 * counters strictly ascending and below `index`), or undefined when it is.
 */
export function checkPackedMessageKeys(packed: Uint8Array, index: number): string | undefined {
  if (packed.length % PACKED_ENTRY_LENGTH !== 0) return 'message keys of odd length';
  let last = -1;
  for (let at = 0; at < packed.length; at += PACKED_ENTRY_LENGTH) {
    const counter =
      ((packed[at]! << 24) | (packed[at + 1]! << 16) | (packed[at + 2]! << 8) | packed[at + 3]!) >>> 0;
    if (counter <= last || counter >= index) return 'message key counters out of order';
    last = counter;
  }
  return undefined;
}
