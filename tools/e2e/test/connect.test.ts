/**
 * Connecting end to end over real loopback WebSockets: what is refused, what times out, and that
 * credentials in SQLite survive a process restart.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, MemoryStore, TimeoutError } from '@wakit/client';
import { openSqliteStore } from '@wakit/client/sqlite';
import { nodeCrypto } from '@wakit/crypto/node';
import { afterEach, describe, expect, test } from 'vitest';
import { DEADLINE_MS, type PairedClient, pairedClient, recordDisconnects, serverFor } from './_harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const onCleanup = (fn: () => Promise<void>) => cleanups.push(fn);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const LOGIN_SCRIPT = new URL('./_login-once.ts', import.meta.url).pathname;
const TSX = new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url).pathname;

/** Runs `_login-once.ts` in a new Node process; resolves with the one JSON line it prints. */
function loginInChildProcess(databasePath: string, url: string, rootPublicKey: Uint8Array) {
  return new Promise<{ jid: string; sawQr: boolean }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [TSX, '--conditions=@wakit/source', LOGIN_SCRIPT, databasePath, url, hex(rootPublicKey)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(stdout.trim()));
      else reject(new Error(`login child exited with ${code}: ${stderr}`));
    });
  });
}

describe('connect', () => {
  test('a new process logs in from the SQLite store without pairing again', async () => {
    const server = await serverFor(onCleanup);
    const directory = await mkdtemp(join(tmpdir(), 'wakit-e2e-'));
    onCleanup(() => rm(directory, { recursive: true, force: true }));
    const databasePath = join(directory, 'device.db');

    const store = openSqliteStore(databasePath);
    const { client, jid } = await pairedClient(server, '15550003001', { store });
    await client.disconnect();
    await store.close();

    const login = server.waitFor('login', jid, DEADLINE_MS * 2);
    const child = await loginInChildProcess(databasePath, server.url, server.rootPublicKey);
    expect(child).toEqual({ jid, sawQr: false });
    await login;
    expect(server.devices.has(jid)).toBe(true);
  });

  test('a server whose certificate chain does not lead to the trusted root is refused, without retrying', async () => {
    const server = await serverFor(onCleanup);
    const otherRoot = (await nodeCrypto.generateKeyPair()).publicKey;
    const client = createClient({ store: new MemoryStore(), url: server.url, rootPublicKey: otherRoot });
    onCleanup(() => client.disconnect());
    const disconnects = recordDisconnects(client);
    await expect(client.connect()).rejects.toMatchObject({ name: 'CertificateChainError' });
    expect(disconnects).toEqual([
      expect.objectContaining({ reason: 'certificate-refused', willReconnect: false }),
    ]);
    expect(client.state).toBe('closed');
    // The refused server never saw a completed handshake.
    expect(server.connections().every((c) => c.state === 'handshaking' || c.state === 'closed')).toBe(true);
  });

  test('an IQ the server never answers rejects with TimeoutError', async () => {
    const server = await serverFor(onCleanup);
    const { client, jid } = await pairedClient(server, '15550003002');
    onCleanup(() => client.disconnect());
    server.connectionOf(jid)?.stall();
    const ping = { tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' } };
    const error = await client.query(ping, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  test('a second client on the same store is refused while the first is connected', async () => {
    const server = await serverFor(onCleanup);
    const { client, store } = await pairedClient(server, '15550003003');
    onCleanup(() => client.disconnect());
    const second = createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
    await expect(second.connect()).rejects.toMatchObject({ code: 'ERR_CLIENT_STORE_IN_USE' });
    expect(client.isLoggedIn).toBe(true);
  });

  test('many clients pair and stay logged in at once', async () => {
    const server = await serverFor(onCleanup);
    const clients: PairedClient[] = [];
    // Paired four at a time (each pairing generates keys on both sides; the CI box has two cores
    // shared with every other suite), then all twenty are connected at the same time.
    for (let batch = 0; batch < 5; batch++) {
      const paired = await Promise.all(
        Array.from({ length: 4 }, (_, i) => pairedClient(server, `1555000${4000 + batch * 4 + i}`)),
      );
      for (const pairedOne of paired) onCleanup(() => pairedOne.client.disconnect());
      clients.push(...paired);
    }
    expect(new Set(clients.map((c) => c.jid)).size).toBe(20);
    expect(server.connections().filter((c) => c.state === 'logged-in')).toHaveLength(20);
    expect(clients.every(({ client }) => client.isLoggedIn)).toBe(true);
    const pings = clients.map(({ client }) =>
      client.query({ tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' } }),
    );
    expect((await Promise.all(pings)).every((reply) => reply.attrs.type === 'result')).toBe(true);
  });
});
