/**
 * A small bounded LRU of values derived from keys (node:crypto `KeyObject`s, XEdDSA signing keys),
 * keyed by key *content*, so a provider pays a key import or a scalar multiplication once per key
 * rather than once per call. Portable (the XEdDSA signing-key cache of both providers uses it).
 *
 * Why: importing a raw X25519 key costs more than the agreement itself (measured on Node 20:
 * private-key import by JWK ~50 us, by PKCS#8 DER ~640 us; public-key import ~10 us; agreement with
 * both keys imported ~49 us; through the provider, caching makes agreement 2.2-2.8x faster), and
 * AES-GCM on short messages runs 1.3-1.5x faster from a secret `KeyObject` than from raw bytes
 * (bench/crypto.bench.ts measures both with and without the caches). WhatsApp reuses the same few keys constantly (the Noise
 * transport keys for every frame, the static and identity keys for every handshake and session).
 *
 * Keyed by content, never by array identity: a caller that reuses and mutates one array for several
 * keys must still get the right key. The lookup key is the key bytes as a Latin-1 string (lossless,
 * ~0.3 us for 32 bytes). This means secret bytes live in the cache until evicted; a JS string cannot
 * be wiped, so callers with stricter hygiene rules can pass `keyCacheSize: 0` to disable caching.
 */
/** `bytes` as a Latin-1 string: one char per byte, so distinct keys give distinct ids. */
function latin1(bytes: Uint8Array): string {
  let id = '';
  for (let i = 0; i < bytes.length; i++) id += String.fromCharCode(bytes[i]!);
  return id;
}

/** Bounded least-recently-used map from key bytes to a derived value. */
export class KeyCache<V> {
  readonly #entries = new Map<string, V>();
  /** Ids seen once by `getIfRepeated`, bounded like the entries. */
  readonly #seenOnce = new Set<string>();
  /** The most recently used id: hits on it (the common case, one key used repeatedly) skip the re-insert. */
  #newest: string | undefined;

  /** `capacity` entries at most; 0 disables the cache (every `get` calls `make`). */
  constructor(readonly capacity: number) {}

  /** The value cached for `bytes`, or `make()`'s result, cached as the most recently used. */
  get(bytes: Uint8Array, make: () => V): V {
    if (this.capacity === 0) return make();
    const id = latin1(bytes);
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      if (id !== this.#newest) {
        // Re-insert to mark it most recently used (Map iterates in insertion order).
        this.#entries.delete(id);
        this.#entries.set(id, hit);
        this.#newest = id;
      }
      return hit;
    }
    const value = make();
    if (this.#entries.size >= this.capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(id, value);
    this.#newest = id;
    return value;
  }

  /**
   * Like `get`, but only for keys used before: the first sighting of a key returns undefined (the
   * caller uses the raw key) and only remembers its id in a small set, so one-shot keys (each
   * Signal message key, each chain key) never pay for building a value they would not reuse,
   * while a repeated key (a Noise transport key) is cached from its second use on.
   */
  getIfRepeated(bytes: Uint8Array, make: () => V): V | undefined {
    if (this.capacity === 0) return undefined;
    const id = latin1(bytes);
    if (this.#entries.has(id) || this.#seenOnce.has(id)) {
      this.#seenOnce.delete(id);
      return this.get(bytes, make);
    }
    if (this.#seenOnce.size >= this.capacity) this.#seenOnce.delete(this.#seenOnce.values().next().value!);
    this.#seenOnce.add(id);
    return undefined;
  }

  /** Number of cached entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#seenOnce.clear();
    this.#newest = undefined;
  }
}
