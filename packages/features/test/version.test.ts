/**
 * The WhatsApp Web version: sw.js parsing, the fetch over a real local HTTP server (no outside
 * network) with its fallbacks, and the day-long cache on an injected fetch and clock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_WA_VERSION, MemoryStore } from '@wakit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchWaWebVersion,
  parseSwJs,
  WA_WEB_VERSION_MAX_AGE_MS,
  WA_WEB_VERSION_NAMESPACE,
  WaWebVersionCache,
  WaWebVersionFetchError,
} from '../src/index';

describe('parseSwJs (whatsapp-rust parse_sw_js, Baileys fetchLatestWaWebVersion)', () => {
  it('finds client_revision as JSON, escaped JSON, a quoted value or a bare key', () => {
    expect(parseSwJs('self.x={"client_revision":1026131876,"y":2}')).toEqual([2, 3000, 1026131876]);
    expect(parseSwJs('a("{\\"client_revision\\": 1045649367}")')).toEqual([2, 3000, 1045649367]);
    expect(parseSwJs('{"client_revision": "123456"}')).toEqual([2, 3000, 123456]);
    expect(parseSwJs('client_revision:12345;')).toEqual([2, 3000, 12345]);
  });

  it('finds none without the key, with a revision of 0, or one past uint32', () => {
    expect(parseSwJs('no version here')).toBeUndefined();
    expect(parseSwJs('"client_revision":0')).toBeUndefined();
    expect(parseSwJs('"client_revision":4294967296')).toBeUndefined();
    expect(parseSwJs('"client_revision":"soon"')).toBeUndefined();
  });
});

describe('fetchWaWebVersion over HTTP', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      if (request.url === '/sw.js') {
        response.writeHead(200, { 'content-type': 'application/javascript' });
        response.end('self.__swData=JSON.parse("{\\"client_revision\\":1045999999,\\"dynamic\\":true}");');
      } else if (request.url === '/plain.js') {
        response.end('console.log("nothing to see")');
      } else if (request.url === '/hang.js') {
        // Never answers: the deadline has to end it.
      } else {
        response.writeHead(503).end('{"client_revision":1}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("reads the revision from sw.js with the global fetch, sending the references' headers", async () => {
    const result = await fetchWaWebVersion({ url: `${base}/sw.js`, now: () => 1234 });
    expect(result).toEqual({ version: [2, 3000, 1045999999], source: 'fetched', fetchedAt: 1234 });
    expect(seen.at(-1)?.headers['sec-fetch-site']).toBe('none');
    expect(seen.at(-1)?.headers['user-agent']).toMatch(/Chrome/);
  });

  it('an override wins and nothing is fetched', async () => {
    const before = seen.length;
    expect(await fetchWaWebVersion({ override: [2, 3000, 7], url: `${base}/sw.js` })).toEqual({
      version: [2, 3000, 7],
      source: 'override',
    });
    expect(seen.length).toBe(before);
  });

  it('a status other than 2xx gives the fallback, with the reason', async () => {
    const result = await fetchWaWebVersion({ url: `${base}/missing.js` });
    expect(result.source).toBe('fallback');
    expect(result.version).toEqual(DEFAULT_WA_VERSION);
    expect(result.error).toBeInstanceOf(WaWebVersionFetchError);
    expect((result.error as Error).message).toMatch(/answered 503/);
  });

  it('a body without a revision gives the given fallback', async () => {
    const result = await fetchWaWebVersion({ url: `${base}/plain.js`, fallback: [2, 3000, 5] });
    expect(result).toMatchObject({ version: [2, 3000, 5], source: 'fallback' });
    expect(result.error).toBeInstanceOf(WaWebVersionFetchError);
  });

  it('a server that never answers is cut at the deadline; so is a cancelled fetch', async () => {
    const late = await fetchWaWebVersion({ url: `${base}/hang.js`, timeoutMs: 50 });
    expect(late.source).toBe('fallback');
    expect((late.error as Error).name).toBe('TimeoutError');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await fetchWaWebVersion({ url: `${base}/sw.js`, signal: controller.signal });
    expect(cancelled.source).toBe('fallback');
    expect((cancelled.error as Error).name).toBe('AbortError');
  });

  it('a refused connection gives the fallback', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await fetchWaWebVersion({ url: `http://127.0.0.1:${port}/sw.js` });
    expect(result.source).toBe('fallback');
    expect(result.error).toBeInstanceOf(TypeError); // undici's "fetch failed"
  });

  it('refuses a malformed override or fallback', async () => {
    await expect(fetchWaWebVersion({ override: [2, 3000] as never })).rejects.toThrow(RangeError);
    await expect(fetchWaWebVersion({ fallback: [2, -1, 3] })).rejects.toThrow(RangeError);
  });
});

/** A fetch answering from `bodies` in turn (an Error is thrown), counting calls. */
function scriptedFetch(bodies: (string | Error)[]) {
  const calls: string[] = [];
  const fetch = (async (url: string) => {
    calls.push(url);
    const body = bodies.shift();
    if (body === undefined || body instanceof Error) throw body ?? new Error('no more answers');
    return new Response(body, { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('WaWebVersionCache', () => {
  const revision = (n: number) => `{"client_revision":${n}}`;

  it('fetches once, answers from memory for a day, then fetches again', async () => {
    let now = 1_000_000;
    const { fetch, calls } = scriptedFetch([revision(100), revision(200)]);
    const cache = new WaWebVersionCache({ fetch, now: () => now });
    expect(await cache.get()).toEqual({ version: [2, 3000, 100], source: 'fetched', fetchedAt: 1_000_000 });
    now += WA_WEB_VERSION_MAX_AGE_MS - 1;
    expect(await cache.get()).toEqual({ version: [2, 3000, 100], source: 'cache', fetchedAt: 1_000_000 });
    expect(calls).toHaveLength(1);
    now += 1;
    expect(await cache.get()).toMatchObject({ version: [2, 3000, 200], source: 'fetched' });
    expect(calls).toHaveLength(2);
  });

  it('keeps the version and its fetch time in the store namespace for the next process', async () => {
    const store = new MemoryStore();
    const first = scriptedFetch([revision(300)]);
    await new WaWebVersionCache({ kv: store.kv, fetch: first.fetch, now: () => 5_000 }).get();
    expect(await store.kv.keys(WA_WEB_VERSION_NAMESPACE)).toEqual(['current']);
    const second = scriptedFetch([]);
    const restarted = new WaWebVersionCache({ kv: store.kv, fetch: second.fetch, now: () => 6_000 });
    expect(await restarted.get()).toEqual({ version: [2, 3000, 300], source: 'cache', fetchedAt: 5_000 });
    expect(second.calls).toEqual([]);
  });

  it('a failed refresh keeps the last fetched version and says why; without one, the fallback', async () => {
    let now = 0;
    const { fetch } = scriptedFetch([revision(400), new Error('offline')]);
    const cache = new WaWebVersionCache({ fetch, now: () => now });
    await cache.get();
    now = WA_WEB_VERSION_MAX_AGE_MS;
    const stale = await cache.get();
    expect(stale).toMatchObject({ version: [2, 3000, 400], source: 'cache', fetchedAt: 0 });
    expect((stale.error as Error).message).toBe('offline');
    const empty = new WaWebVersionCache({ fetch: scriptedFetch([new Error('offline')]).fetch });
    expect(await empty.get()).toMatchObject({ version: DEFAULT_WA_VERSION, source: 'fallback' });
  });

  it('concurrent callers share one fetch; refresh forces one; an override touches nothing', async () => {
    const { fetch, calls } = scriptedFetch([revision(500), revision(600)]);
    const cache = new WaWebVersionCache({ fetch, now: () => 0 });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toEqual(b);
    expect(calls).toHaveLength(1);
    expect((await cache.get({ refresh: true })).version).toEqual([2, 3000, 600]);
    expect(await cache.get({ override: [2, 3000, 1] })).toEqual({
      version: [2, 3000, 1],
      source: 'override',
    });
    expect(await cache.get()).toMatchObject({ version: [2, 3000, 600], source: 'cache' });
    expect(calls).toHaveLength(2);
  });

  it('ignores a stored value it cannot read and fetches', async () => {
    const store = new MemoryStore();
    await store.kv.put(WA_WEB_VERSION_NAMESPACE, 'current', new TextEncoder().encode('{"version":"x"'));
    const { fetch, calls } = scriptedFetch([revision(700)]);
    expect(await new WaWebVersionCache({ kv: store.kv, fetch }).get()).toMatchObject({ source: 'fetched' });
    expect(calls).toHaveLength(1);
  });
});
