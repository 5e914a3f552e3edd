import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { uintToBytes } from '../src/_bytes';
import { child, children } from '../src/nodes';
import { startServer, type WaServer } from '../src/start-server';
import { checkPairSuccess, loginPayload, makeCompanion, qrString, registrationPayload } from './companion';
import { isPairSuccess, login, pairByQr, register } from './helpers';
import { RawClient } from './raw-client';
import { until } from './until';

let server: WaServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

describe('the WebSocket endpoint', () => {
  it('listens on a random loopback port at /ws/chat', () => {
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/chat$/);
    expect(server.rootPublicKey).toHaveLength(32);
  });

  it('completes the handshake only for a client that trusts the test root', async () => {
    const companion = await makeCompanion();
    const options = { noiseKey: companion.noiseKey, payload: loginPayload('1555:1@s.whatsapp.net') };
    const wrongRoot = new Uint8Array(32).fill(9);
    await expect(RawClient.connect(server.url, { ...options, rootPublicKey: wrongRoot })).rejects.toThrow();
    const client = await RawClient.connect(server.url, { ...options, rootPublicKey: server.rootPublicKey });
    expect((await client.nextTag('failure')).attrs.reason).toBe('401');
    await client.closed;
  });

  it('drops a client that does not finish the handshake in time, and one with a bad intro', async () => {
    const quick = await startServer({ handshakeTimeoutMs: 30 });
    try {
      const silent = new WebSocket(quick.url);
      const code = await new Promise<number>((resolve) => silent.on('close', resolve));
      expect(code).toBe(1006);
      expect(quick.connections()).toHaveLength(0);
    } finally {
      await quick.close();
    }
    const refused = server.waitFor('disconnect');
    const rude = new WebSocket(server.url);
    rude.on('open', () => rude.send(Uint8Array.of(0x47, 0x45, 0x54, 0x20)));
    expect(await new Promise<number>((resolve) => rude.on('close', resolve))).toBe(1006);
    expect((await refused).reason).toMatch(/bad intro/);
  });

  it('accepts the edge-routing preamble before the intro', async () => {
    const companion = await makeCompanion();
    const { client, refs } = await (async () => {
      const c = await RawClient.connect(server.url, {
        rootPublicKey: server.rootPublicKey,
        noiseKey: companion.noiseKey,
        payload: registrationPayload(companion),
        routingInfo: Uint8Array.of(8, 8, 8),
      });
      const iq = await c.next((n) => children(n, 'pair-device').length === 1);
      return { client: c, refs: children(child(iq, 'pair-device'), 'ref') };
    })();
    expect(refs).toHaveLength(6);
    await client.close();
  });
});

