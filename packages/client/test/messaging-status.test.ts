/**
 * Status updates (`status@broadcast`) through real `Messaging` instances and the relay of
 * `group-harness.ts`, which delivers a status to the devices its `<participants>` lists: the
 * sender names its audience per status, every device of it gets our sender key pairwise, and
 * receivers read it as a group message of the chat `status@broadcast`.
 */
import { getChildren } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { sendMessage } from '../src/messaging/send';
import { type Device, GroupNet, STATUS, skdmTargets, texts } from './group-harness';

const B = '15550000002@s.whatsapp.net';
const C = '15550000003@s.whatsapp.net';

let net: GroupNet;
let a1: Device;
let a2: Device;
let b1: Device;
let b2: Device;
let c1: Device;

async function post(text: string, recipients: string[]): Promise<void> {
  await sendMessage(a1.m, STATUS, { conversation: text }, { recipients });
  await net.idle();
}

beforeEach(async () => {
  net = new GroupNet();
  [a1, a2] = [await net.addDevice('15550000001', 1), await net.addDevice('15550000001', 2)];
  [b1, b2] = [await net.addDevice('15550000002', 1), await net.addDevice('15550000002', 2)];
  c1 = await net.addDevice('15550000003', 1);
});

describe('status updates', () => {
  it('reach every device of the recipients and our own other devices, read as status@broadcast', async () => {
    await post('first', [B, C]);
    const stanza = net.lastMessage(a1);
    expect(stanza.attrs.to).toBe(STATUS);
    expect(skdmTargets(stanza)).toEqual([a2.jid, b1.jid, b2.jid, c1.jid].sort());
    expect(getChildren(stanza, 'enc').map((e) => e.attrs.type)).toEqual(['skmsg']);
    for (const dev of [a2, b1, b2, c1]) expect(texts(dev)).toEqual(['first']);
    const info = b1.events.find((e) => e.event === 'message')!.payload.info!;
    expect(info).toMatchObject({ chat: STATUS, isGroup: true, sender: a1.jid, fromMe: false });
    expect(a2.events.find((e) => e.event === 'message')!.payload.info).toMatchObject({ fromMe: true });
    // No w:g2 query: the audience is the caller's; and no distribution marks, which would only grow.
    expect(a1.queries.filter((q) => q.attrs.xmlns === 'w:g2')).toEqual([]);
    expect(await a1.store.senderKeyDevices.get(STATUS)).toEqual([]);
    for (const dev of [a1, a2, b1, b2, c1]) expect(dev.errors).toEqual([]);
  });

  it('go to the audience each names: everyone listed gets the key, the ones left out get nothing', async () => {
    await post('to both', [B, C]);
    await post('to B', [B]);
    // Listed again although they hold the key: who is listed is who receives.
    expect(skdmTargets(net.lastMessage(a1))).toEqual([a2.jid, b1.jid, b2.jid].sort());
    expect(texts(b1)).toEqual(['to both', 'to B']);
    expect(texts(b2)).toEqual(['to both', 'to B']);
    expect(texts(c1)).toEqual(['to both']);
    await post('to C', [C]);
    expect(texts(c1)).toEqual(['to both', 'to C']);
    expect(texts(b1)).toEqual(['to both', 'to B']);
  });

  it('a receiver that lost our key asks with a retry receipt and reads the pairwise resend', async () => {
    await post('one', [B]);
    await b2.store.storeSenderKey(`${STATUS}::15550000001::1`, Uint8Array.of(1, 2, 3));
    // b2 drops the SKDM of the next status (not of the resend): the skmsg alone does not read
    // with a damaged key.
    let dropped = false;
    b2.dropEnc = (enc) => {
      if (dropped || enc.attrs.type === 'skmsg') return false;
      dropped = true;
      return true;
    };
    await post('two', [B]);
    expect(dropped).toBe(true);
    expect(b2.receipts.filter((r) => r.attrs.type === 'retry')).toHaveLength(1);
    expect(texts(b2)).toEqual(['one', 'two']);
    expect(await a1.store.senderKeyDevices.get(STATUS)).toEqual([]);
    expect(b2.errors).toEqual([]);
  });

  it('need an audience of people', async () => {
    await expect(sendMessage(a1.m, STATUS, { conversation: 'x' })).rejects.toThrow(RangeError);
    await expect(sendMessage(a1.m, STATUS, { conversation: 'x' }, { recipients: [] })).rejects.toThrow(
      RangeError,
    );
    await expect(
      sendMessage(a1.m, STATUS, { conversation: 'x' }, { recipients: ['120363000000000001@g.us'] }),
    ).rejects.toThrow(RangeError);
    await expect(sendMessage(a1.m, '123@broadcast', { conversation: 'x' })).rejects.toThrow(RangeError);
    expect(net.wire).toEqual([]);
  });
});
