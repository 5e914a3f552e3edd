/**
 * Values kept in memory and in one namespace of the store's key-value table, for state that is
 * cheap to keep and costly to fetch again (the groups messaging sends to: `messaging/groups.ts`).
 * Memory answers first; the store answers after a restart; what neither has is the caller's to
 * fetch and `set`.
 *
 * The store is slow and asynchronous, so three orderings are kept:
 * - A key's writes land in the order they were made (each waits for the one before).
 * - A read waits for the key's writes under way, and for a `clear` under way, so it never finds
 *   what a change already replaced.
 * - A change made while a read waited for the store makes that read look again: what the store
 *   answered may be what the change replaced. After `MAX_OVERTAKEN_READS` such reads in a row the
 *   stored value is deleted rather than trusted, and the read finds nothing.
 *
 * A stored value that does not decode (another version, a damaged row) reads as absent; the next
 * `set` replaces it.
 */
import type { KeyValueStore } from './store';

/** How values are stored: `decode` answers undefined for bytes it does not read. */
export interface KvCodec<V> {
  encode(value: V): Uint8Array;
  decode(key: string, bytes: Uint8Array): V | undefined;
}

/** Store reads in a row that a change to the same key overtook, before the stored value is dropped. */
const MAX_OVERTAKEN_READS = 3;

/** A memory map backed by one key-value namespace. */
export class KvCache<V> {
  readonly #kv: KeyValueStore;
  readonly #namespace: string;
  readonly #codec: KvCodec<V>;
  readonly #onUnreadable: (key: string) => void;
  readonly #memory = new Map<string, V>();
  /** Changes per key since the last `clear`, and the `clear`s: what a read compares before trusting. */
  readonly #changes = new Map<string, number>();
  #clears = 0;
  /** Each key's store writes under way, chained. */
  readonly #writing = new Map<string, Promise<void>>();
  /** A `clear` under way: reads wait for it, and writes made after it land after it. */
  #clearing: Promise<void> | undefined;

  /** @param onUnreadable told of a stored value `codec` did not decode (it then reads as absent). */
  constructor(kv: KeyValueStore, namespace: string, codec: KvCodec<V>, onUnreadable: (key: string) => void) {
    this.#kv = kv;
    this.#namespace = namespace;
    this.#codec = codec;
    this.#onUnreadable = onUnreadable;
  }

  /** The value of `key`, from memory, else from the store (then kept in memory), else undefined. */
  async get(key: string): Promise<V | undefined> {
    for (let read = 0; read < MAX_OVERTAKEN_READS; read++) {
      const known = this.#memory.get(key);
      if (known !== undefined) return known;
      const before = this.#version(key);
      await Promise.allSettled([this.#clearing, this.#writing.get(key)]);
      const bytes = await this.#kv.get(this.#namespace, key);
      if (this.#version(key) !== before) continue;
      if (bytes === undefined) return undefined;
      const stored = this.#codec.decode(key, bytes);
      if (stored === undefined) {
        this.#onUnreadable(key);
        return undefined;
      }
      this.#memory.set(key, stored);
      return stored;
    }
    await this.delete(key);
    return undefined;
  }

  /** Keeps `value` for `key`, in memory at once and in the store when this resolves. */
  async set(key: string, value: V): Promise<void> {
    this.#changed(key);
    this.#memory.set(key, value);
    await this.#write(key, () => this.#kv.put(this.#namespace, key, this.#codec.encode(value)));
  }

  /** Forgets `key`, in memory at once and in the store when this resolves. */
  async delete(key: string): Promise<void> {
    this.#changed(key);
    this.#memory.delete(key);
    await this.#write(key, () => this.#kv.delete(this.#namespace, key));
  }

  /** Forgets every key, after the writes already under way (so none of them survives it). */
  clear(): Promise<void> {
    this.#clears++;
    this.#changes.clear();
    this.#memory.clear();
    const earlier = [...this.#writing.values()];
    const clearing = (async () => {
      await Promise.allSettled(earlier);
      for (const key of await this.#kv.keys(this.#namespace)) await this.#kv.delete(this.#namespace, key);
    })().finally(() => {
      if (this.#clearing === clearing) this.#clearing = undefined;
    });
    this.#clearing = clearing;
    return clearing;
  }

  /** Runs `op` on the store after the key's earlier writes and any `clear` under way. */
  async #write(key: string, op: () => Promise<void>): Promise<void> {
    const write = Promise.allSettled([this.#writing.get(key), this.#clearing]).then(op);
    const settled = write.then(
      () => {},
      () => {},
    );
    this.#writing.set(key, settled);
    try {
      await write;
    } finally {
      if (this.#writing.get(key) === settled) this.#writing.delete(key);
    }
  }

  #changed(key: string): void {
    this.#changes.set(key, (this.#changes.get(key) ?? 0) + 1);
  }

  #version(key: string): string {
    return `${this.#clears}:${this.#changes.get(key) ?? 0}`;
  }
}