describe('QR pairing and login over loopback', () => {
  it('pairs by QR, sends 515, then logs the device in with <success>', async () => {
    const phone = await server.phones.create('15550001234');
    const companion = await makeCompanion();
    const { client, refs } = await register(server, companion);
    expect(refs).toHaveLength(6);
    expect(new Set(refs).size).toBe(6);
    // The fourth QR (after three rotations) still pairs: every issued ref stays valid.
    const scanned = phone.scanQr(qrString(companion, refs[3]!, false));
    const success = await client.next(isPairSuccess);
    expect(success.attrs.from).toBe('@s.whatsapp.net');
    const checked = await checkPairSuccess(companion, success);
    expect(checked.jid).toBe('15550001234:1@s.whatsapp.net');
    expect(checked.lid).toMatch(/^\d+:1@lid$/);
    expect(checked.accountSignatureKey).toEqual(phone.identity.publicKey);
    expect(checked.platform).toBe('android');
    client.send(checked.reply);
    expect(await scanned).toBe('15550001234:1@s.whatsapp.net');
    expect((await client.nextTag('stream:error')).attrs.code).toBe('515');
    expect(await client.closed).toBe(1000);

    const loggedIn = server.waitFor('login', checked.jid);
    const { client: again, success: ok } = await login(server, companion, checked.jid);
    expect(ok.tag).toBe('success');
    expect(ok.attrs.lid).toBe(checked.lid);
    expect(Number(ok.attrs.t)).toBeGreaterThan(1_600_000_000);
    expect((await loggedIn).connection.deviceJid).toBe(checked.jid);
    expect(server.connectionOf(checked.jid)?.state).toBe('logged-in');
    await again.close();
  });

  it('refuses a QR whose noise key is not the connection’s and a ref nobody issued', async () => {
    const phone = await server.phones.create('15550001234');
    const companion = await makeCompanion();
    const { client, refs } = await register(server, companion);
    const impostor = { ...companion, noiseKey: (await makeCompanion()).noiseKey };
    await expect(phone.scanQr(qrString(impostor, refs[0]!))).rejects.toMatchObject({
      reason: 'noise-key-mismatch',
    });
    await expect(phone.scanQr(qrString(companion, '2@nope'))).rejects.toMatchObject({
      reason: 'unknown-ref',
    });
    await client.close();
  });

  it('does not register a companion whose device signature is tampered with', async () => {
    const phone = await server.phones.create('15550001234');
    const companion = await makeCompanion();
    const { client, refs } = await register(server, companion);
    const scanned = phone.scanQr(qrString(companion, refs[0]!));
    const checked = await checkPairSuccess(companion, await client.next(isPairSuccess), {
      tamperSignature: true,
    });
    client.send(checked.reply);
    await expect(scanned).rejects.toMatchObject({ reason: 'device-signature' });
    const error = await client.next((n) => n.tag === 'iq' && n.attrs.type === 'error');
    expect(child(error, 'error')?.attrs.code).toBe('401');
    expect(server.devices.has(checked.jid)).toBe(false);
    const { success } = await login(server, companion, checked.jid);
    expect(success.tag).toBe('failure');
    await client.close();
  });

  it('refuses a login with another noise key, and one of a removed device with device_removed', async () => {
    const phone = await server.phones.create('15550001234');
    const { companion, jid } = await pairByQr(server, phone);
    const stranger = await makeCompanion();
    const refused = await login(server, stranger, jid);
    expect(refused.success.tag).toBe('failure');
    expect(refused.success.attrs.reason).toBe('401');
    await refused.client.closed;

    const { client } = await login(server, companion, jid);
    expect(phone.removeDevice(jid)).toBe(true);
    const kicked = await client.nextTag('stream:error');
    expect(kicked.attrs.code).toBe('401');
    expect(child(kicked, 'conflict')?.attrs.type).toBe('device_removed');
    await client.closed;
    const later = await RawClient.connect(server.url, {
      rootPublicKey: server.rootPublicKey,
      noiseKey: companion.noiseKey,
      payload: loginPayload(jid),
    });
    expect(child(await later.nextTag('stream:error'), 'conflict')?.attrs.type).toBe('device_removed');
    await later.closed;
  });

  it('replaces the first connection when the same device logs in again', async () => {
    const phone = await server.phones.create('15550001234');
    const { companion, jid } = await pairByQr(server, phone);
    const first = await login(server, companion, jid);
    const second = await login(server, companion, jid);
    expect(second.success.tag).toBe('success');
    const replaced = await first.client.nextTag('stream:error');
    expect(child(replaced, 'conflict')?.attrs.type).toBe('replaced');
    await first.client.closed;
    expect(server.connectionOf(jid)?.state).toBe('logged-in');
    const pong = await second.client.query({
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' },
    });
    expect(pong.attrs.type).toBe('result');
    await second.client.close();
  });
});

describe('IQs after login', () => {
  it('stores uploaded prekeys, counts them, and hands one out per fetched bundle', async () => {
    const phone = await server.phones.create('15550001234');
    const alice = await pairByQr(server, phone);
    const bob = await pairByQr(server, phone);
    const { client } = await login(server, alice.companion, alice.jid);
    const { client: bobClient } = await login(server, bob.companion, bob.jid);
    const count = async (c: RawClient) =>
      child(
        await c.query({
          tag: 'iq',
          attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'encrypt' },
          content: [{ tag: 'count', attrs: {} }],
        }),
        'count',
      )?.attrs.value;
    expect(await count(client)).toBe('0');
    const keys = Array.from({ length: 6 }, (_, i) => ({ id: i + 1, value: new Uint8Array(32).fill(i + 1) }));
    const skey = alice.companion.signedPreKey;
    const uploaded = await client.query({
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'set', xmlns: 'encrypt' },
      content: [
        { tag: 'registration', attrs: {}, content: uintToBytes(alice.companion.registrationId, 4) },
        { tag: 'type', attrs: {}, content: Uint8Array.of(5) },
        { tag: 'identity', attrs: {}, content: alice.companion.identity.publicKey },
        {
          tag: 'list',
          attrs: {},
          content: keys.map((k) => ({
            tag: 'key',
            attrs: {},
            content: [
              { tag: 'id', attrs: {}, content: uintToBytes(k.id, 3) },
              { tag: 'value', attrs: {}, content: k.value },
            ],
          })),
        },
        {
          tag: 'skey',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: uintToBytes(skey.keyId, 3) },
            { tag: 'value', attrs: {}, content: skey.keyPair.publicKey },
            { tag: 'signature', attrs: {}, content: skey.signature },
          ],
        },
      ],
    });
    expect(uploaded.attrs.type).toBe('result');
    expect(await count(client)).toBe('6');

    const fetch = () =>
      bobClient.query({
        tag: 'iq',
        attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'encrypt' },
        content: [{ tag: 'key', attrs: {}, content: [{ tag: 'user', attrs: { jid: alice.jid } }] }],
      });
    const user = child(child(await fetch(), 'list'), 'user')!;
    expect(user.attrs.jid).toBe(alice.jid);
    expect(child(user, 'identity')?.content).toEqual(alice.companion.identity.publicKey);
    expect(child(child(user, 'skey'), 'signature')?.content).toEqual(skey.signature);
    expect(child(child(user, 'key'), 'id')?.content).toEqual(uintToBytes(1, 3));
    expect(child(child(child(await fetch(), 'list'), 'user'), 'key')).toBeDefined();
    expect(await count(client)).toBe('4');
    // Below the threshold of 5: the server told alice to upload more.
    const notice = await client.next((n) => n.tag === 'notification' && n.attrs.type === 'encrypt');
    expect(Number(child(notice, 'count')?.attrs.value)).toBeLessThan(5);

    const digest = child(
      await client.query({
        tag: 'iq',
        attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'encrypt' },
        content: [{ tag: 'digest', attrs: {} }],
      }),
      'digest',
    );
    expect(children(child(digest, 'list'), 'id')).toHaveLength(4);
    expect(child(digest, 'hash')?.content).toHaveLength(20);
    await client.close();
    await bobClient.close();
  });

  it('answers ping and passive, and refuses an unknown IQ with 501', async () => {
    const phone = await server.phones.create('15550001234');
    const { companion, jid } = await pairByQr(server, phone);
    const { client } = await login(server, companion, jid);
    const to = '@s.whatsapp.net';
    expect(
      (
        await client.query({
          tag: 'iq',
          attrs: { to, type: 'get', xmlns: 'w:p' },
          content: [{ tag: 'ping', attrs: {} }],
        })
      ).attrs.type,
    ).toBe('result');
    expect(
      (
        await client.query({
          tag: 'iq',
          attrs: { to, type: 'set', xmlns: 'passive' },
          content: [{ tag: 'active', attrs: {} }],
        })
      ).attrs.type,
    ).toBe('result');
    const unknown = await client.query({ tag: 'iq', attrs: { to, type: 'get', xmlns: 'nonsense' } });
    expect(unknown.attrs.type).toBe('error');
    expect(child(unknown, 'error')?.attrs).toMatchObject({ code: '501', text: 'feature-not-implemented' });
    await client.close();
  });
});

