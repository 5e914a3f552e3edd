/**
 * The first part of `npm start`: the whole linking story on this machine, with nothing external.
 * An embedded @wakit/server listens on loopback; a @wakit/client with a fresh SQLite store shows
 * its QR code; a virtual phone scans it and links the client; the server restarts the stream
 * (515) and the client logs in and uploads its prekeys. Then the process "restarts": a new client
 * on the same database file logs in without pairing, which is what credentials on disk are for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@wakit/client';
import { renderQr } from '@wakit/client/qr';
import { openSqliteStore } from '@wakit/client/sqlite';
import { startServer, type WaServer } from '@wakit/server';

/** The virtual phone's number: 555-01xx numbers are reserved for fiction. */
export const DEMO_PHONE_NUMBER = '15550001234';
const WAIT_MS = 15_000;

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export interface LoginDemoOptions {
  /** Where each line goes; `console.log` by default. */
  print?: (line: string) => void;
  /** Draw the QR code (default true); tests turn it off to keep their output short. */
  showQr?: boolean;
}

/** Runs the demo and resolves once everything it started is closed. */
export async function loginDemo(options: LoginDemoOptions = {}): Promise<void> {
  const print = options.print ?? console.log;
  const directory = await mkdtemp(join(tmpdir(), 'wakit-demo-'));
  const databasePath = join(directory, 'device.db');
  let server: WaServer | undefined;
  try {
    server = await startServer({ host: '127.0.0.1', port: 0 });
    print(`1. An embedded WhatsApp-protocol server listens on ${server.url}`);
    print(`   its test certificate root: ${toHex(server.rootPublicKey)}`);
    const phone = await server.phones.create(DEMO_PHONE_NUMBER);
    print(`   a virtual phone owns the account +${DEMO_PHONE_NUMBER}`);

    print('\n2. A client with an empty SQLite store connects and asks to be linked');
    await linkByQr(server, databasePath, options.showQr ?? true, print, (qr) => phone.scanQr(qr));

    print('\n3. The process restarts: a new client opens the same database file');
    await loginAgain(server, databasePath, print);
  } finally {
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  }
  print('\nEverything closed: server, clients, database.');
}

async function linkByQr(
  server: WaServer,
  databasePath: string,
  showQr: boolean,
  print: (line: string) => void,
  scan: (qr: string) => Promise<string>,
): Promise<void> {
  const store = openSqliteStore(databasePath);
  const client = createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
  const log = narrate(client, print);
  try {
    const scanned = new Promise<string>((resolve, reject) => {
      client.once('qr', ({ qr, timeoutMs }) => {
        print(`   QR code (valid ${timeoutMs / 1000} s): ${qr}`);
        if (showQr) print(renderQr(qr, { quietZone: 2 }));
        print('   the phone scans it...');
        scan(qr).then(resolve, reject);
      });
    });
    // First login: the client uploads its one-time prekeys; wait for that before leaving.
    const uploaded = new Promise<void>((resolve) => client.once('prekeys-uploaded', () => resolve()));
    await client.connect();
    const jid = await scanned;
    await client.waitForConnected(WAIT_MS);
    await within(uploaded, WAIT_MS, 'the prekey upload');
    print(`   logged in as ${jid}; credentials are in ${databasePath}`);
    await client.disconnect();
  } finally {
    log();
    await store.close();
  }
}

async function loginAgain(server: WaServer, databasePath: string, print: (line: string) => void) {
  const store = openSqliteStore(databasePath);
  const client = createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
  const log = narrate(client, print);
  try {
    await client.connect();
    await client.waitForConnected(WAIT_MS);
    const pong = await client.query({
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' },
    });
    print(`   keepalive ping answered: <${pong.tag} type="${pong.attrs.type}">`);
    await client.disconnect();
  } finally {
    log();
    await store.close();
  }
}

/** Prints the client's events as they happen; returns the function that stops. */
function narrate(client: Client, print: (line: string) => void): () => void {
  const stops = [
    client.on('socket-open', ({ paired }) =>
      print(`   Noise handshake done (certificate chain verified), ${paired ? 'logging in' : 'registering'}`),
    ),
    client.on('paired', ({ account }) => print(`   paired: the phone signed this device as ${account.jid}`)),
    client.on('stream-error', ({ code }) => print(`   server: stream error ${code} (restart after pairing)`)),
    client.on('connected', ({ node }) => print(`   server: <success t="${node.attrs.t}">`)),
    client.on('prekeys-uploaded', ({ count }) => print(`   uploaded ${count} one-time prekeys`)),
    client.on('disconnected', ({ reason, willReconnect }) =>
      print(`   disconnected (${reason})${willReconnect ? ', reconnecting' : ''}`),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

/** `promise`, or a rejection naming `what` after `ms`: a demo must never hang. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
