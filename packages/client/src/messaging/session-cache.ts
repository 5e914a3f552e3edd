/**
 * Decoded session records, kept between messages. Every send and receive loads a session record,
 * and decoding it (and its archived states' index) costs more than the ratchet step it is for. A
 * cached record is used only when the bytes the store returns are exactly the bytes it was made
 * from, so the store stays the truth: a transaction that rolled back, another process, or a write
 * through the store's own API simply miss the cache and decode again.
 */
import { SessionRecord } from '@wakit/signal';
import { remember } from '../_bounded-map';
import { equalBytes } from '../_bytes';

/** Cached records per session address; bounded (the oldest entry goes first). */
export class SessionCache {
  readonly #entries = new Map<string, { bytes: Uint8Array; record: SessionRecord }>();
  readonly #capacity: number;

  constructor(capacity = 2_000) {
    this.#capacity = capacity;
  }

  /** The record `bytes` encode, from the cache when `address` last held these exact bytes. */
  decode(address: string, bytes: Uint8Array): SessionRecord {
    const entry = this.#entries.get(address);
    if (entry !== undefined && equalBytes(entry.bytes, bytes)) return entry.record;
    const record = SessionRecord.deserialize(bytes);
    this.remember(address, bytes, record);
    return record;
  }

  /** Serializes `record` for `address` and remembers the pair; returns the bytes to store. */
  encode(address: string, record: SessionRecord): Uint8Array {
    // Not filed with @wakit/signal as well: this cache is what finds the record again.
    const bytes = record.serialize({ file: false });
    this.remember(address, bytes, record);
    return bytes;
  }

  remember(address: string, bytes: Uint8Array, record: SessionRecord): void {
    remember(this.#entries, address, { bytes, record }, this.#capacity);
  }
}
