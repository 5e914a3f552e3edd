/**
 * Which WhatsApp Web version to announce (ClientPayload.userAgent.appVersion): an override, else the
 * one WhatsApp Web serves now (its sw.js, over HTTP), else the client's pinned DEFAULT_WA_VERSION.
 * The server refuses versions it considers too old (`<failure reason="405">`), so a long-running
 * deployment asks now and then instead of trusting the pin. Never part of a connect: the user calls
 * this (or a WaWebVersionCache) before `createClient({ version })`.
 */
import { DEFAULT_WA_VERSION } from '@wakit/client';
import { WaWebVersionFetchError } from '../errors';
import { parseSwJs, type WaVersion } from './sw-js';

/** Where WhatsApp Web's service worker, which carries the build revision, is served. */
export const WA_WEB_SW_URL = 'https://web.whatsapp.com/sw.js';

/** How long a fetch of sw.js may take before the fallback is used. */
export const WA_WEB_VERSION_TIMEOUT_MS = 10_000;

/** Where a resolved version came from. */
export type WaVersionSource = 'override' | 'fetched' | 'cache' | 'fallback';

/** A resolved version and where it came from. */
export interface WaWebVersion {
  version: WaVersion;
  source: WaVersionSource;
  /** When the version was fetched (ms since the epoch), for `fetched` and `cache`. */
  fetchedAt?: number | undefined;
  /** Why the fetch failed, when it was tried and failed (the source is then `fallback` or `cache`). */
  error?: unknown;
}

/** Options of `fetchWaWebVersion`. */
export interface FetchWaWebVersionOptions {
  /** Use this version; nothing is fetched. */
  override?: WaVersion | undefined;
  /** The `fetch` to use (default the global one, Node's undici); tests inject their own. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Default WA_WEB_SW_URL. */
  url?: string | undefined;
  /** Deadline of the whole fetch, body included (default WA_WEB_VERSION_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  /** Cancels the fetch (the fallback is used). */
  signal?: AbortSignal | undefined;
  /** The version when the fetch fails (default the client's DEFAULT_WA_VERSION). */
  fallback?: WaVersion | undefined;
  /** The clock for `fetchedAt` (default Date.now). */
  now?: (() => number) | undefined;
}

/** The headers the references send: WhatsApp's edge turns away requests that look automated. */
const HEADERS = {
  'sec-fetch-site': 'none',
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

/**
 * Resolves the version to announce. Never rejects for a network problem: any failure (no answer,
 * a non-2xx status, no revision in the body, the deadline) gives the fallback, with the reason in
 * `error`.
 *
 * @throws RangeError for an override or fallback that is not three uint32 values.
 * @example
 * ```ts
 * const { version, source } = await fetchWaWebVersion();
 * const client = createClient({ store, payload: { version } });
 * ```
 */
export async function fetchWaWebVersion(options: FetchWaWebVersionOptions = {}): Promise<WaWebVersion> {
  if (options.override !== undefined)
    return { version: checkVersion('override', options.override), source: 'override' };
  const fallback = checkVersion('fallback', options.fallback ?? DEFAULT_WA_VERSION);
  try {
    const version = await fetchFromSwJs(options);
    return { version, source: 'fetched', fetchedAt: (options.now ?? Date.now)() };
  } catch (error) {
    return { version: fallback, source: 'fallback', error };
  }
}

/** The version sw.js carries; throws what went wrong. */
async function fetchFromSwJs(options: FetchWaWebVersionOptions): Promise<WaVersion> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? WA_WEB_VERSION_TIMEOUT_MS);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
  const url = options.url ?? WA_WEB_SW_URL;
  const response = await (options.fetch ?? globalThis.fetch)(url, { headers: HEADERS, signal });
  if (!response.ok) {
    // Not read: an error page has no revision, and the connection is freed sooner.
    await response.body?.cancel();
    throw new WaWebVersionFetchError(`GET ${url} answered ${response.status}`);
  }
  const version = parseSwJs(await response.text());
  if (version === undefined) throw new WaWebVersionFetchError(`GET ${url}: no client_revision in the body`);
  return version;
}

/** The version if it is three uint32 values. */
export function checkVersion(name: string, version: WaVersion): WaVersion {
  if (
    !Array.isArray(version) ||
    version.length !== 3 ||
    !version.every((part) => Number.isInteger(part) && part >= 0 && part <= 0xffffffff)
  ) {
    throw new RangeError(`"${name}" expected three uint32 values, got ${JSON.stringify(version)}`);
  }
  return [version[0], version[1], version[2]];
}
