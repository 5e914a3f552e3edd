/**
 * 1:1 messaging end to end: wakit clients and virtual phones on @wakit/server over loopback
 * WebSockets. Every wait has a deadline; nothing asserts time.
 */
import { type Client, MemoryStore } from '@wakit/client';
import type { VirtualPhone, WaServer } from '@wakit/server';
import { afterEach, describe, expect, test } from 'vitest';
import { DEADLINE_MS, linkedClient, nextEvent, serverFor, until } from './_harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
const onCleanup = (fn: () => Promise<void>) => cleanups.push(fn);

/** Links a new wakit device to `phone`'s account, logged in, disconnected after the test. */
async function link(server: WaServer, phone: VirtualPhone, store = new MemoryStore()): Promise<Client> {
  const client = await linkedClient(server, phone, { store });
  onCleanup(() => client.disconnect());
  return client;
}

/** Collects every event `name` of `client`. */
function collect<T>(
  client: Client,
  name: 'message' | 'receipt' | 'undecryptable' | 'message-edited' | 'message-revoked',
): T[] {
  const seen: T[] = [];
  client.on(name, (payload) => void seen.push(payload as T));
  return seen;
}

async function twoAccounts() {
  const server = await serverFor(onCleanup);
  const phoneA = await server.phones.create('15550000001');
  const phoneB = await server.phones.create('15550000002');
  const alice = await link(server, phoneA);
  const bob = await link(server, phoneB);
  return { server, phoneA, phoneB, alice, bob };
}