describe('fault hooks', () => {
  async function loggedIn() {
    const phone = await server.phones.create('15550001234');
    const { companion, jid } = await pairByQr(server, phone);
    const { client } = await login(server, companion, jid);
    return { client, connection: server.connectionOf(jid)!, jid };
  }

  it('drop() closes the socket without a close frame', async () => {
    const { client, connection } = await loggedIn();
    const gone = server.waitFor('disconnect', (e) => e.connection.id === connection.id);
    connection.drop();
    expect(await client.closed).toBe(1006);
    expect((await gone).reason).toMatch(/dropped/);
  });

  it('stall() holds every reply until released', async () => {
    const { client, connection } = await loggedIn();
    const before = connection.framesReceived;
    const release = connection.stall();
    const reply = client.query(
      { tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' } },
      10_000,
    );
    let answered = false;
    void reply.then(() => {
      answered = true;
    });
    // Once the server holds the ping's frame, nothing can answer it while stalled.
    await until(() => connection.framesReceived > before, 'the server received the ping');
    expect(answered).toBe(false);
    release();
    expect((await reply).attrs.type).toBe('result');
    await client.close();
  });

  it.each([
    [515, undefined],
    [503, undefined],
    [401, 'device_removed'],
    [undefined, 'replaced'],
  ] as const)(
    'sendStreamError(%s, %s) reaches the client, then the socket closes',
    async (code, conflict) => {
      const { client, connection } = await loggedIn();
      connection.sendStreamError(code, conflict);
      const error = await client.nextTag('stream:error');
      expect(error.attrs.code).toBe(code === undefined ? undefined : String(code));
      expect(child(error, 'conflict')?.attrs.type).toBe(conflict);
      expect(await client.closed).toBe(1000);
    },
  );

  it('sendGarbage() writes a frame the client cannot decrypt', async () => {
    const { client, connection } = await loggedIn();
    connection.sendGarbage();
    connection.send({ tag: 'ib', attrs: {}, content: [{ tag: 'dirty', attrs: {} }] });
    expect(client.decryptError).toBeUndefined();
    // Frames are handled in order: by the time the stanza after it arrives, the garbage has failed.
    await client.next((n) => child(n, 'dirty') !== undefined);
    expect(client.decryptError?.name).toBe('NoiseDecryptError');
    await client.close();
  });
});

describe('load', () => {
  it('serves 50 simultaneous connections, each with its own refs and answers', async () => {
    const companions = await Promise.all(Array.from({ length: 50 }, () => makeCompanion()));
    const registered = await Promise.all(companions.map((c) => register(server, c)));
    expect(server.connections()).toHaveLength(50);
    expect(new Set(registered.flatMap((r) => r.refs)).size).toBe(300);
    const pongs = await Promise.all(
      registered.map((r) =>
        r.client.query({ tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' } }),
      ),
    );
    expect(pongs.every((p) => p.attrs.type === 'result')).toBe(true);
    await Promise.all(registered.map((r) => r.client.close()));
  });
});
