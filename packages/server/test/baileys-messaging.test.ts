/**
 * Two Baileys sockets (baileys@7.0.0-rc14, an independent client) on two accounts message each
 * other through the server over loopback WebSockets: usync, prekey fetches, the fan-out, receipts
 * back to the sender, and the offline queue when the recipient was away, by PN and by LID as
 * Baileys addresses them.
 */
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEventMap, ServerEventName } from '../src/events';
import { child } from '../src/nodes';
import type { VirtualPhone } from '../src/phone';
import { startServer, type WaServer } from '../src/start-server';
import { linkBaileys, nextEvent, nextUpdate, textOf } from './baileys-harness';
import { DEADLINE_MS } from './until';

type Socket = ReturnType<typeof makeWASocket>;

/** proto.WebMessageInfo.Status.DELIVERY_ACK, READ. */
const DELIVERY_ACK = 3;
const READ = 4;

describe('two Baileys accounts message each other through @wakit/server', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  let alice: Awaited<ReturnType<typeof link>>;
  let bob: Awaited<ReturnType<typeof link>>;

  /**
   * Links a Baileys device to `phone`, named so that it goes `available` and sends active delivery
   * receipts (see `linkBaileys`), and waits until the server has its name.
   */
  async function link(phone: VirtualPhone, name: string) {
    const log: string[] = [];
    const named = server.waitFor('node', (e) => e.node.attrs.name === name, DEADLINE_MS);
    const { sock, jid, start } = await linkBaileys({
      url: server.url,
      phone,
      log,
      sockets,
      name,
      markOnlineOnConnect: true,
    });
    await named;
    return { sock, jid, log, start, phone };
  }

  beforeAll(async () => {
    server = await startServer();
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    alice = await link(await server.phones.create('15550001111'), 'Alice');
    bob = await link(await server.phones.create('15550002222'), 'Bob');
  }, 120_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  it('delivers a text both ways with key and push name, and each sender sees the delivery receipt', async () => {
    for (const [from, to, text] of [
      [alice, bob, 'hello Bob'],
      [bob, alice, 'hello Alice'],
    ] as const) {
      const upsert = nextEvent(
        to.sock,
        'messages.upsert',
        (e) => e.type === 'notify' && e.messages.some((m) => textOf(m) === text),
        to.log,
      );
      // Bob's phone (a virtual phone, always online) receipts too; wait for the Baileys device's.
      const receipt = server.waitFor(
        'receipt',
        (e) => e.node.attrs.to === from.jid && e.type === undefined && /:1@/.test(e.from),
      );
      const sent = await from.sock.sendMessage(to.phone.jid, { text });
      const id = sent!.key.id!;
      const delivered = nextEvent(
        from.sock,
        'messages.update',
        (updates) => updates.some((u) => u.key.id === id && (u.update.status ?? 0) >= DELIVERY_ACK),
        from.log,
      );
      const message = (await upsert).messages.find((m) => textOf(m) === text)!;
      expect(message.key).toMatchObject({ id, fromMe: false });
      expect([from.phone.jid, from.phone.lid]).toContain(message.key.remoteJid);
      expect(message.pushName).toBe(from === alice ? 'Alice' : 'Bob');
      // The receipt came from the receiving Baileys device itself, addressed to the sending one.
      expect((await receipt).to).toEqual([from.jid]);
      await delivered;
    }
    expect(errors(alice.log)).toEqual([]);
    expect(errors(bob.log)).toEqual([]);
  });

  it('delivers by LID when the sender writes to the LID', async () => {
    const upsert = nextEvent(
      bob.sock,
      'messages.upsert',
      (e) => e.messages.some((m) => textOf(m) === 'by lid'),
      bob.log,
    );
    const relayed = server.waitFor('message', (e) => e.id !== '' && e.node.attrs.to === bob.phone.lid);
    await alice.sock.sendMessage(bob.phone.lid, { text: 'by lid' });
    expect((await relayed).from).toMatch(/^\d+:1@lid$/);
    const message = (await upsert).messages.find((m) => textOf(m) === 'by lid')!;
    expect(message.key.fromMe).toBe(false);
    expect(message.pushName).toBe('Alice');
  });

  it('tells the sender when the recipient reads', async () => {
    const upsert = nextEvent(
      bob.sock,
      'messages.upsert',
      (e) => e.messages.some((m) => textOf(m) === 'read me'),
      bob.log,
    );
    const sent = await alice.sock.sendMessage(bob.phone.jid, { text: 'read me' });
    const message = (await upsert).messages.find((m) => textOf(m) === 'read me')!;
    const read = nextEvent(
      alice.sock,
      'messages.update',
      (updates) => updates.some((u) => u.key.id === sent!.key.id && u.update.status === READ),
      alice.log,
    );
    await bob.sock.readMessages([message.key]);
    await read;
  });

  it('queues for a recipient that is away and delivers at its next login; its receipt reaches the sender', async () => {
    const gone = server.waitFor('disconnect', bob.jid);
    bob.sock.end(undefined);
    await gone;
    const queued = server.waitFor('message', (e) => e.to.includes(bob.jid));
    const sent = await alice.sock.sendMessage(bob.phone.jid, { text: 'while you were away' });
    const id = sent!.key.id!;
    await queued;
    expect(server.connectionOf(bob.jid)).toBeUndefined();

    const offline = server.waitFor('delivered', (e) => e.jid === bob.jid && e.id === id);
    // Baileys processes the replayed queue before it goes `available`, so its receipt is
    // `inactive`: forwarded as it is (senders show no tick for it), and acked by Alice's device.
    const receipt = server.waitFor('receipt', (e) => e.id === id && /:1@/.test(e.from));
    const acked = server.waitFor(
      'ack',
      (e) => e.jid === alice.jid && e.class === 'receipt' && e.id === id && e.type === 'inactive',
    );
    const sock = bob.start();
    bob = { ...bob, sock };
    const upsert = nextEvent(
      sock,
      'messages.upsert',
      (e) => e.messages.some((m) => m.key.id === id),
      bob.log,
    );
    const drained = nextUpdate(sock, (u) => u.receivedPendingNotifications === true, bob.log);
    expect((await offline).offline).toBe(true);
    const got = await upsert;
    // Baileys upserts what the offline queue replays as `append`, not `notify`.
    expect(got.type).toBe('append');
    expect(textOf(got.messages.find((m) => m.key.id === id)!)).toBe('while you were away');
    expect(await receipt).toMatchObject({ type: 'inactive', to: [alice.jid] });
    await acked;
    await drained;
  });

  it('serves a backlog over 100 in several batches (Baileys asks for 100 per preview) and ends it', async () => {
    const gone = server.waitFor('disconnect', bob.jid);
    bob.sock.end(undefined);
    await gone;
    // 120 delivery receipts from Alice to Bob's device, for messages Bob never sent: cheap stanzas
    // that Bob must still acknowledge one by one.
    const ids = Array.from({ length: 120 }, (_, i) => `BACKLOG${i}`);
    const queued = count(
      server,
      'receipt',
      (e) => e.to.includes(bob.jid) && e.id.startsWith('BACKLOG'),
      ids.length,
    );
    for (const id of ids) await alice.sock.sendReceipt(bob.jid, undefined, [id], undefined);
    await queued;

    const batches: string[] = [];
    const offNode = server.on('node', (e) => {
      const batch = child(e.node, 'offline_batch');
      if (e.connection.deviceJid === bob.jid && e.node.tag === 'ib' && batch !== undefined) {
        batches.push(batch.attrs.count!);
      }
    });
    const acked = count(
      server,
      'ack',
      (e) => e.jid === bob.jid && e.class === 'receipt' && e.matched && e.id.startsWith('BACKLOG'),
      ids.length,
    );
    const sock = bob.start();
    bob = { ...bob, sock };
    await nextUpdate(sock, (u) => u.receivedPendingNotifications === true, bob.log);
    offNode();
    // One request per preview: 100, then the fresh preview's 100 (20 left).
    expect(batches).toEqual(['100', '100']);
    await acked;
  });
});

/** Resolves once `n` `name` events passed `match`; rejects after the deadline. */
function count<K extends ServerEventName>(
  server: WaServer,
  name: K,
  match: (event: ServerEventMap[K]) => boolean,
  n: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`saw ${seen} of ${n} matching "${name}" events within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
    const off = server.on(name, (event) => {
      if (!match(event) || ++seen < n) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Baileys' logged errors, minus the expected 515 restart. */
function errors(log: string[]): string[] {
  return log.filter((line) => line.startsWith('error') && !line.includes('"515"'));
}
