/**
 * A virtual phone receiving on its device-0 endpoint, with plain nodes: messages built with
 * @wakit/signal from fake devices' keys, and exactly what the phone hands the server in return.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { create, Message_ProtocolMessage_Type, MessageSchema, toBinary } from '@wakit/proto';
import { serializePublicKey } from '@wakit/signal';
import { describe, expect, it } from 'vitest';
import { bytesToUint } from '../src/_bytes';
import { child, contentBytes } from '../src/nodes';
import { PHONE_MAX_RETRY_COUNT } from '../src/phone-receive';
import { PHONE_PREKEY_COUNT } from '../src/phone-signal';
import {
  addFakeDevice,
  captureSubmissions,
  decryptEnc,
  deliver,
  deliveredMessage,
  encryptBytes,
  encryptMessage,
  makeState,
  NOW_MS,
} from './phone-fixtures';

async function setup() {
  const { state, phones } = makeState();
  const submitted = captureSubmissions(state);
  const phone = await phones.create('15550001111');
  const other = await phones.create('15550002222');
  const peer = await addFakeDevice(state, other, 3);
  const companion = await addFakeDevice(state, phone, 1);
  return { state, phone, other, peer, companion, submitted };
}

const T = String(NOW_MS / 1000);

describe('a virtual phone receiving', () => {
  it("decrypts a peer companion's pkmsg, then its msg, and answers each with a plain delivery receipt", async () => {
    const { state, phone, peer, submitted } = await setup();
    const phoneRecord = state.devices.get(phone.jid)!;
    const before = phoneRecord.keys.preKeyCount;
    const first = await encryptMessage(peer, phoneRecord, { conversation: 'hello phone' });
    expect(first.type).toBe('pkmsg');
    await deliver(
      state,
      phone,
      deliveredMessage({
        from: peer.record.jid,
        id: '3EB0AAAA',
        enc: first,
        attrs: { notify: 'Peer', sender_lid: peer.record.lid },
      }),
    );
    expect(phone.undecryptable).toEqual([]);
    expect(phone.messages).toHaveLength(1);
    expect(phone.messages[0]!.message.conversation).toBe('hello phone');
    expect(phone.messages[0]!.info).toEqual({
      id: '3EB0AAAA',
      chat: '15550002222@s.whatsapp.net',
      sender: '15550002222:3@s.whatsapp.net',
      senderAlt: peer.record.lid,
      fromMe: false,
      isGroup: false,
      timestamp: NOW_MS / 1000,
      pushName: 'Peer',
      offline: false,
    });
    // The receipt is the only answer: no ack beside it (server-for-baileys7 §3).
    expect(submitted).toEqual([{ tag: 'receipt', attrs: { id: '3EB0AAAA', to: peer.record.jid } }]);
    // The companion took one of the phone's published prekeys; its private half did the decrypt.
    expect(phoneRecord.keys.preKeyCount).toBe(before - 1);

    // The phone's reply continues that session (a msg); once the peer decrypted it, the peer's
    // next message is a msg too.
    await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'hi' });
    const reply = submitted[1]!;
    const to = (child(reply, 'participants')!.content as BinaryNode[]).find(
      (n) => n.attrs.jid === peer.record.jid,
    )!;
    expect(child(to, 'enc')!.attrs.type).toBe('msg');
    expect((await decryptEnc(peer, phoneRecord, child(to, 'enc')!)).conversation).toBe('hi');
    const second = await encryptMessage(peer, phoneRecord, { conversation: 'again' });
    expect(second.type).toBe('msg');
    await deliver(state, phone, deliveredMessage({ from: peer.record.jid, id: '3EB0BBBB', enc: second }));
    expect(phone.messages.map((m) => m.message.conversation)).toEqual(['hello phone', 'again']);
    expect(submitted[2]).toEqual({ tag: 'receipt', attrs: { id: '3EB0BBBB', to: peer.record.jid } });
  });

  it('reads the LID namespace: sender, chat and senderAlt as the stanza names them, offline and edit', async () => {
    const { state, phone, peer } = await setup();
    const enc = await encryptMessage(peer, state.devices.get(phone.jid)!, { conversation: 'via lid' });
    await deliver(
      state,
      phone,
      deliveredMessage({
        from: peer.record.lid,
        id: '3EB0CCCC',
        enc,
        attrs: { sender_pn: peer.record.jid, offline: '1', edit: '1' },
      }),
    );
    const { info } = phone.messages[0]!;
    expect(info.sender).toBe(peer.record.lid);
    expect(info.chat).toBe(`${peer.record.lid.split(':')[0]}@lid`);
    expect(info.senderAlt).toBe(peer.record.jid);
    expect(info.offline).toBe(true);
    expect(info.edit).toBe('1');
    expect(info.pushName).toBeUndefined();
  });

  it("unwraps an own companion's deviceSentMessage copy and answers with a sender receipt", async () => {
    const { state, phone, companion, submitted } = await setup();
    const dsm = {
      deviceSentMessage: {
        destinationJid: '15550002222@s.whatsapp.net',
        message: { conversation: 'sent from my laptop' },
      },
    };
    const enc = await encryptMessage(companion, state.devices.get(phone.jid)!, dsm);
    const node = deliveredMessage({
      from: companion.record.jid,
      id: '3EB0DDDD',
      enc,
      attrs: { recipient: '15550002222@s.whatsapp.net', peer_recipient_lid: '1999@lid' },
    });
    await deliver(state, phone, node);
    const [received] = phone.messages;
    expect(received!.message.conversation).toBe('sent from my laptop');
    expect(received!.message.deviceSentMessage).toBeUndefined();
    expect(received!.info.fromMe).toBe(true);
    expect(received!.info.chat).toBe('15550002222@s.whatsapp.net');
    expect(received!.info.sender).toBe(companion.record.jid);
    expect(submitted).toEqual([
      {
        tag: 'receipt',
        attrs: {
          id: '3EB0DDDD',
          to: companion.record.jid,
          recipient: '15550002222@s.whatsapp.net',
          type: 'sender',
        },
      },
    ]);
  });

  it("answers an own companion's peer message with a peer_msg receipt", async () => {
    const { state, phone, companion, submitted } = await setup();
    const enc = await encryptMessage(companion, state.devices.get(phone.jid)!, {
      protocolMessage: { type: Message_ProtocolMessage_Type.APP_STATE_SYNC_KEY_REQUEST },
    });
    await deliver(
      state,
      phone,
      deliveredMessage({ from: companion.record.jid, id: '3EB0PEER', enc, attrs: { category: 'peer' } }),
    );
    expect(phone.messages[0]!.info).toMatchObject({ fromMe: true, chat: phone.jid });
    expect(submitted).toEqual([
      { tag: 'receipt', attrs: { id: '3EB0PEER', to: companion.record.jid, type: 'peer_msg' } },
    ]);
  });

  it('takes the chat of an own copy from its deviceSentMessage when the stanza has no recipient', async () => {
    const { state, phone, companion } = await setup();
    const enc = await encryptMessage(companion, state.devices.get(phone.jid)!, {
      deviceSentMessage: { destinationJid: '15550002222@s.whatsapp.net', message: { conversation: 'x' } },
    });
    await deliver(state, phone, deliveredMessage({ from: companion.record.jid, id: '3EB0EEEE', enc }));
    expect(phone.messages[0]!.info.chat).toBe('15550002222@s.whatsapp.net');
  });

  it('strips 1..16 bytes of v="2" padding and none under v="3"', async () => {
    const { state, phone, peer } = await setup();
    const phoneRecord = state.devices.get(phone.jid)!;
    const body = toBinary(MessageSchema, create(MessageSchema, { conversation: 'pad' }));
    for (const padByte of [0x00, 0x0f, 0xf7]) {
      const enc = await encryptMessage(peer, phoneRecord, { conversation: 'pad' }, padByte);
      await deliver(state, phone, deliveredMessage({ from: peer.record.jid, id: `3EB0P${padByte}`, enc }));
    }
    const unpadded = await encryptBytes(peer, phoneRecord, body);
    await deliver(
      state,
      phone,
      deliveredMessage({ from: peer.record.jid, id: '3EB0V3', enc: { ...unpadded, v: '3' } }),
    );
    expect(phone.undecryptable).toEqual([]);
    expect(phone.messages.map((m) => m.message.conversation)).toEqual(['pad', 'pad', 'pad', 'pad']);
  });

  it('records a plaintext with malformed padding as undecryptable and asks for a retry', async () => {
    const { state, phone, peer, submitted } = await setup();
    const body = toBinary(MessageSchema, create(MessageSchema, { conversation: 'no pad' }));
    const enc = await encryptBytes(peer, state.devices.get(phone.jid)!, Uint8Array.of(...body, 0));
    await deliver(state, phone, deliveredMessage({ from: peer.record.jid, id: '3EB0BADPAD', enc }));
    expect(phone.messages).toEqual([]);
    expect(phone.undecryptable[0]!.error.message).toMatch(/padding/);
    expect(submitted[0]!.attrs.type).toBe('retry');
    expect(child(submitted[0], 'retry')!.attrs.error).toBe('4');
  });

  it('answers a message that does not decrypt with retry receipts: count 1 bare, keys from count 2, none from 5', async () => {
    const { state, phone, peer, submitted } = await setup();
    const garbage = { type: 'msg', ciphertext: crypto.randomBytes(60) };
    const node = deliveredMessage({
      from: peer.record.jid,
      id: '3EB0FAIL',
      enc: garbage,
      attrs: { notify: 'Peer' },
    });
    await deliver(state, phone, node);
    expect(phone.messages).toEqual([]);
    expect(phone.undecryptable).toHaveLength(1);
    const [failure] = phone.undecryptable;
    expect(failure!.encType).toBe('msg');
    expect(failure!.retryCount).toBe(1);
    expect(failure!.info.id).toBe('3EB0FAIL');
    expect((failure!.error as { code?: string }).code).toBe('ERR_SIGNAL_NO_SESSION');

    // docs/protocol.md §7.5: <receipt to id type="retry"><retry v id t count error/><registration/></receipt>
    const first = submitted[0]!;
    expect(first.attrs).toEqual({ id: '3EB0FAIL', to: peer.record.jid, type: 'retry' });
    expect(child(first, 'retry')!.attrs).toEqual({ v: '1', id: '3EB0FAIL', t: T, count: '1', error: '1' });
    expect(bytesToUint(contentBytes(child(first, 'registration'))!)).toBe(phone.registrationId);
    expect(child(first, 'keys')).toBeUndefined();
    expect(submitted).toHaveLength(1);

    await deliver(state, phone, node);
    const second = submitted[1]!;
    expect(child(second, 'retry')!.attrs.count).toBe('2');
    const keys = child(second, 'keys')!;
    expect((keys.content as BinaryNode[]).map((n) => n.tag)).toEqual(['type', 'identity', 'key', 'skey']);
    expect(contentBytes(child(keys, 'type'))).toEqual(Uint8Array.of(5));
    expect(contentBytes(child(keys, 'identity'))).toEqual(phone.identity.publicKey);
    const skey = child(keys, 'skey')!;
    expect(bytesToUint(contentBytes(child(skey, 'id'))!)).toBe(phone.signal.signedPreKey.keyId);
    expect(contentBytes(child(skey, 'value'))).toEqual(phone.signal.signedPreKey.keyPair.publicKey);
    expect(
      await crypto.verify(
        phone.identity.publicKey,
        serializePublicKey(contentBytes(child(skey, 'value'))!),
        contentBytes(child(skey, 'signature'))!,
      ),
    ).toBe(true);
    // The offered one-time key is kept (so a pkmsg on it decrypts) but not published.
    const offered = bytesToUint(contentBytes(child(child(keys, 'key'), 'id'))!);
    expect(phone.signal.store.preKeys.get(offered)?.publicKey).toEqual(
      contentBytes(child(child(keys, 'key'), 'value')),
    );
    expect(state.devices.get(phone.jid)!.keys.preKeyIds).not.toContain(offered);

    for (let i = 3; i < PHONE_MAX_RETRY_COUNT; i += 1) await deliver(state, phone, node);
    expect(submitted.map((n) => child(n, 'retry')?.attrs.count)).toEqual(['1', '2', '3', '4']);
    // The fifth failure gets no retry receipt, only an ack so the server stops delivering it.
    await deliver(state, phone, node);
    expect(submitted[4]).toEqual({
      tag: 'ack',
      attrs: { class: 'message', id: '3EB0FAIL', to: peer.record.jid },
    });
    expect(phone.undecryptable.at(-1)!.retryCount).toBeUndefined();
  });

  it("continues the sender's count for a resend that arrives first (enc count=N)", async () => {
    const { state, phone, peer, submitted } = await setup();
    const node = deliveredMessage({
      from: peer.record.jid,
      id: '3EB0RESENT',
      enc: { type: 'msg', ciphertext: crypto.randomBytes(60), count: 2 },
    });
    await deliver(state, phone, node);
    expect(child(submitted[0], 'retry')!.attrs.count).toBe('3');
  });

  it('decrypts a resend on the session the offered keys start, and the duplicate delivery is receipted once more', async () => {
    const { state, phone, peer, submitted } = await setup();
    const bad = deliveredMessage({
      from: peer.record.jid,
      id: '3EB0LOST',
      enc: { type: 'msg', ciphertext: crypto.randomBytes(60) },
    });
    await deliver(state, phone, bad);
    await deliver(state, phone, bad);
    const keys = child(submitted[1], 'keys')!;
    // The peer builds a fresh session from the retry receipt's bundle (whatsmeow nodeToPreKeyBundle).
    const { parseRetry } = await import('../src/phone-stanzas');
    const request = parseRetry(submitted[1]!)!;
    expect(request.bundle?.preKey?.keyId).toBe(bytesToUint(contentBytes(child(child(keys, 'key'), 'id'))!));
    const { SessionBuilder, ProtocolAddress } = await import('@wakit/signal');
    const address = new ProtocolAddress(phone.lid.split('@')[0]!, 0);
    await new SessionBuilder(peer.store, address, { crypto }).processPreKeyBundle(request.bundle!);
    const enc = await encryptMessage(peer, state.devices.get(phone.jid)!, { conversation: 'resent' });
    expect(enc.type).toBe('pkmsg');
    const resend = deliveredMessage({ from: peer.record.jid, id: '3EB0LOST', enc: { ...enc, count: 2 } });
    await deliver(state, phone, resend);
    expect(phone.messages.map((m) => m.message.conversation)).toEqual(['resent']);
    expect(submitted[2]).toEqual({ tag: 'receipt', attrs: { id: '3EB0LOST', to: peer.record.jid } });
    // A duplicate delivery (the server replays until it sees the receipt) is answered, not recorded.
    await deliver(state, phone, resend);
    expect(phone.messages).toHaveLength(1);
    expect(submitted[3]).toEqual(submitted[2]);
  });

  it('records a sender-key message it cannot decrypt and only acks it', async () => {
    const { state, phone, peer, submitted } = await setup();
    const node = deliveredMessage({
      from: '120363000000000001@g.us',
      id: '3EB0GROUP',
      enc: { type: 'skmsg', ciphertext: crypto.randomBytes(40) },
      attrs: { participant: peer.record.jid },
    });
    await deliver(state, phone, node);
    expect(phone.undecryptable[0]!.encType).toBe('skmsg');
    expect(phone.undecryptable[0]!.info).toMatchObject({
      isGroup: true,
      chat: '120363000000000001@g.us',
      sender: peer.record.jid,
    });
    expect(submitted).toEqual([
      {
        tag: 'ack',
        attrs: {
          class: 'message',
          id: '3EB0GROUP',
          to: '120363000000000001@g.us',
          participant: peer.record.jid,
        },
      },
    ]);
  });

  it('refuses a message without id or sender with a parsing-error ack, and survives a sender that is no JID', async () => {
    const { state, phone, submitted } = await setup();
    await deliver(state, phone, { tag: 'message', attrs: { from: '1@s.whatsapp.net' } });
    expect(submitted).toEqual([
      { tag: 'ack', attrs: { class: 'message', id: '', to: '1@s.whatsapp.net', error: '487' } },
    ]);
    // A sender JID that does not parse is kept as it came; the message cannot decrypt.
    const odd = deliveredMessage({
      from: 'no user@bad server',
      id: '3EB0ODD',
      enc: { type: 'msg', ciphertext: new Uint8Array(40) },
    });
    await deliver(state, phone, odd);
    expect(phone.undecryptable[0]!.info).toMatchObject({
      chat: 'no user@bad server',
      sender: 'no user@bad server',
    });
    expect(submitted[1]!.attrs).toMatchObject({ to: 'no user@bad server', type: 'retry' });
  });

  it('publishes more prekeys when they run low: after a pkmsg, and on the server notification', async () => {
    const { state, phone, peer, submitted } = await setup();
    const keys = state.devices.get(phone.jid)!.keys;
    while (keys.preKeyCount > state.options.lowPreKeyThreshold) keys.takeBundle();
    const enc = await encryptMessage(peer, state.devices.get(phone.jid)!, { conversation: 'last keys' });
    await deliver(state, phone, deliveredMessage({ from: peer.record.jid, id: '3EB0KEYS', enc }));
    expect(phone.messages).toHaveLength(1);
    expect(keys.preKeyCount).toBe(state.options.lowPreKeyThreshold - 1 + PHONE_PREKEY_COUNT);
    // Every published key has its private half in the phone's store.
    for (const id of keys.preKeyIds) expect(phone.signal.store.preKeys.has(id)).toBe(true);

    while (keys.preKeyCount > 0) keys.takeBundle();
    submitted.length = 0;
    const notification: BinaryNode = {
      tag: 'notification',
      attrs: { from: '@s.whatsapp.net', type: 'encrypt', id: 's9', t: T },
      content: [{ tag: 'count', attrs: { value: '0' } }],
    };
    await deliver(state, phone, notification);
    expect(keys.preKeyCount).toBe(PHONE_PREKEY_COUNT);
    expect(submitted).toEqual([
      { tag: 'ack', attrs: { class: 'notification', id: 's9', to: '@s.whatsapp.net', type: 'encrypt' } },
    ]);
  });

  it('records and acks receipts for what it sent, and waits for them with a deadline', async () => {
    const { state, phone, peer, submitted } = await setup();
    const waiting = phone.waitFor('receipt', (r) => r.type === 'read');
    await deliver(state, phone, {
      tag: 'receipt',
      attrs: { from: peer.record.jid, id: '3EB0SENT1', t: T, type: 'read' },
      content: [{ tag: 'list', attrs: {}, content: [{ tag: 'item', attrs: { id: '3EB0SENT2' } }] }],
    });
    await deliver(state, phone, { tag: 'receipt', attrs: { from: peer.record.jid, id: '3EB0SENT3', t: T } });
    expect(await waiting).toEqual({
      id: '3EB0SENT1',
      ids: ['3EB0SENT1', '3EB0SENT2'],
      from: peer.record.jid,
      type: 'read',
      timestamp: NOW_MS / 1000,
    });
    expect(phone.receipts.map((r) => r.type)).toEqual(['read', undefined]);
    expect(submitted).toEqual([
      { tag: 'ack', attrs: { class: 'receipt', id: '3EB0SENT1', to: peer.record.jid, type: 'read' } },
      { tag: 'ack', attrs: { class: 'receipt', id: '3EB0SENT3', to: peer.record.jid } },
    ]);
    // Already recorded: resolved at once. Never coming: a TimeoutError at the deadline.
    expect((await phone.waitFor('receipt')).id).toBe('3EB0SENT1');
    await expect(phone.waitForMessage(() => true, 20)).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });
});
