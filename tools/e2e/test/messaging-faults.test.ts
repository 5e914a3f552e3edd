/**
 * Messaging when things break: a restart between commit and ack, a changed identity, messages that
 * never decrypt, a server dropping the sender in the middle of a fan-out, malformed stanzas, and
 * an offline backlog larger than the receive pipeline's bound. Real server, real sockets; waits
 * with deadlines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinaryNode } from '@wakit/binary-node';
import {
  type Client,
  type ClientOptions,
  ConnectionClosedError,
  createClient,
  MemoryStore,
  type Store,
} from '@wakit/client';
import { openSqliteStore } from '@wakit/client/sqlite';
import type { VirtualPhone, WaServer } from '@wakit/server';
import { afterEach, describe, expect, test } from 'vitest';
import { DEADLINE_MS, linkedClient, nextEvent, serverFor, until } from './_harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
const onCleanup = (fn: () => Promise<void> | void) => cleanups.push(fn);

function clientOf(server: WaServer, store: Store, options: Partial<ClientOptions> = {}): Client {
  const client = createClient({ url: server.url, rootPublicKey: server.rootPublicKey, store, ...options });
  onCleanup(() => client.disconnect());
  return client;
}

async function link(
  server: WaServer,
  phone: VirtualPhone,
  store: Store = new MemoryStore(),
  options: Partial<ClientOptions> = {},
) {
  const client = await linkedClient(server, phone, { ...options, store });
  onCleanup(() => client.disconnect());
  return client;
}

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

async function accounts(server: WaServer) {
  const phoneA = await server.phones.create('15550000101');
  const phoneB = await server.phones.create('15550000102');
  return { phoneA, phoneB };
}

describe('messaging faults', () => {
  test('a restart between commit and ack: the redelivered message is acked, not emitted again', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const dir = mkdtempSync(join(tmpdir(), 'wakit-dedupe-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'bob.db');
    const alice = await link(server, phoneA);
    const bobStore = openSqliteStore(file);
    const bob = await link(server, phoneB, bobStore);
    // An observer runs after the message was committed and emitted, before the ack: hold it there.
    const held = gate();
    const first = nextEvent(bob, 'message');
    bob.registerHandler({ tag: 'message' }, () => held.promise);
    const id = await alice.sendMessage(phoneB.jid, { conversation: 'exactly once' });
    expect((await first).info.id).toBe(id);
    const bobDevice = bob.credentials!.account!.jid;
    const gone = server.waitFor('disconnect', (e) => e.connection.deviceJid === bobDevice);
    server.connectionOf(bobDevice)!.drop(); // the process "dies" with the ack unsent
    await gone;
    // disconnect() waits for the client's own work, the held observer included: release it.
    const stopped = bob.disconnect();
    held.open();
    await stopped;
    // Bob's sessions with Alice go too (a restored backup): now only the dedupe key can tell the
    // redelivery was handled; the ratchet would ask Alice for a retry and show it twice.
    for (const name of [phoneA.phoneNumber, `${phoneA.lid.split('@')[0]}_1`])
      await bobStore.signalUsers.deleteSessions(name);
    await bobStore.close();
    // A new process on the same file: the server replays the unacked message as offline.
    const again = clientOf(server, openSqliteStore(file));
    const seen: string[] = [];
    again.on('message', ({ info }) => void seen.push(info.id));
    again.on('undecryptable', ({ info }) => void seen.push(`undecryptable ${info.id}`));
    const redelivered = server.waitFor('delivered', (e) => e.jid === bobDevice && e.id === id);
    // The first receipt never went out; the dedupe answers the redelivery with it.
    const receipted = server.waitFor('receipt', (e) => e.id === id && e.type === undefined);
    const complete = nextEvent(again, 'offline-sync-complete');
    await again.connect();
    await redelivered;
    await complete;
    await receipted;
    expect(seen).toEqual([]);
    // And the conversation goes on.
    const next = nextEvent(again, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'after the restart' });
    expect((await next).message.conversation).toBe('after the restart');
  }, 120_000);

  test('an identity change drops the sessions and is reported; the conversation recovers', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const aliceStore = new MemoryStore();
    const alice = await link(server, phoneA, aliceStore);
    const bob = await link(server, phoneB);
    const first = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'one' });
    await first;
    const changed = nextEvent(alice, 'identity-changed');
    const aliceDevice = alice.credentials!.account!.jid;
    server.connectionOf(aliceDevice)!.send({
      tag: 'notification',
      attrs: { from: phoneB.jid, type: 'encrypt', id: 'identity-1', t: '1700000000' },
      content: [{ tag: 'identity', attrs: {} }],
    });
    expect((await changed).jid).toBe(phoneB.jid);
    const lidName = `${phoneB.lid.split('@')[0]}_1`;
    expect(await aliceStore.signalUsers.sessionDevices(lidName)).toEqual([]);
    // Alice starts over with fresh bundles (pkmsg); Bob accepts the new session.
    const next = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'two' });
    expect((await next).message.conversation).toBe('two');
    expect((await aliceStore.signalUsers.sessionDevices(lidName)).length).toBeGreaterThan(0);
  }, 120_000);

  test('a message that never decrypts: retry receipts count 1..5 (keys from 2), then retries-exhausted', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const bob = await link(server, phoneB);
    const reasons: { reason: string; retryCount?: number }[] = [];
    bob.on('undecryptable', ({ reason, retryCount }) => void reasons.push({ reason, retryCount }));
    const bobDevice = bob.credentials!.account!.jid;
    const retries: BinaryNode[] = [];
    server.on('node', ({ connection, node }) => {
      if (connection.deviceJid === bobDevice && node.tag === 'receipt' && node.attrs.type === 'retry')
        retries.push(node);
    });
    const garbage: BinaryNode = {
      tag: 'message',
      attrs: {
        from: `${phoneA.phoneNumber}:7@s.whatsapp.net`,
        id: '3EB0GARBAGE',
        t: '1700000000',
        type: 'text',
      },
      content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: new Uint8Array(40).fill(0x33) }],
    };
    for (let i = 1; i <= 6; i++) {
      const acked = server.waitFor('ack', (e) => e.jid === bobDevice && e.id === '3EB0GARBAGE');
      server.connectionOf(bobDevice)!.send(garbage);
      await acked;
    }
    await until(() => reasons.length === 6, 'six undecryptable events');
    expect(reasons.map((r) => r.reason)).toEqual([...Array(5).fill('decrypt-failed'), 'retries-exhausted']);
    expect(reasons.slice(0, 5).map((r) => r.retryCount)).toEqual([1, 2, 3, 4, 5]);
    expect(
      retries.map((r) => (r.content as BinaryNode[]).find((c) => c.tag === 'retry')!.attrs.count),
    ).toEqual(['1', '2', '3', '4', '5']);
    const hasKeys = retries.map((r) => (r.content as BinaryNode[]).some((c) => c.tag === 'keys'));
    expect(hasKeys).toEqual([false, true, true, true, true]);
  }, 120_000);

  test('the server drops the sender mid fan-out: the send rejects; resent with its id, nobody sees it twice', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const alice = await link(server, phoneA, new MemoryStore(), {
      reconnect: { baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    });
    const bob = await link(server, phoneB);
    const bob2 = await link(server, phoneB);
    const seen = [bob, bob2].map((c) => {
      const ids: string[] = [];
      c.on('message', ({ info }) => void ids.push(info.id));
      return ids;
    });
    const warm = nextEvent(bob2, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'warm' });
    await warm;
    server.faults.dropSenderDuringFanOut(1);
    const error = await alice
      .sendMessage(phoneB.jid, { conversation: 'half' }, { id: '3EB0HALFWAY00000000' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    await alice.waitForConnected(DEADLINE_MS);
    await alice.sendMessage(phoneB.jid, { conversation: 'half' }, { id: '3EB0HALFWAY00000000' });
    await until(() => seen.every((ids) => ids.includes('3EB0HALFWAY00000000')), 'both devices');
    // A later message proves the lanes moved past any duplicate.
    await alice.sendMessage(phoneB.jid, { conversation: 'later' });
    await until(() => seen.every((ids) => ids.length === 3), 'the later message');
    for (const ids of seen) expect(ids.filter((id) => id === '3EB0HALFWAY00000000')).toHaveLength(1);
  }, 120_000);

  test('a malformed message is reported and acked; the next one is handled', async () => {
    const server = await serverFor(onCleanup);
    const { phoneB } = await accounts(server);
    const bob = await link(server, phoneB);
    const bobDevice = bob.credentials!.account!.jid;
    const error = nextEvent(bob, 'error');
    const acked = server.waitFor('ack', (e) => e.jid === bobDevice && e.id === 'no-from');
    server.connectionOf(bobDevice)!.send({ tag: 'message', attrs: { id: 'no-from', t: '1' }, content: [] });
    expect((await error).error).toMatchObject({ code: 'ERR_CLIENT_MALFORMED_STANZA' });
    await acked;
  }, 120_000);

  test('an offline backlog larger than the bound is pulled in batches within it, in order', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const alice = await link(server, phoneA);
    const bob = await link(server, phoneB, new MemoryStore(), { maxQueuedStanzas: 4 });
    const warm = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'warm' });
    await warm;
    await bob.disconnect();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(await alice.sendMessage(phoneB.jid, { conversation: `backlog ${i}` }));
    const bobDevice = bob.credentials!.account!.jid;
    const batches: number[] = [];
    server.on('node', ({ connection, node }) => {
      const batch =
        connection.deviceJid === bobDevice && node.tag === 'ib'
          ? (node.content as BinaryNode[])[0]
          : undefined;
      if (batch?.tag === 'offline_batch') batches.push(Number(batch.attrs.count));
    });
    const got: string[] = [];
    bob.on('message', ({ info }) => void got.push(info.id));
    const complete = nextEvent(bob, 'offline-sync-complete');
    await bob.connect();
    await complete;
    expect(got).toEqual(ids);
    expect(batches.length).toBeGreaterThan(2);
    expect(Math.max(...batches)).toBeLessThanOrEqual(4);
    expect(bob.state).toBe('connected');
  }, 120_000);

  test('a connection dropped in the middle of the offline drain loses nothing and shows nothing twice', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const alice = await link(server, phoneA);
    const bob = await link(server, phoneB, new MemoryStore(), {
      reconnect: { baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
      maxQueuedStanzas: 4,
    });
    const warm = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'warm' });
    await warm;
    await bob.disconnect();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(await alice.sendMessage(phoneB.jid, { conversation: `drain ${i}` }));
    const bobDevice = bob.credentials!.account!.jid;
    const got: string[] = [];
    let dropped = false;
    bob.on('message', ({ info }) => {
      got.push(info.id);
      if (got.length === 3 && !dropped) {
        dropped = true;
        server.connectionOf(bobDevice)?.drop();
      }
    });
    await bob.connect();
    await until(() => got.length >= ids.length, 'every backlog message');
    // Once more through a login: anything still pending would come now.
    const complete = nextEvent(bob, 'offline-sync-complete');
    server.connectionOf(bobDevice)?.drop();
    await complete;
    expect(dropped).toBe(true);
    expect(got).toEqual(ids);
  }, 120_000);

  test('a used key under a new message id is not taken for a redelivery: retry receipt and undecryptable', async () => {
    const server = await serverFor(onCleanup);
    const { phoneA, phoneB } = await accounts(server);
    const alice = await link(server, phoneA);
    const bob = await link(server, phoneB);
    const bobDevice = bob.credentials!.account!.jid;
    const delivered = server.waitFor('delivered', (e) => e.jid === bobDevice && e.tag === 'message');
    const first = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'once' });
    const { node } = await delivered;
    await first;
    // The same ciphertext under another id: what a sender that reused a message key sends.
    const failed = nextEvent(bob, 'undecryptable');
    const retried = server.waitFor(
      'node',
      (e) =>
        e.connection.deviceJid === bobDevice && e.node.tag === 'receipt' && e.node.attrs.type === 'retry',
    );
    server.connectionOf(bobDevice)!.send({ ...node, attrs: { ...node.attrs, id: '3EB0REUSEDKEY00000' } });
    const [{ info, reason, error }, retry] = await Promise.all([failed, retried]);
    expect(info.id).toBe('3EB0REUSEDKEY00000');
    expect(reason).toBe('decrypt-failed');
    expect(error).toMatchObject({ code: 'ERR_SIGNAL_DUPLICATE' });
    expect(retry.node.attrs.id).toBe('3EB0REUSEDKEY00000');
  }, 120_000);
});
