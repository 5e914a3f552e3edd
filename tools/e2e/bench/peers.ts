/**
 * The two clients the benchmark compares, behind one small interface: wakit (`@wakit/client`,
 * MemoryStore) and Baileys 7.0.0-rc14 (`makeWASocket`, in-memory auth state). Both link through a
 * virtual phone of the server child, then log in again and again from their saved credentials.
 *
 * What "logged in" means on each side (each library's own event, as a user would wait for it):
 * - wakit: `waitForConnected()`, the `connected` state, entered when `<success>` arrives. The
 *   post-login IQs (prekey count, then `<active/>`) run in the background after it.
 * - Baileys: `connection.update` with `connection: 'open'`, emitted by its `<success>` handler
 *   only after three IQ round trips: the prekey count (plus an upload when low), `<active/>` and
 *   the key-bundle digest. So Baileys' "open" carries more work than wakit's "connected"; the
 *   benchmark also times Baileys to the moment its socket receives `<success>` for a like-for-like row.
 */

import { type Client, createClient, MemoryStore } from '@wakit/client';
import type { ConnectionState } from 'baileys';
import {
  type AuthenticationCreds,
  initAuthCreds,
  makeWASocket,
  WA_CERT_DETAILS,
  type WASocket,
} from 'baileys';
// The interop test's Baileys harness: one copy, read from the server package's test folder.
import { memoryKeys, nextUpdate, quietLogger } from '../../../packages/server/test/baileys-harness';
import type { ServerProcess } from './server-process';

/** Deadline for a single pairing or login; only reached when something is broken. */
export const DEADLINE_MS = 15_000;

/** A linked device; `pair()` leaves it logged in. */
export interface Device {
  /** Connects from the saved credentials and resolves once logged in (see the header for what that means). */
  login(): Promise<void>;
  /** Ends the connection; resolves when the library says it is closed. */
  close(): Promise<void>;
}

export interface Peer {
  name: string;
  /** Links a new device through a new virtual phone and logs it in. */
  pair(server: ServerProcess, phoneNumber: string): Promise<Device>;
}

/** What `nextClientEvent` needs of a client (`@wakit/client`'s or the `wakit` facade's). */
type EventSource = Pick<Client, 'on' | 'state'>;

/** Resolves with the next `event` of `client`; rejects after DEADLINE_MS. */
export function nextClientEvent<T = unknown>(client: EventSource, event: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${event}" within ${DEADLINE_MS} ms (state ${client.state})`));
    }, DEADLINE_MS);
    const off = client.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload as T);
    });
  });
}

/** `promise`, or a rejection naming `what` after DEADLINE_MS. */
export function withDeadline<T>(promise: Promise<T>, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no ${typeof what === 'string' ? what : what()} within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * wakit with its defaults (keepalive, reconnect). `freshClient` makes every login build a new
 * client on the same store, as Baileys must build a new socket; otherwise one client reconnects.
 */
export function wakit(options: { freshClient?: boolean } = {}): Peer {
  return {
    name: options.freshClient ? 'wakit (new client per login)' : 'wakit',
    async pair(server, phoneNumber) {
      const store = new MemoryStore();
      const make = () => createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
      let client = make();
      const qr = nextClientEvent<{ qr: string }>(client, 'qr');
      // The first login uploads 812 prekeys into the store; wait for it so the store is complete.
      const uploaded = nextClientEvent(client, 'prekeys-uploaded');
      await client.connect();
      await server.scan(phoneNumber, (await qr).qr);
      await client.waitForConnected(DEADLINE_MS);
      await uploaded;
      return {
        async login() {
          if (options.freshClient) client = make();
          await client.connect();
          await client.waitForConnected(DEADLINE_MS);
        },
        close: () => client.disconnect(),
      };
    },
  };
}

/**
 * Baileys as the interop test runs it (no online presence on connect). `until: 'success'` resolves
 * `login()` when the socket receives `<success>` instead of at `open` (its replies all arrive within
 * milliseconds, so the shorter query deadline set for it never fires on the measured path). `initQueries` off skips the
 * props/blocklist/privacy IQs Baileys sends after `open`: the login benchmark ends each socket at
 * `open`, and Baileys' `end()` removes the close listeners those queries wait on, so each ended
 * socket would otherwise keep three 60-second query timers (and itself) alive.
 */
export function baileys(
  options: { until?: 'open' | 'success'; initQueries?: boolean; name?: string } = {},
): Peer {
  const until = options.until ?? 'open';
  return {
    name: options.name ?? (until === 'open' ? 'Baileys (to open)' : 'Baileys (to <success>)'),
    async pair(server, phoneNumber) {
      // Baileys checks the intermediate certificate against this constant (read at verification
      // time); the server's chain is issued under a test root. The signature checks still run.
      WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
      const log: string[] = [];
      const creds: AuthenticationCreds = initAuthCreds();
      const keys = memoryKeys();
      const start = (): WASocket => {
        const sock = makeWASocket({
          waWebSocketUrl: server.url,
          auth: { creds, keys },
          printQRInTerminal: false,
          logger: quietLogger(log, 50) as never,
          markOnlineOnConnect: false,
          fireInitQueries: options.initQueries ?? true,
          // Ended at <success>, a socket's own post-login IQs are still waiting, on listeners `end()`
          // removed; a short deadline lets them (and the socket) go instead of after 60 s.
          ...(until === 'success' ? { defaultQueryTimeoutMs: 2_000 } : {}),
        });
        sock.ev.on('creds.update', (update) => Object.assign(creds, update));
        return sock;
      };
      const isOpen = (u: Partial<ConnectionState>) => u.connection === 'open';

      const first = start();
      const { qr } = await nextUpdate(first, (u) => u.qr !== undefined, log, DEADLINE_MS);
      // Pairing ends the first socket with 515 (restart required); Baileys leaves the restart to us.
      const closed = nextUpdate(first, (u) => u.connection === 'close', log, DEADLINE_MS);
      await server.scan(phoneNumber, qr!);
      await closed;
      let sock = start();
      await nextUpdate(sock, isOpen, log, DEADLINE_MS);
      return {
        async login() {
          sock = start();
          if (until === 'open') {
            await nextUpdate(sock, isOpen, log, DEADLINE_MS);
            return;
          }
          const current = sock;
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no <success> within ${DEADLINE_MS} ms`)),
              DEADLINE_MS,
            );
            current.ws.once('CB:success', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        },
        close: () => sock.end(undefined),
      };
    },
  };
}
