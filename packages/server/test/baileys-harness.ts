/**
 * What driving Baileys' `makeWASocket` against @wakit/server needs, shared by the interop test here
 * and the client/server benchmark (tools/e2e/bench imports this file): a quiet pino-shaped logger,
 * an in-memory SignalKeyStore and a wait on `connection.update`.
 */
import type { BaileysEventMap, ConnectionState, SignalDataTypeMap, WASocket } from 'baileys';

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
