/**
 * A virtual phone sending, with plain nodes: the stanza it hands the server (docs/protocol.md §7.1),
 * what each recipient device decrypts from it, and its answers to retry receipts.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { generatePreKeys } from '@wakit/signal';
import { describe, expect, it } from 'vitest';
import { uintToBytes } from '../src/_bytes';
import { child, children } from '../src/nodes';
import { PHONE_MAX_RETRY_COUNT } from '../src/phone-receive';
import {
  addFakeDevice,
  captureSubmissions,
  decryptEnc,
  deliver,
  deliveredMessage,
  type FakeDevice,
  makeState,
  NOW_MS,
} from './phone-fixtures';

async function setup() {
  const { state, phones } = makeState();
  const submitted = captureSubmissions(state);
  const phone = await phones.create('15550001111', { lidUser: '100000000000001' });
  const other = await phones.create('15550002222', { lidUser: '200000000000002' });
  const peer = await addFakeDevice(state, other, 3);
  const companion = await addFakeDevice(state, phone, 1);
  return { state, phone, other, peer, companion, submitted };
}

function participants(stanza: BinaryNode): BinaryNode[] {
  return children(child(stanza, 'participants'), 'to');
}

function encFor(stanza: BinaryNode, jid: string): BinaryNode {
  const to = participants(stanza).find((p) => p.attrs.jid === jid);
  expect(to, `a <to jid="${jid}">`).toBeDefined();
  return child(to, 'enc')!;
}

/** A retry receipt from `device` for `id`, offering a fresh prekey of its own when `withKeys`. */
async function retryFrom(device: FakeDevice, id: string, count: number, withKeys: boolean, attrs = {}) {
  const content: BinaryNode[] = [
    { tag: 'retry', attrs: { v: '1', id, t: '1767225600', count: String(count) } },
    { tag: 'registration', attrs: {}, content: uintToBytes(await device.store.getLocalRegistrationId(), 4) },
  ];
  if (withKeys) {
    const [fresh] = await generatePreKeys(900, 1, crypto);
    device.store.addPreKey(fresh!.keyId, fresh!.keyPair);
    const signed = device.record.keys.signedPreKey;
    content.push({
      tag: 'keys',
      attrs: {},
      content: [
        { tag: 'type', attrs: {}, content: Uint8Array.of(5) },
        { tag: 'identity', attrs: {}, content: device.record.keys.identity },
        {
          tag: 'key',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: uintToBytes(fresh!.keyId, 3) },
            { tag: 'value', attrs: {}, content: fresh!.keyPair.publicKey },
          ],
        },
        {
          tag: 'skey',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: uintToBytes(signed.id, 3) },
            { tag: 'value', attrs: {}, content: signed.publicKey },
            { tag: 'signature', attrs: {}, content: signed.signature },
          ],
        },
      ],
    });
  }
  return {
    tag: 'receipt',
    attrs: { from: device.record.jid, id, t: '1767225600', type: 'retry', ...attrs },
    content,
  } satisfies BinaryNode;
}

