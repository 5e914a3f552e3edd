/**
 * `fetchWaWebVersion` behind a cache: the fetched version is kept in memory and, when given a
 * key-value store (the client store's `kv`), in a namespace of it with its fetch time, and fetched
 * again once it is older than a day (whatsapp-rust src/version.rs `resolve_and_update_version`).
 * Concurrent callers share one fetch. A failed fetch is not cached, so the next call tries again;
 * until then the last fetched version, however old, is better than the pin, and is used.
 */
import type { KeyValueStore } from '@wakit/client';
import {
  checkVersion,
  type FetchWaWebVersionOptions,
  fetchWaWebVersion,
  type WaWebVersion,
} from './fetch-wa-web-version';
import type { WaVersion } from './sw-js';

/** How long a fetched version is used before it is fetched again. */
export const WA_WEB_VERSION_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The namespace of the key-value store the cache writes (key `current`). */
export const WA_WEB_VERSION_NAMESPACE = 'wa-web-version';

const KEY = 'current';

/** Options of a WaWebVersionCache: those of `fetchWaWebVersion` (but the override) and where to keep it. */
export interface WaWebVersionCacheOptions extends Omit<FetchWaWebVersionOptions, 'override'> {
  /** Keeps the version across restarts (e.g. `store.kv` of the client's store). */
  kv?: KeyValueStore | undefined;
  /** Default WA_WEB_VERSION_MAX_AGE_MS. */
  maxAgeMs?: number | undefined;
}

interface Held {
  version: WaVersion;
  fetchedAt: number;
}

/**
 * The version to announce, fetched at most once a day.
 *
 * @example
 * ```ts
 * const versions = new WaWebVersionCache({ kv: store.kv });
 * const { version } = await versions.get();
 * const client = createClient({ store, payload: { version } });
 * ```
 */
export class WaWebVersionCache {
  readonly #options: WaWebVersionCacheOptions;
  readonly #now: () => number;
  #held: Held | undefined;
  #loaded = false;
  #inFlight: Promise<WaWebVersion> | undefined;

  constructor(options: WaWebVersionCacheOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The held version while it is fresh (`cache`), else a fetched one (`fetched`), else the last
   * fetched one (`cache`, with the fetch's `error`), else the fallback. `override` wins over all and
   * touches nothing; `refresh` fetches even when the held version is fresh.
   */
  async get(
    options: { override?: WaVersion | undefined; refresh?: boolean | undefined } = {},
  ): Promise<WaWebVersion> {
    if (options.override !== undefined)
      return { version: checkVersion('override', options.override), source: 'override' };
    const held = await this.#load();
    const maxAgeMs = this.#options.maxAgeMs ?? WA_WEB_VERSION_MAX_AGE_MS;
    if (held !== undefined && !options.refresh && this.#now() - held.fetchedAt < maxAgeMs) {
      return { version: held.version, source: 'cache', fetchedAt: held.fetchedAt };
    }
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<WaWebVersion> {
    const { kv, maxAgeMs: _maxAge, ...fetchOptions } = this.#options;
    const result = await fetchWaWebVersion({ ...fetchOptions, now: this.#now });
    if (result.source === 'fetched') {
      this.#held = { version: result.version, fetchedAt: result.fetchedAt ?? this.#now() };
      if (kv !== undefined) {
        await kv.put(WA_WEB_VERSION_NAMESPACE, KEY, new TextEncoder().encode(JSON.stringify(this.#held)));
      }
      return result;
    }
    const held = this.#held;
    return held === undefined
      ? result
      : { version: held.version, source: 'cache', fetchedAt: held.fetchedAt, error: result.error };
  }

  /** The held version, read from the store the first time; a stored value that does not parse is ignored. */
  async #load(): Promise<Held | undefined> {
    if (this.#loaded || this.#options.kv === undefined) return this.#held;
    const bytes = await this.#options.kv.get(WA_WEB_VERSION_NAMESPACE, KEY);
    this.#loaded = true;
    if (bytes === undefined || this.#held !== undefined) return this.#held;
    try {
      const stored = JSON.parse(new TextDecoder().decode(bytes)) as Held;
      if (Number.isFinite(stored.fetchedAt))
        this.#held = { version: checkVersion('stored', stored.version), fetchedAt: stored.fetchedAt };
    } catch {
      // Written by another version of this code, or damaged: fetch again.
    }
    return this.#held;
  }
}
