/**
 * Baileys (an independent WhatsApp Web client, devDependency baileys@7.0.0-rc14) against our server
 * over a real loopback WebSocket: handshake, QR, a virtual phone's scan, pair-device-sign, 515,
 * Baileys' own restart with the saved credentials, `<success>`, and what Baileys asks once open.
 */
import {
  type AuthenticationCreds,
  initAuthCreds,
  makeWASocket,
  type SignalDataTypeMap,
  WA_CERT_DETAILS,
} from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { child } from '../src/nodes';
import { startServer, type WaServer } from '../src/start-server';

type Socket = ReturnType<typeof makeWASocket>;

/** A pino-compatible logger that keeps warnings and errors so a failure can show them. */
function quietLogger(log: string[]) {
  const keep = (level: string) => (obj: unknown, msg?: string) => {
    log.push(
      `${level}: ${msg ?? ''} ${JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? String(v) : v))?.slice(0, 400)}`,
    );
  };
  const logger = {
    level: 'silent',
    child: () => logger,
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: keep('warn'),
    error: keep('error'),
    fatal: keep('fatal'),
  };
  return logger;
}

/** Baileys' SignalKeyStore over a Map (instead of its file-based store). */
function memoryKeys() {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const value = map.get(`${type}:${id}`);
        if (value !== undefined) out[id] = value as SignalDataTypeMap[T];
      }
      return out;
    },
    set: async (data: { [T in keyof SignalDataTypeMap]?: { [id: string]: SignalDataTypeMap[T] | null } }) => {
      for (const [type, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          if (value === null) map.delete(`${type}:${id}`);
          else map.set(`${type}:${id}`, value);
        }
      }
    },
  };
}

/** The next connection.update matching `match`; fails with Baileys' recent warnings after `timeoutMs`. */
function nextUpdate(
  sock: Socket,
  match: (u: Partial<import('baileys').ConnectionState>) => boolean,
  log: string[],
  timeoutMs = 15_000,
) {
  return new Promise<Partial<import('baileys').ConnectionState>>((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.ev.off('connection.update', listener);
      reject(
        new Error(
          `no matching connection.update within ${timeoutMs} ms; Baileys said:\n${log.slice(-15).join('\n')}`,
        ),
      );
    }, timeoutMs);
    const listener = (update: Partial<import('baileys').ConnectionState>) => {
      if (!match(update)) return;
      clearTimeout(timer);
      sock.ev.off('connection.update', listener);
      resolve(update);
    };
    sock.ev.on('connection.update', listener);
  });
}

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
