/**
 * `Groups` (the participants messaging sends to) when the store is slow: a store read that a
 * change to its group overtook never brings back what the change replaced, and `forgetAll` waits
 * for writes under way, so none lands after it. The store's answers are held and released by hand.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  encodeGroupParticipants,
  GROUP_PARTICIPANTS_NAMESPACE as NS,
} from '../src/messaging/group-participants-record';
import { Groups } from '../src/messaging/groups';
import { Peers } from '../src/messaging/peers';
import type { GroupParticipants } from '../src/messaging/wire/group-participants';
import { Mutex } from '../src/pipeline/mutex';
import { MemoryStore } from '../src/store/memory-store';
import type { KeyValueStore } from '../src/store/store';

const GROUP = '120363000000000001@g.us';
const info = (...users: string[]): GroupParticipants => ({
  jid: GROUP,
  addressingMode: 'pn',
  participants: users.map((u) => ({ jid: `${u}@s.whatsapp.net` })),
});
const jids = (read: GroupParticipants | undefined) => read?.participants.map((p) => p.jid.split('@')[0]);

/** A key-value store whose `get`s and `put`s wait, when held, until `release()`. */
function heldStore() {
  const store = new MemoryStore();
  let held = false;
  let waiting: (() => void)[] = [];
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
    /** Lets everything held through, and stops holding. */
    release: () => {
      held = false;
      for (const resolve of waiting.splice(0)) resolve();
      waiting = [];
    },
    pending: () => waiting.length,
  };
}

function groupsOn(kv: KeyValueStore, store: MemoryStore, server: GroupParticipants) {
  const queries: BinaryNode[] = [];
  const groups = new Groups({
    peers: new Peers(store, new Mutex()),
    kv,
    logger: {},
    query: async (iq) => {
      queries.push(iq);
      return {
        tag: 'iq',
        attrs: { type: 'result' },
        content: [
          {
            tag: 'group',
            attrs: { addressing_mode: server.addressingMode },
            content: server.participants.map((p) => ({ tag: 'participant', attrs: { jid: p.jid } })),
          },
        ],
      };
    },
    nextQueryId: () => `q${queries.length}`,
  });
  return { groups, queries };
}

/** Resolves once `check()` holds, letting pending promise callbacks run in between. */
async function settle(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

describe('the group participant cache on a slow store', () => {
  it('a read overtaken by a change answers with the change, not with what the store had', async () => {
    const s = heldStore();
    await s.store.kv.put(NS, GROUP, encodeGroupParticipants(info('1', '2')));
    const { groups, queries } = groupsOn(s.kv, s.store, info('9'));
    s.hold();
    const read = groups.get(GROUP);
    await settle(() => s.pending() === 1);
    // A <create> arrives while the store answers the read.
    s.release();
    await groups.set(info('1', '2', '3'));
    expect(jids(await read)).toEqual(['1', '2', '3']);
    expect(queries).toHaveLength(0);
  });

  it('a read overtaken by a forget asks the server', async () => {
    const s = heldStore();
    await s.store.kv.put(NS, GROUP, encodeGroupParticipants(info('1', '2')));
    const { groups, queries } = groupsOn(s.kv, s.store, info('1', '2', '4'));
    s.hold();
    const read = groups.get(GROUP);
    await settle(() => s.pending() === 1);
    const forgetting = groups.forget(GROUP);
    s.release();
    await forgetting;
    expect(jids(await read)).toEqual(['1', '2', '4']);
    expect(queries).toHaveLength(1);
  });

  it("a read waits for a forget's delete under way, then asks the server", async () => {
    const s = heldStore();
    await s.store.kv.put(NS, GROUP, encodeGroupParticipants(info('1', '2')));
    const { groups, queries } = groupsOn(s.kv, s.store, info('1', '2', '5'));
    s.hold();
    const forgetting = groups.forget(GROUP);
    await settle(() => s.pending() === 1);
    const read = groups.get(GROUP);
    s.release();
    await forgetting;
    expect(jids(await read)).toEqual(['1', '2', '5']);
    expect(queries).toHaveLength(1);
  });

  it('a write made while forgetAll runs lands after it and stays', async () => {
    const s = heldStore();
    const { groups } = groupsOn(s.kv, s.store, info('1'));
    s.hold();
    const first = groups.set(info('1', '2'));
    await settle(() => s.pending() === 1);
    const forgetting = groups.forgetAll();
    const second = groups.set(info('1', '2', '3'));
    s.release();
    await Promise.all([first, forgetting, second]);
    expect(await s.store.kv.keys(NS)).toEqual([GROUP]);
    const restarted = groupsOn(s.store.kv, s.store, info('9'));
    expect(jids(await restarted.groups.cached(GROUP))).toEqual(['1', '2', '3']);
  });

  it('forgetAll waits for a write under way, so the store keeps no group', async () => {
    const s = heldStore();
    const { groups } = groupsOn(s.kv, s.store, info('1'));
    s.hold();
    const written = groups.set(info('1', '2'));
    await settle(() => s.pending() === 1);
    let forgotten = false;
    const forgetting = groups.forgetAll().then(() => {
      forgotten = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(forgotten).toBe(false);
    s.release();
    await Promise.all([written, forgetting]);
    expect(await s.store.kv.keys(NS)).toEqual([]);
    expect(await groups.cached(GROUP)).toBeUndefined();
  });

  it('changes that keep overtaking the read drop the stored copy rather than trust it', async () => {
    const store = new MemoryStore();
    await store.kv.put(NS, GROUP, encodeGroupParticipants(info('1', '2')));
    let groups: Groups | undefined;
    let reads = 0;
    // Each read is overtaken by a forget of the group, and the entry is back for the next read.
    const kv: KeyValueStore = {
      get: async (ns, key) => {
        const value = await store.kv.get(ns, key);
        reads++;
        await groups!.forget(GROUP);
        await store.kv.put(ns, key, encodeGroupParticipants(info('1', '2')));
        return value;
      },
      put: (ns, key, value) => store.kv.put(ns, key, value),
      delete: (ns, key) => store.kv.delete(ns, key),
      keys: (ns) => store.kv.keys(ns),
    };
    const made = groupsOn(kv, store, info('7'));
    groups = made.groups;
    expect(await groups.cached(GROUP)).toBeUndefined();
    expect(reads).toBe(3);
    // Dropped after the third: the last forget is the cache's own, with nothing written after it.
    expect(await store.kv.keys(NS)).toEqual([]);
  });
});
