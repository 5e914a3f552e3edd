/**
 * `KvCache` (store/kv-cache.ts) on a slow store: a read that a change to its key overtook never
 * brings back what the change replaced, a read waits for the key's writes under way, writes land
 * in order, and `clear` waits for writes under way while later ones land after it. The store's
 * answers are held and released by hand.
 */
import { describe, expect, it } from 'vitest';
import { KvCache, type KvCodec } from '../src/store/kv-cache';
import { MemoryStore } from '../src/store/memory-store';
import type { KeyValueStore } from '../src/store/store';

const NS = 'test:kv-cache';
const KEY = 'group-1';
const text: KvCodec<string> = {
  encode: (value) => new TextEncoder().encode(value),
  decode: (_key, bytes) => (bytes[0] === 0xff ? undefined : new TextDecoder().decode(bytes)),
};
const bytes = (value: string) => text.encode(value);

/** A key-value store whose `get`s (after reading), `put`s and `delete`s wait, when held, until `release()`. */
function heldStore() {
  const store = new MemoryStore();
  let held = false;
  const waiting: (() => void)[] = [];
  const gate = async () => {
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const kv: KeyValueStore = {
    get: async (ns, key) => {
      const value = await store.kv.get(ns, key);
      await gate();
      return value;
    },
    put: async (ns, key, value) => {
      await gate();
      await store.kv.put(ns, key, value);
    },
    delete: async (ns, key) => {
      await gate();
      await store.kv.delete(ns, key);
    },
    keys: (ns) => store.kv.keys(ns),
  };
  return {
    store,
    kv,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
    pending: () => waiting.length,
  };
}

function cacheOn(kv: KeyValueStore) {
  const unreadable: string[] = [];
  return { cache: new KvCache(kv, NS, text, (key) => unreadable.push(key)), unreadable };
}

/** Resolves once `check()` holds, letting pending promise callbacks run in between. */
async function settle(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

describe('KvCache', () => {
  it('answers from memory, else from the store after a restart; an unreadable value is absent and told', async () => {
    const store = new MemoryStore();
    const first = cacheOn(store.kv).cache;
    await first.set(KEY, 'one');
    expect(await first.get(KEY)).toBe('one');
    expect(await cacheOn(store.kv).cache.get(KEY)).toBe('one');
    await store.kv.put(NS, KEY, Uint8Array.of(0xff));
    const after = cacheOn(store.kv);
    expect(await after.cache.get(KEY)).toBeUndefined();
    expect(after.unreadable).toEqual([KEY]);
    await after.cache.set(KEY, 'two');
    expect(await cacheOn(store.kv).cache.get(KEY)).toBe('two');
  });

  it('a read overtaken by a set answers with the set value, not with what the store had', async () => {
    const s = heldStore();
    await s.store.kv.put(NS, KEY, bytes('old'));
    const { cache } = cacheOn(s.kv);
    s.hold();
    const read = cache.get(KEY);
    await settle(() => s.pending() === 1);
    const written = cache.set(KEY, 'new');
    s.release();
    await written;
    expect(await read).toBe('new');
  });

  it('a read overtaken by a delete finds nothing', async () => {
    const s = heldStore();
    await s.store.kv.put(NS, KEY, bytes('old'));
    const { cache } = cacheOn(s.kv);
    s.hold();
    const read = cache.get(KEY);
    await settle(() => s.pending() === 1);
    const deleting = cache.delete(KEY);
    s.release();
    await deleting;
    expect(await read).toBeUndefined();
  });

  it('a read waits for a delete under way, so it does not find what was deleted', async () => {
    const s = heldStore();
    await s.store.kv.put(NS, KEY, bytes('old'));
    const { cache } = cacheOn(s.kv);
    s.hold();
    const deleting = cache.delete(KEY);
    await settle(() => s.pending() === 1);
    const read = cache.get(KEY);
    s.release();
    await deleting;
    expect(await read).toBeUndefined();
  });

  it('writes of a key land in the order they were made', async () => {
    const s = heldStore();
    const { cache } = cacheOn(s.kv);
    s.hold();
    const writes = [cache.set(KEY, 'a'), cache.delete(KEY), cache.set(KEY, 'b')];
    await settle(() => s.pending() === 1);
    s.release();
    await Promise.all(writes);
    expect(await s.store.kv.get(NS, KEY)).toEqual(bytes('b'));
  });

  it('clear waits for a write under way, so the store keeps nothing', async () => {
    const s = heldStore();
    const { cache } = cacheOn(s.kv);
    s.hold();
    const written = cache.set(KEY, 'a');
    await settle(() => s.pending() === 1);
    let cleared = false;
    const clearing = cache.clear().then(() => {
      cleared = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleared).toBe(false);
    s.release();
    await Promise.all([written, clearing]);
    expect(await s.store.kv.keys(NS)).toEqual([]);
    expect(await cache.get(KEY)).toBeUndefined();
  });

  it('a write made while clear runs lands after it and stays', async () => {
    const s = heldStore();
    const { cache } = cacheOn(s.kv);
    s.hold();
    const first = cache.set(KEY, 'a');
    await settle(() => s.pending() === 1);
    const clearing = cache.clear();
    const second = cache.set(KEY, 'b');
    s.release();
    await Promise.all([first, clearing, second]);
    expect(await cacheOn(s.store.kv).cache.get(KEY)).toBe('b');
  });

  it('changes that keep overtaking the read drop the stored value rather than trust it', async () => {
    const store = new MemoryStore();
    await store.kv.put(NS, KEY, bytes('old'));
    let cache: KvCache<string> | undefined;
    let reads = 0;
    // Each read is overtaken by a delete of the key, and the value is back for the next read.
    const kv: KeyValueStore = {
      get: async (ns, key) => {
        const value = await store.kv.get(ns, key);
        reads++;
        await cache!.delete(KEY);
        await store.kv.put(ns, key, bytes('old'));
        return value;
      },
      put: (ns, key, value) => store.kv.put(ns, key, value),
      delete: (ns, key) => store.kv.delete(ns, key),
      keys: (ns) => store.kv.keys(ns),
    };
    cache = cacheOn(kv).cache;
    expect(await cache.get(KEY)).toBeUndefined();
    expect(reads).toBe(3);
    // Dropped after the third: the last delete is the cache's own, with nothing written after it.
    expect(await store.kv.keys(NS)).toEqual([]);
  });
});
