/**
 * A small bounded LRU of values derived from keys (node:crypto `KeyObject`s, XEdDSA signing keys),
 * keyed by key *content*, so a provider pays a key import or a scalar multiplication once per key
 * rather than once per call. Portable (the XEdDSA signing-key cache of both providers uses it).
 *
 * Why: importing a raw X25519 key costs more than the agreement itself (measured on Node 20:
 * private-key import by JWK ~50 us, by PKCS#8 DER ~640 us; public-key import ~10 us; agreement with
 * both keys imported ~49 us; through the provider, caching makes agreement about 2x faster,
 * bench/crypto.bench.ts). WhatsApp reuses the same few keys constantly (the static and identity
 * keys for every handshake and session). AES keys are not cached: a secret `KeyObject` does not
 * make node:crypto's AES faster (node/provider.ts), and a key used for many messages (the Noise
 * transport's) is prepared once with `aesGcmKey` instead.
 *
 * Keyed by content, never by array identity: a caller that reuses and mutates one array for several
 * keys must still get the right key. The lookup key is the key bytes as a Latin-1 string (lossless,
 * ~0.3 us for 32 bytes with the map probe). This means secret bytes live in the cache until evicted;
 * a JS string cannot be wiped, so callers with stricter hygiene rules can pass `keyCacheSize: 0` to
 * disable caching.
 */
/**
 * `bytes` as a Latin-1 string: one char per byte, so distinct keys give distinct ids. One
 * `fromCharCode` over the whole array builds a flat string, 2.5x faster than appending char by
 * char (whose rope the map must flatten before hashing it). Keys are short, far below the
 * argument-count limit of `apply`.
 */
function latin1(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Bounded least-recently-used map from key bytes to a derived value. */
export class KeyCache<V> {
  readonly #entries = new Map<string, V>();
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

  /** Number of cached entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#newest = undefined;
  }
}
