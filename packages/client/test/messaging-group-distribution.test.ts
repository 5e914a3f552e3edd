/**
 * When devices count as holding our sender key (`distributions.ts`): once the server acked the
 * stanza that gave it, and while that stanza is in flight; never on the strength of a commit
 * alone. Real `Messaging` instances on the relay of `group-harness.ts`, whose writes can be made
 * to fail and whose acks can be withheld.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sendMessage } from '../src/messaging/send';
import { until } from './_wait';
import { type Device, GroupNet, skdmTargets, texts } from './group-harness';

const GROUP = '120363000000000001@g.us';
const A = '15550000001@s.whatsapp.net';
const B = '15550000002@s.whatsapp.net';

let net: GroupNet;
let a1: Device;
let a2: Device;
let b1: Device;
let b2: Device;

const send = (text: string) => sendMessage(a1.m, GROUP, { conversation: text });
const sentStanzas = () =>
  net.wire.filter((w) => w.from === a1.jid && w.node.tag === 'message').map((w) => w.node);
const everyOther = () => [a2.jid, b1.jid, b2.jid].sort();

beforeEach(async () => {
  net = new GroupNet();
  [a1, a2] = [await net.addDevice('15550000001', 1), await net.addDevice('15550000001', 2)];
  [b1, b2] = [await net.addDevice('15550000002', 1), await net.addDevice('15550000002', 2)];
  net.groups.set(GROUP, [A, B]);
});

describe('sender key distribution marks', () => {
  it('a stanza that never reached the server marks nobody: the next send gives the key again', async () => {
    a1.failWrites = true;
    await expect(send('lost')).rejects.toThrow(/connection closed/);
    a1.failWrites = false;
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual([]);
    await send('next');
    await net.idle();
    expect(skdmTargets(net.lastMessage(a1))).toEqual(everyOther());
    for (const dev of [a2, b1, b2]) expect(texts(dev)).toEqual(['next']);
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual(everyOther());
    expect([...a1.errors, ...b1.errors, ...b2.errors]).toEqual([]);
  });

  it('a burst gives the key once, in its first stanza, and marks the devices as each ack comes', async () => {
    a1.withholdAcks = true;
    const burst = [send('one'), send('two'), send('three')];
    await until(() => sentStanzas().length === 3, 'the three stanzas on the wire');
    await net.idle();
    const stanzas = sentStanzas();
    expect(stanzas.map((s) => skdmTargets(s))).toEqual([everyOther(), [], []]);
    // In flight, not marked yet.
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual([]);
    for (const stanza of stanzas) a1.m.acks.receive({ id: stanza.attrs.id!, t: 1 });
    await Promise.all(burst);
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual(everyOther());
    for (const dev of [a2, b1, b2]) expect(texts(dev)).toEqual(['one', 'two', 'three']);
  });

  it('a refused stanza marks nobody: the key goes again, and a second copy of it harms no receiver', async () => {
    a1.withholdAcks = true;
    const refused = send('refused');
    refused.catch(() => {});
    await until(() => sentStanzas().length === 1, 'the stanza on the wire');
    await net.idle();
    a1.m.acks.receive({ id: net.lastMessage(a1).attrs.id!, error: 500 });
    await expect(refused).rejects.toThrow();
    a1.withholdAcks = false;
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual([]);
    await send('again');
    await net.idle();
    expect(skdmTargets(net.lastMessage(a1))).toEqual(everyOther());
    // The relay delivered the refused one anyway: each device read the key twice, and both texts.
    for (const dev of [a2, b1, b2]) expect(texts(dev)).toEqual(['refused', 'again']);
    expect([...a2.errors, ...b1.errors, ...b2.errors]).toEqual([]);
    await send('then');
    await net.idle();
    expect(skdmTargets(net.lastMessage(a1))).toEqual([]);
  });

  it('an ack that comes after our key was dropped (a member left meanwhile) marks nobody', async () => {
    a1.withholdAcks = true;
    const first = send('one');
    await until(() => sentStanzas().length === 1, 'the stanza on the wire');
    await net.idle();
    net.groups.set(GROUP, [A]);
    await net.notify(
      GROUP,
      [{ tag: 'remove', attrs: {}, content: [{ tag: 'participant', attrs: { jid: B } }] }],
      [A],
    );
    a1.m.acks.receive({ id: net.lastMessage(a1).attrs.id!, t: 1 });
    await first;
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual([]);
    a1.withholdAcks = false;
    await send('after');
    await net.idle();
    expect(skdmTargets(net.lastMessage(a1))).toEqual([a2.jid]);
    expect(texts(a2)).toEqual(['one', 'after']);
    expect(texts(b1)).toEqual(['one']);
  });

  it('a store that fails to record the marks after the ack is reported, and the send still succeeds', async () => {
    a1.withholdAcks = true;
    const sent = send('one');
    await until(() => sentStanzas().length === 1, 'the stanza on the wire');
    await net.idle();
    const transaction = a1.store.transaction.bind(a1.store);
    a1.store.transaction = async () => {
      throw new Error('the disk is full');
    };
    a1.m.acks.receive({ id: net.lastMessage(a1).attrs.id!, t: 1 });
    await expect(sent).resolves.toBeTypeOf('string');
    a1.store.transaction = transaction;
    expect(a1.errors.map((e) => (e as Error).message)).toEqual(['the disk is full']);
    // Not marked, so the next send gives the key again.
    a1.withholdAcks = false;
    await send('two');
    await net.idle();
    expect(skdmTargets(net.lastMessage(a1))).toEqual(everyOther());
    for (const dev of [a2, b1, b2]) expect(texts(dev)).toEqual(['one', 'two']);
  });
});

describe('the marks kept in memory', () => {
  it('reads the marks from the store once per key, not on every send', async () => {
    const get = a1.store.senderKeyDevices.get.bind(a1.store.senderKeyDevices);
    let reads = 0;
    a1.store.senderKeyDevices.get = async (group) => {
      reads++;
      return get(group);
    };
    // The first send makes the key (nothing to read), the second reads its marks, later ones not.
    for (const text of ['one', 'two', 'three', 'four']) await send(text);
    expect(reads).toBe(1);
    // A member left: a new key for everyone, and its marks read once.
    net.groups.set(GROUP, [A]);
    await net.notify(
      GROUP,
      [{ tag: 'remove', attrs: {}, content: [{ tag: 'participant', attrs: { jid: B } }] }],
      [A],
    );
    for (const text of ['five', 'six', 'seven']) await send(text);
    expect(reads).toBe(2);
    await net.idle();
    expect(skdmTargets(net.lastMessage(a1))).toEqual([]);
    expect(texts(a2)).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven']);
    expect(texts(b1)).toEqual(['one', 'two', 'three', 'four']);
  });
});
