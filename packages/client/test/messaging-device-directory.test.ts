/**
 * `DeviceDirectory.resolve`: the device lists' freshness and the generation that group target
 * memos (`group-target-memo.ts`) compare, against a fake usync answerer.
 */

import type { BinaryNode } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import { DEVICE_LIST_TTL_MS, DeviceDirectory } from '../src/messaging/devices';
import { Peers } from '../src/messaging/peers';
import { Mutex } from '../src/pipeline/mutex';
import { MemoryStore } from '../src/store/memory-store';
import { usyncDevicesReply, usyncUsers } from './_usync-devices';

const B = '15550000002@s.whatsapp.net';
const C = '15550000003@s.whatsapp.net';

/** A directory over a memory store whose usync answers come from `lists`, at clock `clock.now`. */
function directory(lists: Map<string, number[]>) {
  const clock = { now: 1_000_000 };
  let queries = 0;
  const store = new MemoryStore();
  const query = async (iq: BinaryNode): Promise<BinaryNode> => {
    queries++;
    return usyncDevicesReply(usyncUsers(iq), (user) => lists.get(user) ?? []);
  };
  const dir = new DeviceDirectory({
    store,
    peers: new Peers(store, new Mutex()),
    now: () => clock.now,
    query,
    nextQueryId: () => 'q',
  });
  return { dir, clock, queries: () => queries };
}

describe('DeviceDirectory.resolve', () => {
  it('says until when the oldest list it read is fresh', async () => {
    const { dir, clock, queries } = directory(
      new Map([
        [B, [0, 1]],
        [C, [0]],
      ]),
    );
    const first = await dir.resolve([B]);
    expect(first).toEqual({
      devices: [B, '15550000002:1@s.whatsapp.net'],
      freshUntil: 1_000_000 + DEVICE_LIST_TTL_MS,
    });
    clock.now += 10;
    // B read from memory (fetched at 1_000_000), C fetched now: B's age decides.
    expect((await dir.resolve([B, C])).freshUntil).toBe(1_000_000 + DEVICE_LIST_TTL_MS);
    expect(queries()).toBe(2);
    clock.now = 1_000_000 + DEVICE_LIST_TTL_MS + 1;
    // B stale and fetched again, C (fetched 10 ms later) still fresh: C's age decides.
    expect((await dir.resolve([B, C])).freshUntil).toBe(1_000_010 + DEVICE_LIST_TTL_MS);
    expect(queries()).toBe(3);
    clock.now = 1_000_010 + DEVICE_LIST_TTL_MS + 1;
    // C stale and fetched again; B was fetched at 1_000_001 + TTL, so B's age decides.
    expect((await dir.resolve([B, C])).freshUntil).toBe(1_000_001 + DEVICE_LIST_TTL_MS * 2);
    expect(queries()).toBe(4);
  });

  it('moves its generation when a list changes or is dropped, not when a refresh finds the same devices', async () => {
    const lists = new Map([[B, [0, 1]]]);
    const { dir, clock } = directory(lists);
    await dir.resolve([B]);
    const fetched = dir.generation;
    clock.now += DEVICE_LIST_TTL_MS + 1;
    await dir.resolve([B]);
    expect(dir.generation).toBe(fetched);
    lists.set(B, [0, 1, 2]);
    clock.now += DEVICE_LIST_TTL_MS + 1;
    expect((await dir.resolve([B])).devices).toHaveLength(3);
    const grown = dir.generation;
    expect(grown).not.toBe(fetched);
    await dir.invalidate(B);
    expect(dir.generation).not.toBe(grown);
  });
});
