/**
 * What driving Baileys' `makeWASocket` against @wakit/server needs, shared by the interop tests here
 * and in tools/e2e and by the client/server benchmark (tools/e2e/bench imports this file): a quiet
 * pino-shaped logger, an in-memory SignalKeyStore, waits on Baileys' events, linking a Baileys
 * device to a virtual phone, and reading a message's text.
 */
import {
  type AuthenticationCreds,
  type BaileysEventMap,
  type ConnectionState,
  initAuthCreds,
  makeWASocket,
  type SignalDataTypeMap,
  type WAMessage,
  type WASocket,
} from 'baileys';

/**
 * A pino-compatible logger that keeps warnings and errors in `log` (so a failure can show them),
 * the newest `maxLines` of them; the interop test keeps all to assert that none is an error.
 */
export function quietLogger(log: string[], maxLines = Number.POSITIVE_INFINITY) {
  const keep = (level: string) => (obj: unknown, msg?: string) => {
    if (log.length >= maxLines) log.shift();
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
export function memoryKeys() {
  const map = new Map<string, unknown>();
  return {
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
export function nextUpdate(
  sock: WASocket,
  match: (update: Partial<ConnectionState>) => boolean,
  log: string[],
  timeoutMs = 15_000,
): Promise<Partial<ConnectionState>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.ev.off('connection.update', listener);
      reject(
        new Error(
          `no matching connection.update within ${timeoutMs} ms; Baileys said:\n${log.slice(-15).join('\n')}`,
        ),
      );
    }, timeoutMs);
    const listener = (update: Partial<ConnectionState>) => {
      if (!match(update)) return;
      clearTimeout(timer);
      sock.ev.off('connection.update', listener);
      resolve(update);
    };
    sock.ev.on('connection.update', listener);
  });
}

/**
 * The next `name` event of `sock` whose payload passes `match`; fails with Baileys' recent warnings
 * and errors after `timeoutMs`.
 */
export function nextEvent<K extends keyof BaileysEventMap>(
  sock: WASocket,
  name: K,
  match: (event: BaileysEventMap[K]) => boolean,
  log: string[],
  timeoutMs = 20_000,
): Promise<BaileysEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.ev.off(name, listener);
      reject(
        new Error(`no matching ${name} within ${timeoutMs} ms; Baileys said:\n${log.slice(-15).join('\n')}`),
      );
    }, timeoutMs);
    const listener = (event: BaileysEventMap[K]) => {
      if (!match(event)) return;
      clearTimeout(timer);
      sock.ev.off(name, listener);
      resolve(event);
    };
    sock.ev.on(name, listener);
  });
}

/** Message content as Baileys and @wakit/proto both shape it (the fields `textOf` reads). */
interface TextContent {
  conversation?: string | null;
  extendedTextMessage?: { text?: string | null } | null;
}

/**
 * The text of a message, whichever field the sender used: a Baileys `WAMessage`, its content, or a
 * @wakit/proto `Message` (a virtual phone's).
 */
export function textOf(message: WAMessage | TextContent | null | undefined): string | undefined {
  const content: TextContent | null | undefined =
    message !== null && message !== undefined && 'key' in message ? (message as WAMessage).message : message;
  return content?.conversation || content?.extendedTextMessage?.text || undefined;
}

/** The next message in `messages.upsert` that passes `match`. */
export async function nextUpsert(
  sock: WASocket,
  match: (message: WAMessage) => boolean,
  log: string[],
  timeoutMs?: number,
): Promise<WAMessage> {
  const event = await nextEvent(sock, 'messages.upsert', (e) => e.messages.some(match), log, timeoutMs);
  return event.messages.find(match)!;
}

/** What `linkBaileys` needs: where, which account, and where to keep the log and the sockets. */
export interface LinkBaileysOptions {
  url: string;
  phone: { scanQr(qr: string): Promise<string> };
  /** Baileys' warnings and errors (`quietLogger`). */
  log: string[];
  /** Every socket made is pushed here, for the test to end them. */
  sockets: WASocket[];
  /**
   * The push name to give the device before it opens, as the phone's app-state sync would: with a
   * name Baileys goes `available` and sends active delivery receipts (without one they stay
   * `inactive`, which senders never show). Optional.
   */
  name?: string;
  /** Baileys' `markOnlineOnConnect` (default false). */
  markOnlineOnConnect?: boolean;
}

/**
 * Links a new Baileys device to `phone` by QR, lets it restart on the server's 515, and resolves
 * once the second socket is open. History sync is off: on a first login Baileys would otherwise
 * hold every event for 20 s waiting for a history notification.
 */
export async function linkBaileys(
  options: LinkBaileysOptions,
): Promise<{ sock: WASocket; jid: string; start: () => WASocket }> {
  const { url, phone, log, sockets } = options;
  const creds: AuthenticationCreds = initAuthCreds();
  const keys = memoryKeys();
  const start = () => {
    const sock = makeWASocket({
      waWebSocketUrl: url,
      auth: { creds, keys },
      printQRInTerminal: false,
      logger: quietLogger(log) as never,
      markOnlineOnConnect: options.markOnlineOnConnect ?? false,
      shouldSyncHistoryMessage: () => false,
    });
    sock.ev.on('creds.update', (update) => Object.assign(creds, update));
    sockets.push(sock);
    return sock;
  };
  const first = start();
  const { qr } = await nextUpdate(first, (u) => u.qr !== undefined, log);
  const closed = nextUpdate(first, (u) => u.connection === 'close', log);
  const jid = await phone.scanQr(qr!);
  await closed;
  if (options.name !== undefined) creds.me = { ...creds.me!, name: options.name };
  const sock = start();
  await nextUpdate(sock, (u) => u.connection === 'open', log);
  return { sock, jid, start };
}
