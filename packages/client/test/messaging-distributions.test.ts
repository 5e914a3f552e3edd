/**
 * `Distributions` on its own (`distributions.ts`): the memory copy of a group's marks is used only
 * for the key it was read for, and an ack for a key that is no longer ours adds to neither the
 * store nor the copy. The stores are changed behind its back here to show that the key id, not
 * only `forget`, keeps a stale copy from being used.
 */
import { createSenderKeyDistributionMessage, encodeSenderKeyRecord } from '@wakit/signal';
import { describe, expect, it } from 'vitest';
import { Distributions } from '../src/messaging/distributions';
import { Mutex } from '../src/pipeline/mutex';
import { MemoryStore } from '../src/store/memory-store';

const GROUP = '120363000000000001@g.us';
const NAME = `${GROUP}::15550000001::1`;

/** Stores a new sender key of ours under NAME; resolves with its id. */
async function newKey(store: MemoryStore): Promise<number> {
  const { record } = await createSenderKeyDistributionMessage(undefined);
  await store.storeSenderKey(NAME, encodeSenderKeyRecord(record));
  return record.states[0]!.keyId;
}

describe('Distributions', () => {
  it('reads the marks again for another key, and uses its copy for the same one', async () => {
    const store = new MemoryStore();
    const distributions = new Distributions(store, new Mutex());
    const first = await newKey(store);
    await store.senderKeyDevices.add(GROUP, ['x@s.whatsapp.net']);
    expect([...(await distributions.held(GROUP, first))]).toEqual(['x@s.whatsapp.net']);
    // Changed behind its back for the same key: the copy stands.
    await store.senderKeyDevices.add(GROUP, ['y@s.whatsapp.net']);
    expect([...(await distributions.held(GROUP, first))]).toEqual(['x@s.whatsapp.net']);
    // A new key (its marks cleared), asked for without a forget: read again.
    const second = await newKey(store);
    await store.senderKeyDevices.clear(GROUP);
    expect([...(await distributions.held(GROUP, second))]).toEqual([]);
    // forget: read again for the same key.
    await store.senderKeyDevices.add(GROUP, ['z@s.whatsapp.net']);
    distributions.forget(GROUP);
    expect([...(await distributions.held(GROUP, second))]).toEqual(['z@s.whatsapp.net']);
  });

  it('counts devices in flight as held until their stanza ends, and marks them only if acked', async () => {
    const store = new MemoryStore();
    const distributions = new Distributions(store, new Mutex());
    const key = await newKey(store);
    const given = { group: GROUP, name: NAME, keyId: key, devices: ['a@s.whatsapp.net'] };
    distributions.begin(given);
    expect([...(await distributions.held(GROUP, key))]).toEqual(['a@s.whatsapp.net']);
    await distributions.end(given, false);
    expect([...(await distributions.held(GROUP, key))]).toEqual([]);
    distributions.begin(given);
    await distributions.end(given, true);
    expect([...(await distributions.held(GROUP, key))]).toEqual(['a@s.whatsapp.net']);
    expect(await store.senderKeyDevices.get(GROUP)).toEqual(['a@s.whatsapp.net']);
  });

  it('an ack for a key that is no longer ours marks nothing, in the store or in memory', async () => {
    const store = new MemoryStore();
    const distributions = new Distributions(store, new Mutex());
    const old = await newKey(store);
    const given = { group: GROUP, name: NAME, keyId: old, devices: ['a@s.whatsapp.net'] };
    expect([...(await distributions.held(GROUP, old))]).toEqual([]);
    distributions.begin(given);
    const current = await newKey(store);
    await distributions.end(given, true);
    expect(await store.senderKeyDevices.get(GROUP)).toEqual([]);
    expect([...(await distributions.held(GROUP, old))]).toEqual([]);
    expect([...(await distributions.held(GROUP, current))]).toEqual([]);
  });
});