describe('1:1 messaging through @wakit/server', () => {
  test('two wakit clients exchange messages both ways, by PN and by LID, as one chat', async () => {
    const { phoneA, phoneB, alice, bob } = await twoAccounts();
    const bobGot = collect<{
      message: { conversation: string };
      info: { chat: string; id: string; fromMe: boolean; senderAlt?: string };
    }>(bob, 'message');
    const id1 = await alice.sendMessage(phoneB.jid, { conversation: 'hello bob' });
    await until(() => bobGot.length === 1, 'the first message');
    expect(bobGot[0]!.message.conversation).toBe('hello bob');
    expect(bobGot[0]!.info).toMatchObject({ id: id1, fromMe: false });
    // By LID: same session (no pkmsg needed again), same chat.
    await alice.sendMessage(phoneB.lid, { conversation: 'by lid' });
    await until(() => bobGot.length === 2, 'the LID message');
    expect(bobGot[1]!.message.conversation).toBe('by lid');
    const aliceGot = collect<{ message: { conversation: string } }>(alice, 'message');
    await bob.sendMessage(bobGot[0]!.info.chat, { conversation: 'hi alice' });
    await until(() => aliceGot.length === 1, 'the reply');
    expect(aliceGot[0]!.message.conversation).toBe('hi alice');
    expect(phoneA.jid).toBe('15550000001@s.whatsapp.net');
  }, 120_000);

  test("every device of both accounts gets the message; the sender's other device sees it fromMe", async () => {
    const { server, phoneA, phoneB, alice, bob } = await twoAccounts();
    const alice2 = await link(server, phoneA);
    const bob2 = await link(server, phoneB);
    const got = [bob, bob2, alice2].map((c) =>
      collect<{ message: { conversation: string }; info: { fromMe: boolean; chat: string } }>(c, 'message'),
    );
    const id = await alice.sendMessage(phoneB.jid, { conversation: 'to all' });
    await until(() => got.every((g) => g.length === 1), 'every device');
    for (const g of got) expect(g[0]!.message.conversation).toBe('to all');
    expect(got[0]![0]!.info.fromMe).toBe(false);
    expect(got[2]![0]!.info).toMatchObject({ fromMe: true });
    expect([phoneB.jid, phoneB.lid]).toContain(got[2]![0]!.info.chat);
    // The phones (device 0) are Signal participants too.
    await phoneB.waitForMessage((m) => m.info.id === id, DEADLINE_MS);
    await phoneA.waitForMessage((m) => m.info.id === id && m.info.fromMe, DEADLINE_MS);
  }, 120_000);

  test('a virtual phone and a wakit client talk both ways', async () => {
    const server = await serverFor(onCleanup);
    const phoneA = await server.phones.create('15550000011');
    const phoneB = await server.phones.create('15550000012');
    const bob = await link(server, phoneB);
    const got = collect<{ message: { conversation: string }; info: { sender: string } }>(bob, 'message');
    const id = await phoneA.sendMessage(phoneB.jid, { conversation: 'from a phone' });
    await until(() => got.length === 1, 'the phone message');
    expect(got[0]!.message.conversation).toBe('from a phone');
    expect(typeof id).toBe('string');
    const reply = await bob.sendMessage(phoneA.jid, { conversation: 'to a phone' });
    const { message } = await phoneA.waitForMessage((m) => m.info.id === reply, DEADLINE_MS);
    expect(message.conversation).toBe('to a phone');
  }, 120_000);

  test('an offline device gets what was sent meanwhile, in order, then offline-sync-complete', async () => {
    const { phoneB, alice, bob } = await twoAccounts();
    const warm = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'warm' });
    await warm;
    await bob.disconnect();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await alice.sendMessage(phoneB.jid, { conversation: `offline ${i}` }));
    const got = collect<{ message: { conversation: string }; info: { id: string; offline: boolean } }>(
      bob,
      'message',
    );
    const complete = nextEvent(bob, 'offline-sync-complete');
    await bob.connect();
    const { count } = await complete;
    expect(count).toBeGreaterThanOrEqual(5);
    expect(got.map((g) => g.info.id)).toEqual(ids);
    expect(got.every((g) => g.info.offline)).toBe(true);
  }, 120_000);

  test('a duplicated delivery is acked but emitted once', async () => {
    const { server, phoneB, alice, bob } = await twoAccounts();
    const got = collect<{ info: { id: string } }>(bob, 'message');
    const bobDevice = bob.credentials!.account!.jid;
    server.faults.duplicateNextDelivery(bobDevice);
    const id = await alice.sendMessage(phoneB.jid, { conversation: 'once' });
    await until(() => got.length === 1, 'the message');
    // A second message proves the duplicate was handled (same lane, in order) before it.
    await alice.sendMessage(phoneB.jid, { conversation: 'after' });
    await until(() => got.length === 2, 'the next message');
    expect(got.map((g) => g.info.id).filter((x) => x === id)).toHaveLength(1);
  }, 120_000);

  test('edit and revoke reach the peer; read receipts reach the sender', async () => {
    const { phoneB, alice, bob } = await twoAccounts();
    const got = nextEvent(bob, 'message');
    const id = await alice.sendMessage(phoneB.jid, { conversation: 'typo' });
    const { info } = await got;
    const edited = nextEvent(bob, 'message-edited');
    await alice.editMessage(phoneB.jid, id, { conversation: 'fixed' });
    expect(await edited).toMatchObject({ id, fromMe: false, message: { conversation: 'fixed' } });
    const read = nextEvent(alice, 'receipt', (r) => r.type === 'read');
    await bob.markRead(info.chat, [id]);
    expect((await read).ids).toEqual([id]);
    const revoked = nextEvent(bob, 'message-revoked');
    await alice.revokeMessage(phoneB.jid, id);
    expect(await revoked).toMatchObject({ id, fromMe: false });
  }, 120_000);

  test('a receiver that lost its session asks again, and the sender resends on a new session', async () => {
    const server = await serverFor(onCleanup);
    const phoneA = await server.phones.create('15550000021');
    const phoneB = await server.phones.create('15550000022');
    const bobStore = new MemoryStore();
    const alice = await link(server, phoneA);
    const bob = await link(server, phoneB, bobStore);
    const first = nextEvent(bob, 'message');
    await alice.sendMessage(phoneB.jid, { conversation: 'first' });
    await first;
    // Bob loses every session (a restored backup, a bug): Alice's next `msg` cannot decrypt.
    const aliceUser = phoneA.lid.split('@')[0]!;
    await bobStore.signalUsers.deleteSessions(`${aliceUser}_1`);
    await bobStore.signalUsers.deleteSessions(phoneA.phoneNumber);
    const failed = collect<{ reason: string; retryCount?: number }>(bob, 'undecryptable');
    const got = nextEvent(bob, 'message', (m) => m.message.conversation === 'second');
    await alice.sendMessage(phoneB.jid, { conversation: 'second' });
    expect((await got).message.conversation).toBe('second');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]).toMatchObject({ reason: 'decrypt-failed', retryCount: 1 });
  }, 120_000);
});
