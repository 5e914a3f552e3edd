/**
 * Baileys (an independent WhatsApp Web client, devDependency baileys@7.0.0-rc14) against our server
 * over a real loopback WebSocket: handshake, QR, a virtual phone's scan, pair-device-sign, 515,
 * Baileys' own restart with the saved credentials, `<success>`, and what Baileys asks once open.
 */
import { type AuthenticationCreds, initAuthCreds, makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { child } from '../src/nodes';
import { startServer, type WaServer } from '../src/start-server';
import { memoryKeys, nextUpdate, quietLogger } from './baileys-harness';
import { until } from './until';

type Socket = ReturnType<typeof makeWASocket>;

describe('Baileys makeWASocket against @wakit/server', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startServer();
    // Baileys checks the intermediate certificate against the constant WA_CERT_DETAILS.PUBLIC_KEY
    // (lib/Utils/noise-handler.js reads it at verification time). Our chain is issued under a test
    // root, so the test points that one constant at it; the signature checks themselves still run.
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
  });

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  /** A Baileys client with in-memory auth; `start()` makes a socket on the saved creds (its restart). */
  function baileys() {
    const log: string[] = [];
    const creds: AuthenticationCreds = initAuthCreds();
    const keys = memoryKeys();
    const start = () => {
      const sock = makeWASocket({
        waWebSocketUrl: server.url,
        auth: { creds, keys },
        printQRInTerminal: false,
        logger: quietLogger(log) as never,
        markOnlineOnConnect: false,
      });
      sock.ev.on('creds.update', (update) => Object.assign(creds, update));
      sockets.push(sock);
      return sock;
    };
    return { log, creds, start };
  }

  it('pairs by QR, restarts on 515, logs in and opens', async () => {
    const phone = await server.phones.create('15550009999');
    const { log, creds, start } = baileys();

    const first = start();
    const { qr } = await nextUpdate(first, (u) => u.qr !== undefined, log);
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#2@/);
    const closed = nextUpdate(first, (u) => u.connection === 'close', log);
    const paired = server.waitFor('paired');
    const jid = await phone.scanQr(qr!);
    expect(jid).toBe('15550009999:1@s.whatsapp.net');
    expect((await paired).jid).toBe(jid);
    const { lastDisconnect } = await closed;
    // Baileys maps <stream:error code="515"/> to DisconnectReason.restartRequired (515).
    expect((lastDisconnect?.error as { output?: { statusCode?: number } })?.output?.statusCode).toBe(515);
    expect(creds.me?.id).toBe(jid);
    expect(creds.account?.deviceSignature).toHaveLength(64);

    const loggedIn = server.waitFor('login', jid);
    const uploaded = server.waitFor('prekeys-uploaded', jid);
    // Baileys' init queries once open: AB props, blocklist, privacy settings.
    const initQueries = ['abt', 'blocklist', 'privacy'].map((xmlns) =>
      server.waitFor('iq', (e) => e.connection.deviceJid === jid && e.node.attrs.xmlns === xmlns),
    );
    const second = start();
    await nextUpdate(second, (u) => u.connection === 'open', log);
    expect((await loggedIn).lid).toMatch(/^\d+:1@lid$/);
    // After <success> Baileys counts its prekeys and uploads a batch; the server stored them.
    expect((await uploaded).count).toBeGreaterThan(0);
    expect(server.devices.get(jid)?.keys.preKeyCount).toBeGreaterThan(0);
    for (const { node, reply } of await Promise.all(initQueries)) {
      expect(reply?.attrs.type, `${node.attrs.xmlns} answered`).toBe('result');
    }
    expect(child(child((await initQueries[2]!).reply, 'privacy'), 'category')).toBeDefined();
    // Baileys keeps the props hash to send back next time (creds.lastPropHash).
    const propsHash = child((await initQueries[0]!).reply, 'props')?.attrs.hash;
    expect(propsHash).toBeDefined();
    await until(() => creds.lastPropHash === propsHash, 'Baileys stored the props hash');
    // Baileys sends <active/> after <success>; the connection records it.
    await until(() => server.connectionOf(jid)?.passive === false, 'the connection is recorded active');
    expect(second.user?.id).toBe(jid);
    expect(log.filter((line) => line.startsWith('error') && !line.includes('"515"'))).toEqual([]);
  });

  it('links with a pair code typed on the phone, restarts on 515, and opens', async () => {
    const phone = await server.phones.create('15550008888');
    const { log, creds, start } = baileys();
    const first = start();
    // Baileys may only ask for a code once its socket is up; its first QR says it is.
    await nextUpdate(first, (u) => u.qr !== undefined, log);
    const requested = server.waitFor('pair-code-request', (e) => e.phoneNumber === phone.phoneNumber);
    const code = await first.requestPairingCode(phone.phoneNumber);
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    await requested;
    const closed = nextUpdate(first, (u) => u.connection === 'close', log);
    const jid = await phone.enterPairCode(`${code.slice(0, 4)}-${code.slice(4)}`);
    expect(jid).toBe('15550008888:1@s.whatsapp.net');
    const { lastDisconnect } = await closed;
    expect((lastDisconnect?.error as { output?: { statusCode?: number } })?.output?.statusCode).toBe(515);
    expect(creds.me?.id).toBe(jid);

    const loggedIn = server.waitFor('login', jid);
    const second = start();
    await nextUpdate(second, (u) => u.connection === 'open', log);
    await loggedIn;
    expect(second.user?.id).toBe(jid);
  });
});
