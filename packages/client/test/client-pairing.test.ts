import { getBinaryContent, getChild } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import { issueDeviceIdentity, parseQr, verifyDeviceSign } from '@wakit/server';
import { describe, expect, test } from 'vitest';
import { PairingTimeoutError } from '../src/errors';
import { type FakeConnection, pairDeviceNode, S } from './_fake-server';
import { setup } from './_setup';
import { nextEvent, until } from './_wait';

const REFS = ['ref-1', 'ref-2', 'ref-3'];

describe('QR pairing', () => {
  test('an unpaired store registers, acks pair-device and rotates the QR codes 60 s then 20 s each, then gives up', async () => {
    const { server, client, timers, store } = await setup({ paired: false });
    await client.connect();
    expect(client.state).toBe('pairing');
    // Credentials were generated and saved before the registration payload went out.
    const credentials = await store.loadCredentials();
    expect(credentials?.account).toBeUndefined();
    const connection = await server.connection(0);
    expect(connection.paired).toBe(false);
    expect(connection.payload?.devicePairingData?.eIdent).toEqual(credentials!.identityKey.publicKey);

    const qrs: { qr: string; index: number; timeoutMs: number }[] = [];
    client.on('qr', (event) => qrs.push(event));
    const failed = nextEvent(client, 'pairing-failed');
    const disconnected = nextEvent(client, 'disconnected');
    await connection.send(pairDeviceNode(REFS));
    const ack = await connection.waitFor((n) => n.attrs.id === 'pd1', 'the pair-device ack');
    expect(ack.attrs).toMatchObject({ type: 'result', id: 'pd1' });
    await until(() => qrs.length === 1, 'the first QR');
    expect(parseQr(qrs[0]!.qr)).toMatchObject({ ref: 'ref-1', advSecret: credentials!.advSecretKey });
    expect(qrs[0]!.timeoutMs).toBe(60_000);
    timers.advance(59_999);
    expect(qrs).toHaveLength(1);
    timers.advance(1);
    expect(qrs.map((q) => parseQr(q.qr).ref)).toEqual(['ref-1', 'ref-2']);
    expect(qrs[1]!.timeoutMs).toBe(20_000);
    timers.advance(20_000);
    expect(qrs).toHaveLength(3);
    timers.advance(19_999);
    expect(client.state).toBe('pairing');
    timers.advance(1);
    expect((await failed).error).toBeInstanceOf(PairingTimeoutError);
    expect(await disconnected).toMatchObject({ reason: 'pairing-failed', willReconnect: false });
    expect(client.state).toBe('closed');
  });

  test('pair-success: credentials saved before the reply, paired emitted, then 515 logs in with the login payload', async () => {
    const { server, client, timers, store } = await setup({ paired: false });
    const phone = await nodeCrypto.generateKeyPair();
    await client.connect();
    const connection = await server.connection(0);
    const firstQr = nextEvent(client, 'qr');
    await connection.send(pairDeviceNode(REFS));
    const qr = parseQr((await firstQr).qr);

    const issued = await issueDeviceIdentity({
      crypto: nodeCrypto,
      account: phone,
      companionIdentity: qr.identityKey,
      advSecret: qr.advSecret,
      keyIndex: 3,
    });
    let storedWhenReplied: unknown;
    const reply = connection
      .waitFor((n) => n.attrs.id === 'ps1', 'the pair-device-sign')
      .then(async (node) => {
        storedWhenReplied = (await store.loadCredentials())?.account?.jid;
        return node;
      });
    const paired = nextEvent(client, 'paired');
    await connection.send({
      tag: 'iq',
      attrs: { from: S, type: 'result', id: 'ps1' },
      content: [
        {
          tag: 'pair-success',
          attrs: {},
          content: [
            { tag: 'device-identity', attrs: {}, content: issued.container },
            { tag: 'platform', attrs: { name: 'android' } },
            { tag: 'device', attrs: { jid: '15550002222:4@s.whatsapp.net', lid: '4242:4@lid' } },
          ],
        },
      ],
    });
    const sign = await reply;
    expect(storedWhenReplied).toBe('15550002222:4@s.whatsapp.net');
    const identity = getChild(getChild(sign, 'pair-device-sign')!, 'device-identity')!;
    expect(identity.attrs['key-index']).toBe('3');
    await verifyDeviceSign({
      crypto: nodeCrypto,
      signed: getBinaryContent(identity)!,
      keyIndexAttr: identity.attrs['key-index'],
      issued,
      companionIdentity: qr.identityKey,
      accountSignatureKey: phone.publicKey,
    });
    expect((await paired).account.jid).toBe('15550002222:4@s.whatsapp.net');

    const connected = nextEvent(client, 'connected');
    await connection.send({ tag: 'stream:error', attrs: { code: '515' } });
    await until(() => client.state === 'waiting-to-reconnect', 'the 515 drop');
    timers.advance(0);
    await connected;
    const second: FakeConnection = await server.connection(1);
    expect(second.paired).toBe(true);
    expect(second.payload?.username).toBe(15550002222n);
    expect(second.payload?.device).toBe(4);
    await client.disconnect();
  });

  test('a pair-success whose HMAC does not verify is answered with the error IQ and reported', async () => {
    const { server, client } = await setup({ paired: false });
    await client.connect();
    const connection = await server.connection(0);
    const firstQr = nextEvent(client, 'qr');
    await connection.send(pairDeviceNode(REFS));
    const qr = parseQr((await firstQr).qr);
    const issued = await issueDeviceIdentity({
      crypto: nodeCrypto,
      account: await nodeCrypto.generateKeyPair(),
      companionIdentity: qr.identityKey,
      advSecret: new Uint8Array(32).fill(9),
      keyIndex: 1,
    });
    const failed = nextEvent(client, 'pairing-failed');
    await connection.send({
      tag: 'iq',
      attrs: { from: S, type: 'result', id: 'bad' },
      content: [
        {
          tag: 'pair-success',
          attrs: {},
          content: [
            { tag: 'device-identity', attrs: {}, content: issued.container },
            { tag: 'device', attrs: { jid: '15550002222:4@s.whatsapp.net' } },
          ],
        },
      ],
    });
    const error = await connection.waitFor((n) => n.attrs.id === 'bad', 'the error reply');
    expect(error.attrs.type).toBe('error');
    expect(getChild(error, 'error')?.attrs).toMatchObject({ code: '401', text: 'hmac-mismatch' });
    expect((await failed).error).toMatchObject({ code: 'ERR_CLIENT_PAIRING' });
    await client.disconnect();
  });
});