describe('a virtual phone sending', () => {
  it("encrypts for every device of the peer and, wrapped, for its own companions, in one stanza of to's namespace", async () => {
    const { state, phone, other, peer, companion, submitted } = await setup();
    const peerKeys = peer.record.keys.preKeyCount;
    const id = await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'hello' });
    expect(id).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(submitted).toHaveLength(1);
    const [stanza] = submitted;
    expect(stanza!.attrs).toEqual({ to: '15550002222@s.whatsapp.net', id, type: 'text' });
    // docs/protocol.md §7.1: no <device-identity> from a primary, no other child.
    expect((stanza!.content as BinaryNode[]).map((n) => n.tag)).toEqual(['participants']);
    expect(participants(stanza!).map((p) => p.attrs.jid)).toEqual([
      '15550002222@s.whatsapp.net',
      '15550002222:3@s.whatsapp.net',
      '15550001111:1@s.whatsapp.net',
    ]);
    for (const to of participants(stanza!)) {
      expect(child(to, 'enc')!.attrs).toEqual({ v: '2', type: 'pkmsg' });
    }
    const phoneRecord = state.devices.get(phone.jid)!;
    expect((await decryptEnc(peer, phoneRecord, encFor(stanza!, peer.record.jid))).conversation).toBe(
      'hello',
    );
    const copy = await decryptEnc(companion, phoneRecord, encFor(stanza!, companion.record.jid));
    expect(copy.deviceSentMessage?.destinationJid).toBe('15550002222@s.whatsapp.net');
    expect(copy.deviceSentMessage?.message?.conversation).toBe('hello');
    expect(copy.conversation).toBe('');
    // The other phone decrypts its share like any device.
    const share = encFor(stanza!, other.jid);
    await deliver(
      state,
      other,
      deliveredMessage({
        from: phone.jid,
        id,
        enc: { type: share.attrs.type!, ciphertext: share.content as Uint8Array },
      }),
    );
    expect(other.messages[0]?.message.conversation).toBe('hello');
    expect(other.messages[0]?.info.chat).toBe(phone.jid);
    expect(submitted[1]).toEqual({ tag: 'receipt', attrs: { id, to: phone.jid } });
    // Taking a bundle consumed one of the peer's one-time prekeys, as a fetch does; a second send
    // reuses the session.
    expect(peer.record.keys.preKeyCount).toBe(peerKeys - 1);
    await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'again' });
    expect(peer.record.keys.preKeyCount).toBe(peerKeys - 1);
    expect(
      (await decryptEnc(peer, phoneRecord, encFor(submitted.at(-1)!, peer.record.jid))).conversation,
    ).toBe('again');
  });

  it("puts the message's messageContextInfo on the own companions' wrapper too (whatsmeow marshalMessage)", async () => {
    const { state, phone, companion, submitted } = await setup();
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
    await phone.sendMessage('15550002222@s.whatsapp.net', {
      conversation: 'secret',
      messageContextInfo: { messageSecret: secret },
    });
    const copy = await decryptEnc(
      companion,
      state.devices.get(phone.jid)!,
      encFor(submitted[0]!, companion.record.jid),
    );
    expect(copy.messageContextInfo?.messageSecret).toEqual(secret);
    expect(copy.deviceSentMessage?.message?.messageContextInfo?.messageSecret).toEqual(secret);
  });

  it('names every device in the LID namespace when to is a LID', async () => {
    const { phone, submitted } = await setup();
    await phone.sendMessage('200000000000002@lid', { conversation: 'lid' });
    expect(submitted[0]!.attrs.to).toBe('200000000000002@lid');
    expect(participants(submitted[0]!).map((p) => p.attrs.jid)).toEqual([
      '200000000000002@lid',
      '200000000000002:3@lid',
      '100000000000001:1@lid',
    ]);
  });

  it('sets type and mediatype from the message, and the id and edit it is given', async () => {
    const { phone, submitted } = await setup();
    await phone.sendMessage(
      '15550002222@s.whatsapp.net',
      { imageMessage: { caption: 'pic' } },
      { id: '3EB0CAFE' },
    );
    expect(submitted[0]!.attrs).toMatchObject({ id: '3EB0CAFE', type: 'media' });
    for (const to of participants(submitted[0]!)) expect(child(to, 'enc')!.attrs.mediatype).toBe('image');
    await phone.sendMessage(
      '15550002222@s.whatsapp.net',
      { reactionMessage: { key: { id: '3EB0CAFE' }, text: '👍' } },
      { edit: '1' },
    );
    expect(submitted[1]!.attrs).toMatchObject({ type: 'reaction', edit: '1' });
  });

  it('skips removed companions and refuses an account the server does not have', async () => {
    const { state, phone, peer, submitted } = await setup();
    peer.record.removed = true;
    await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'x' });
    expect(participants(submitted[0]!).map((p) => p.attrs.jid)).not.toContain(peer.record.jid);
    await expect(phone.sendMessage('15559999999@s.whatsapp.net', { conversation: 'x' })).rejects.toThrow(
      RangeError,
    );
    await expect(phone.sendMessage('120363000000000001@g.us', { conversation: 'x' })).rejects.toThrow(
      RangeError,
    );
    expect(state.devices.size).toBe(4);
  });

  it('answers a retry receipt that offers keys with a resend on a fresh session, to that device only', async () => {
    const { state, phone, peer, submitted } = await setup();
    const id = await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'lost' });
    // The peer "lost" the first ciphertext and asks again with a new prekey (docs/protocol.md §7.5).
    await deliver(state, phone, await retryFrom(peer, id, 2, true));
    const resend = submitted[1]!;
    // docs/protocol.md §7.1 "Resend after retry": top-level <enc count>, no <participants>.
    expect(resend.attrs).toEqual({
      to: peer.record.jid,
      id,
      type: 'text',
      t: '1767225600',
      device_fanout: 'false',
    });
    expect((resend.content as BinaryNode[]).map((n) => n.tag)).toEqual(['enc']);
    const enc = child(resend, 'enc')!;
    expect(enc.attrs).toEqual({ v: '2', type: 'pkmsg', count: '2' });
    const fresh = await decryptEnc(peer, state.devices.get(phone.jid)!, enc);
    expect(fresh.conversation).toBe('lost');
    // ... then the receipt is acked and recorded.
    expect(submitted[2]).toEqual({
      tag: 'ack',
      attrs: { class: 'receipt', id, to: peer.record.jid, type: 'retry' },
    });
    expect(phone.receipts[0]).toMatchObject({ id, type: 'retry', from: peer.record.jid });
  });

  it('resends to an own companion as the wrapped copy, keeping the chat as recipient', async () => {
    const { state, phone, companion, submitted } = await setup();
    const id = await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'mine' });
    const retry = await retryFrom(companion, id, 1, false, { recipient: '15550002222@s.whatsapp.net' });
    await deliver(state, phone, retry);
    const resend = submitted[1]!;
    expect(resend.attrs).toMatchObject({ to: companion.record.jid, recipient: '15550002222@s.whatsapp.net' });
    // Without keys the existing session is used: the companion never answered, so still a pkmsg.
    const copy = await decryptEnc(companion, state.devices.get(phone.jid)!, child(resend, 'enc')!);
    expect(copy.deviceSentMessage?.message?.conversation).toBe('mine');
  });

  it('does not resend unknown messages or past the retry limit, but acks the receipt', async () => {
    const { state, phone, peer, submitted } = await setup();
    const id = await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'x' });
    await deliver(state, phone, await retryFrom(peer, '3EB0NEVERSENT', 1, false));
    await deliver(state, phone, await retryFrom(peer, id, PHONE_MAX_RETRY_COUNT, true));
    expect(submitted.slice(1).map((n) => n.tag)).toEqual(['ack', 'ack']);
  });

  it('marks messages read with one receipt listing every id', async () => {
    const { phone, submitted } = await setup();
    phone.markRead('15550002222@s.whatsapp.net', ['3EB0A', '3EB0B', '3EB0C']);
    expect(submitted).toEqual([
      {
        tag: 'receipt',
        attrs: { id: '3EB0A', to: '15550002222@s.whatsapp.net', type: 'read', t: String(NOW_MS / 1000) },
        content: [
          {
            tag: 'list',
            attrs: {},
            content: [
              { tag: 'item', attrs: { id: '3EB0B' } },
              { tag: 'item', attrs: { id: '3EB0C' } },
            ],
          },
        ],
      },
    ]);
    phone.sendReceipt('120363000000000001@g.us', ['3EB0D'], 'played', '15550002222:3@s.whatsapp.net');
    expect(submitted[1]!.attrs).toEqual({
      id: '3EB0D',
      to: '120363000000000001@g.us',
      type: 'played',
      t: String(NOW_MS / 1000),
      participant: '15550002222:3@s.whatsapp.net',
    });
  });
});
