/**
 * The group participants messaging keeps between runs (`groups.ts`): a restarted client sends to
 * its groups without asking for their metadata (a query the server rate-limits); a notification
 * changes the kept copy also while the group is only in the store; and whatever forgets a group
 * (an ack's differing `phash`, a `groups` dirty bit, leaving) forgets it in the store too.
 * Real `Messaging` instances on the in-process relay of `group-harness.ts`.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { GROUP_PARTICIPANTS_NAMESPACE } from '../src/messaging/group-participants-record';
import { sendMessage } from '../src/messaging/send';
import { type Device, GroupNet, skdmTargets, texts } from './group-harness';

const GROUP = '120363000000000001@g.us';
const A = '15550000001@s.whatsapp.net';
const B = '15550000002@s.whatsapp.net';
const C = '15550000003@s.whatsapp.net';
const D = '15550000004@s.whatsapp.net';

let net: GroupNet;
let a1: Device;
let b1: Device;
let c1: Device;

async function send(dev: Device, text: string): Promise<void> {
  await sendMessage(dev.m, GROUP, { conversation: text });
  await net.idle();
}

/** The `w:g2` metadata queries `dev` made. */
const metadataQueries = (dev: Device) => dev.queries.filter((q) => q.attrs.xmlns === 'w:g2').length;

const lastStanza = (dev: Device) => net.lastMessage(dev);

const participant = (jid: string): BinaryNode => ({ tag: 'participant', attrs: { jid } });

beforeEach(async () => {
  net = new GroupNet();
  a1 = await net.addDevice('15550000001', 1);
  b1 = await net.addDevice('15550000002', 1);
  c1 = await net.addDevice('15550000003', 1);
  net.groups.set(GROUP, [A, B, C]);
});

describe('group participants kept between runs', () => {
  it('a restarted client sends to its group without asking for the members', async () => {
    await send(a1, 'one');
    expect(metadataQueries(a1)).toBe(1);
    net.restart(a1);
    await send(a1, 'two');
    expect(metadataQueries(a1)).toBe(1);
    // Same members, same devices: the skmsg alone, which both read.
    expect(skdmTargets(lastStanza(a1))).toEqual([]);
    expect(texts(b1)).toEqual(['one', 'two']);
    expect(texts(c1)).toEqual(['one', 'two']);
  });

  it('a member added while the group was only in the store is sent to after the next restart', async () => {
    await send(a1, 'one');
    net.restart(a1);
    const d1 = await net.addDevice('15550000004', 1);
    net.groups.set(GROUP, [A, B, C, D]);
    await net.notify(GROUP, [{ tag: 'add', attrs: {}, content: [participant(D)] }]);
    net.restart(a1);
    await send(a1, 'two');
    expect(metadataQueries(a1)).toBe(1);
    expect(skdmTargets(lastStanza(a1))).toEqual([d1.jid]);
    expect(texts(d1)).toEqual(['two']);
  });

  it('a member removed while the group was only in the store is not sent to after the next restart', async () => {
    await send(a1, 'one');
    net.restart(a1);
    net.groups.set(GROUP, [A, B]);
    await net.notify(GROUP, [{ tag: 'remove', attrs: {}, content: [participant(C)] }], [A, B, C]);
    net.restart(a1);
    await send(a1, 'two');
    expect(metadataQueries(a1)).toBe(1);
    // A new key (a member left), to B's device only.
    expect(skdmTargets(lastStanza(a1))).toEqual([b1.jid]);
    expect(texts(b1)).toEqual(['one', 'two']);
    expect(texts(c1)).toEqual(['one']);
    expect([...a1.errors, ...b1.errors]).toEqual([]);
  });

  it("an ack's differing phash forgets the stored copy too: after a restart the send asks again", async () => {
    await send(a1, 'one');
    const b3 = await net.addDevice('15550000002', 3);
    b3.dropEnc = () => true;
    await send(a1, 'two');
    b3.dropEnc = undefined;
    net.restart(a1);
    await send(a1, 'three');
    expect(metadataQueries(a1)).toBe(2);
    expect(texts(b3)).toEqual(['three']);
  });

  it('forgetAll (a groups dirty bit) forgets every stored group', async () => {
    await send(a1, 'one');
    await a1.m.groups.forgetAll();
    expect(await a1.store.kv.keys(GROUP_PARTICIPANTS_NAMESPACE)).toEqual([]);
    net.restart(a1);
    await send(a1, 'two');
    expect(metadataQueries(a1)).toBe(2);
    expect(texts(b1)).toEqual(['one', 'two']);
  });

  it('leaving forgets the stored copy', async () => {
    await send(a1, 'one');
    net.restart(a1);
    await net.notify(GROUP, [{ tag: 'leave', attrs: {}, content: [participant(A)] }]);
    expect(await a1.store.kv.keys(GROUP_PARTICIPANTS_NAMESPACE)).toEqual([]);
  });

  it('an unreadable stored copy is asked for again and replaced', async () => {
    await send(a1, 'one');
    await a1.store.kv.put(GROUP_PARTICIPANTS_NAMESPACE, GROUP, Uint8Array.of(0xff));
    net.restart(a1);
    await send(a1, 'two');
    expect(metadataQueries(a1)).toBe(2);
    expect(texts(b1)).toEqual(['one', 'two']);
    net.restart(a1);
    expect((await a1.m.groups.cached(GROUP))?.participants.map((p) => p.jid)).toEqual([A, B, C]);
  });
});