describe('pair code', () => {
  test('requestPairingCode sends companion_hello and returns the 8-character code; QR rotation stops', async () => {
    const { server, client, timers } = await setup({ paired: false });
    server.onIq = (_connection, iq) =>
      getChild(iq, 'link_code_companion_reg') === undefined
        ? undefined
        : {
            tag: 'iq',
            attrs: { from: S, type: 'result', id: iq.attrs.id! },
            content: [
              {
                tag: 'link_code_companion_reg',
                attrs: {},
                content: [{ tag: 'link_code_pairing_ref', attrs: {}, content: new Uint8Array([1, 2, 3]) }],
              },
            ],
          };
    await client.connect();
    const connection = await server.connection(0);
    const qrs: string[] = [];
    client.on('qr', ({ qr }) => qrs.push(qr));
    await connection.send(pairDeviceNode(REFS));
    await until(() => qrs.length === 1, 'the first QR');
    const event = nextEvent(client, 'pair-code');
    const code = await client.requestPairingCode('+1 555 000 3333');
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    expect((await event).code).toBe(code);
    const hello = connection.received.find((n) => getChild(n, 'link_code_companion_reg') !== undefined)!;
    expect(getChild(hello, 'link_code_companion_reg')!.attrs).toMatchObject({
      jid: '15550003333@s.whatsapp.net',
      stage: 'companion_hello',
    });
    // Past the 60 s the first code would have lasted (and short of the keepalive's 180 s silence limit).
    timers.advance(150_000);
    expect(qrs).toHaveLength(1);
    expect(client.state).toBe('pairing');
    await client.disconnect();
  });

  test('requestPairingCode refuses on a logged-in connection', async () => {
    const { client } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    await expect(client.requestPairingCode('15550003333')).rejects.toMatchObject({
      code: 'ERR_CLIENT_NOT_CONNECTED',
    });
    await client.disconnect();
  });
});
