import { SessionRecord } from '@wakit/signal';
import { describe, expect, test } from 'vitest';
import { SessionCache } from '../src/messaging/session-cache';

const empty = new SessionRecord();

describe('SessionCache', () => {
  test('the same bytes give the cached record; other bytes are decoded', () => {
    const cache = new SessionCache();
    const bytes = cache.encode('a.1', empty);
    expect(cache.decode('a.1', Uint8Array.from(bytes))).toBe(empty);
    // Bytes the cache did not make for this address (another process wrote it): decoded afresh.
    const other = cache.decode('b.1', Uint8Array.from(bytes));
    expect(other).not.toBe(empty);
    expect(other.serialize()).toEqual(bytes);
  });

  test('holds at most its capacity, dropping the oldest address', () => {
    const cache = new SessionCache(2);
    const bytes = cache.encode('a.1', empty);
    cache.encode('b.1', empty);
    cache.encode('c.1', empty);
    // Copies: @wakit/signal keeps its own cache keyed by the very array it decoded.
    expect(cache.decode('a.1', Uint8Array.from(bytes))).not.toBe(empty);
    expect(cache.decode('c.1', Uint8Array.from(bytes))).toBe(empty);
  });
});
