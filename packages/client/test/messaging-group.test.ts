/**
 * Group messaging with sender keys through real `Messaging` instances and the in-process relay of
 * `group-harness.ts` (the raw stanza shapes of issue 13's fixed interface): three accounts with
 * two devices each, messages both ways, distribution only to devices without our key, a removed
 * member unable to read later messages, a new member reading only what came after joining, and a
 * retry receipt answered pairwise with a fresh SKDM.
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { emptySenderKeyRecord, encodeSenderKeyRecord } from '@wakit/signal';
import { beforeEach, describe, expect, it } from 'vitest';
import { notificationHandlers } from '../src/messaging/notifications';
import { sendMessage } from '../src/messaging/send';
import { bareStanza, type Device, GroupNet, skdmTargets, texts } from './group-harness';

const GROUP = '120363000000000001@g.us';
const A = '15550000001@s.whatsapp.net';
const B = '15550000002@s.whatsapp.net';
const C = '15550000003@s.whatsapp.net';

let net: GroupNet;
let a1: Device;
let a2: Device;
let b1: Device;
let b2: Device;
let c1: Device;
let c2: Device;

async function send(dev: Device, text: string): Promise<string> {
  const sent = sendMessage(dev.m, GROUP, { conversation: text });
  const id = await sent;
  await net.idle();
  return id;
}

const lastStanza = (dev: Device) => net.lastMessage(dev);

beforeEach(async () => {
  net = new GroupNet();
  [a1, a2] = [await net.addDevice('15550000001', 1), await net.addDevice('15550000001', 2)];
  [b1, b2] = [await net.addDevice('15550000002', 1), await net.addDevice('15550000002', 2)];
  [c1, c2] = [await net.addDevice('15550000003', 1), await net.addDevice('15550000003', 2)];
  net.groups.set(GROUP, [A, B, C]);
});

describe('group messages with sender keys', () => {
  it('reach every other device of three accounts, both ways, with info naming group and sender', async () => {
    await send(a1, 'from a1');
    for (const dev of [a2, b1, b2, c1, c2]) expect(texts(dev)).toEqual(['from a1']);
    expect(texts(a1)).toEqual([]);
    const info = b1.events.find((e) => e.event === 'message')!.payload.info!;
    expect(info).toMatchObject({ chat: GROUP, sender: a1.jid, isGroup: true, fromMe: false });
    expect(a2.events.find((e) => e.event === 'message')!.payload.info?.fromMe).toBe(true);

    await send(c2, 'from c2');
    for (const dev of [a1, a2, b1, b2, c1]) expect(texts(dev).at(-1)).toBe('from c2');
    for (const dev of [a1, a2, b1, b2, c1, c2]) expect(dev.errors).toEqual([]);
    // Delivery receipts name the sender device in `participant`.
    expect(b1.receipts.at(-1)!.attrs).toMatchObject({ to: GROUP, participant: c2.jid });
  });

  it('sends the SKDM only to devices without our key, and the skmsg once, with phash', async () => {
    await send(a1, 'one');
    const first = lastStanza(a1);
    expect(skdmTargets(first)).toEqual([a2.jid, b1.jid, b2.jid, c1.jid, c2.jid].sort());
    expect(getChildren(first, 'enc').map((e) => e.attrs.type)).toEqual(['skmsg']);
    expect(first.attrs.phash).toMatch(/^2:[A-Za-z0-9+/]{8}$/);
    expect(first.content && (first.content as BinaryNode[]).map((c) => c.tag)).toEqual([
      'participants',
      'device-identity',
      'enc',
    ]);
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual(
      [a2.jid, b1.jid, b2.jid, c1.jid, c2.jid].sort(),
    );
    await send(a1, 'two');
    const second = lastStanza(a1);
    expect(skdmTargets(second)).toEqual([]);
    expect(getChild(second, 'participants')).toBeUndefined();
    expect(texts(c1)).toEqual(['one', 'two']);
  });

  it("keeps reading a member's skmsgs after learning its LID: the sender key moves with its sessions", async () => {
    await send(a1, 'one');
    await b1.m.peers.learn('99887766554433@lid', A);
    await send(a1, 'two');
    expect(texts(b1)).toEqual(['one', 'two']);
    // Read at once: no retry receipt asked a1 for its key again.
    expect(b1.receipts.filter((r) => r.attrs.type === 'retry')).toEqual([]);
    expect(await b1.store.loadSenderKey(`${GROUP}::99887766554433_1::1`)).toBeDefined();
    expect(await b1.store.loadSenderKey(`${GROUP}::15550000001::1`)).toBeUndefined();
  });

  it('decrypts skmsgs that arrive out of order within the window', async () => {
    await send(a1, 'first');
    // Hold back b1's deliveries of the next two and hand them over reversed.
    const held: BinaryNode[] = [];
    b1.dropEnc = (enc) => {
      if (enc.attrs.type !== 'skmsg') return false;
      held.push(enc);
      return true;
    };
    await send(a1, 'second');
    await send(a1, 'third');
    b1.dropEnc = undefined;
    const [second, third] = [net.wire.at(-2)!.node, net.wire.at(-1)!.node].map((n) => n);
    expect(held).toHaveLength(2);
    const { messageHandler } = await import('../src/messaging/receive');
    for (const [index, node] of [
      [1, third],
      [0, second],
    ] as const) {
      await messageHandler(b1.m).handle({
        node: {
          tag: 'message',
          attrs: { from: GROUP, participant: a1.jid, id: node.attrs.id!, t: '1700000100', type: 'text' },
          content: [held[index]!],
        },
        offline: false,
        acked: false,
        ack: async () => {},
        ackWith: async () => {},
        send: async () => {},
      });
    }
    expect(texts(b1)).toEqual(['first', 'third', 'second']);
  });

  it('rotates our key when a member is removed: the removed member cannot read what follows', async () => {
    await send(a1, 'before');
    // A second send, so the group's devices are remembered from lists already fetched.
    await send(a1, 'before, again');
    expect(texts(c1)).toEqual(['before', 'before, again']);
    net.groups.set(GROUP, [A, B]);
    await net.notify(
      GROUP,
      [{ tag: 'remove', attrs: {}, content: [{ tag: 'participant', attrs: { jid: C } }] }],
      [A, B, C],
    );
    expect(await a1.store.senderKeyDevices.get(GROUP)).toEqual([]);
    await send(a1, 'after');
    const stanza = lastStanza(a1);
    // A new key, given to every remaining device.
    expect(skdmTargets(stanza)).toEqual([a2.jid, b1.jid, b2.jid].sort());
    for (const dev of [a2, b1, b2]) expect(texts(dev)).toEqual(['before', 'before, again', 'after']);
    // The removed member, handed the skmsg anyway (a relay that still delivered it), cannot read it.
    const skmsg = getChildren(stanza, 'enc').find((e) => e.attrs.type === 'skmsg')!;
    const { messageHandler } = await import('../src/messaging/receive');
    await messageHandler(c1.m).handle({
      node: {
        tag: 'message',
        attrs: { from: GROUP, participant: a1.jid, id: stanza.attrs.id!, t: '1700000200', type: 'text' },
        content: [skmsg],
      },
      offline: false,
      acked: false,
      ack: async () => {},
      ackWith: async () => {},
      send: async () => {},
    });
    expect(texts(c1)).toEqual(['before', 'before, again']);
    expect(c1.events.some((e) => e.event === 'undecryptable' && e.payload.reason === 'decrypt-failed')).toBe(
      true,
    );
  });

  it('a new member reads only what came after joining', async () => {
    net.groups.set(GROUP, [A, B]);
    await send(a1, 'before joining');
    // A second send, so the group's devices are remembered from lists already fetched.
    await send(a1, 'still before');
    expect(texts(c1)).toEqual([]);
    net.groups.set(GROUP, [A, B, C]);
    await net.notify(GROUP, [
      { tag: 'add', attrs: {}, content: [{ tag: 'participant', attrs: { jid: C } }] },
    ]);
    await send(a1, 'after joining');
    expect(skdmTargets(lastStanza(a1))).toEqual([c1.jid, c2.jid].sort());
    for (const dev of [c1, c2]) expect(texts(dev)).toEqual(['after joining']);
    expect(texts(b1)).toEqual(['before joining', 'still before', 'after joining']);
  });

  it('answers a retry receipt pairwise with the message and a fresh SKDM', async () => {
    await send(a1, 'hello');
    // b2 loses a1's sender key (a reinstall of the key store, say): the next skmsg fails.
    const name = `${GROUP}::15550000001::1`;
    expect(await b2.store.loadSenderKey(name)).toBeDefined();
    await b2.store.storeSenderKey(name, encodeSenderKeyRecord(emptySenderKeyRecord()));
    await send(a1, 'again');
    const retry = b2.receipts.find((r) => r.attrs.type === 'retry');
    expect(retry?.attrs).toMatchObject({ to: GROUP, participant: a1.jid, type: 'retry' });
    const resend = net.wire
      .filter((w) => w.from === a1.jid && w.node.attrs.participant === b2.jid)
      .at(-1)?.node;
    expect(resend?.attrs).toMatchObject({ to: GROUP, participant: b2.jid });
    expect(getChild(resend!, 'enc')!.attrs.count).toBe('1');
    expect(texts(b2)).toEqual(['hello', 'again']);
    // The fresh SKDM came with it: the next skmsg decrypts without another retry.
    await send(a1, 'third');
    expect(texts(b2)).toEqual(['hello', 'again', 'third']);
    expect(b2.receipts.filter((r) => r.attrs.type === 'retry')).toHaveLength(1);
  });

  it('a phash on the ack that differs from ours refreshes devices: the next send reaches a new device', async () => {
    await send(a1, 'one');
    // Our phash matched the relay's: the participants stay cached.
    expect(await a1.m.groups.cached(GROUP)).toBeDefined();
    const b3 = await net.addDevice('15550000002', 3);
    // b3 is offline for 'two' (else its retry receipt would bring it our key at once).
    b3.dropEnc = () => true;
    await send(a1, 'two');
    b3.dropEnc = undefined;
    // The relay knew b3, we did not: the group and its device lists are forgotten.
    expect(await a1.m.groups.cached(GROUP)).toBeUndefined();
    expect(texts(b3)).toEqual([]);
    await send(a1, 'three');
    expect(skdmTargets(lastStanza(a1))).toEqual([b3.jid]);
    expect(texts(b3)).toEqual(['three']);
  });

  it('marks nothing for a retry resend: the next send gives the device our key again, marked once acked', async () => {
    await send(a1, 'one');
    // b3 is unknown to a1: it gets the skmsg without our key, asks again, and reads the resend.
    const b3 = await net.addDevice('15550000002', 3);
    await send(a1, 'two');
    expect(b3.receipts.filter((r) => r.attrs.type === 'retry')).toHaveLength(1);
    expect(texts(b3)).toEqual(['two']);
    // Marked in the resend's transaction, a resend lost to a crash, or one that gave a key
    // dropped meanwhile, would leave b3 marked without our current key.
    expect(await a1.store.senderKeyDevices.get(GROUP)).not.toContain(b3.jid);
    await send(a1, 'three');
    expect(skdmTargets(lastStanza(a1))).toEqual([b3.jid]);
    expect(await a1.store.senderKeyDevices.get(GROUP)).toContain(b3.jid);
    await send(a1, 'four');
    expect(skdmTargets(lastStanza(a1))).toEqual([]);
    expect(texts(b3)).toEqual(['two', 'three', 'four']);
    expect(b3.receipts.filter((r) => r.attrs.type === 'retry')).toHaveLength(1);
  });

  it('a devices notification for a member makes the next send reach its new device', async () => {
    await send(a1, 'one');
    await send(a1, 'two');
    expect(skdmTargets(lastStanza(a1))).toEqual([]);
    const b3 = await net.addDevice('15550000002', 3);
    const node: BinaryNode = {
      tag: 'notification',
      attrs: { from: B, type: 'devices', id: 'd1' },
      content: [{ tag: 'add', attrs: {}, content: [{ tag: 'device', attrs: { jid: b3.jid } }] }],
    };
    const devices = notificationHandlers(a1.m).find((h) => h.name === 'messaging:devices')!;
    await devices.handle(bareStanza(node));
    // The group did not change, only B's device list: the send after it must still see b3.
    await send(a1, 'three');
    expect(skdmTargets(lastStanza(a1))).toEqual([b3.jid]);
    expect(texts(b3)).toEqual(['three']);
    expect(b3.receipts.filter((r) => r.attrs.type === 'retry')).toEqual([]);
  });

  it('keeps the devices and phash of a group between sends while nothing changed', async () => {
    await send(a1, 'one');
    const queries = net.wire.filter((w) => w.from === a1.jid && w.node.tag === 'iq').length;
    await send(a1, 'two');
    await send(a1, 'three');
    expect(net.wire.filter((w) => w.from === a1.jid && w.node.tag === 'iq')).toHaveLength(queries);
    expect(lastStanza(a1).attrs.phash).toBe(
      net.wire.filter((w) => w.from === a1.jid && w.node.tag === 'message')[0]!.node.attrs.phash,
    );
    for (const dev of [a2, b1, b2, c1, c2]) expect(texts(dev)).toEqual(['one', 'two', 'three']);
  });

  it('leaves w:gp2 notifications unclaimed for the features module', async () => {
    // `notify` throws when the handler claims; the cache follows the change.
    await send(a1, 'one');
    await net.notify(GROUP, [
      {
        tag: 'add',
        attrs: {},
        content: [{ tag: 'participant', attrs: { jid: '15550000009@s.whatsapp.net' } }],
      },
    ]);
    expect((await a1.m.groups.cached(GROUP))?.participants.map((p) => p.jid)).toContain(
      '15550000009@s.whatsapp.net',
    );
  });

  it('replaces an unreadable stored sender key with the SKDM of the resend its retry asked for', async () => {
    await send(a1, 'hello');
    await c1.store.storeSenderKey(`${GROUP}::15550000001::1`, Uint8Array.of(1, 2, 3));
    await send(a1, 'again');
    expect(c1.receipts.filter((r) => r.attrs.type === 'retry')).toHaveLength(1);
    await send(a1, 'third');
    expect(texts(c1)).toEqual(['hello', 'again', 'third']);
    expect(c1.errors).toEqual([]);
  });
});
