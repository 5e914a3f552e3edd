/**
 * Group messaging end to end on @wakit/server over loopback WebSockets: three accounts with two
 * wakit devices each (the virtual phones are members' devices too, and get the SKDMs; whether they
 * read groups is the server's business), the group made with the server's test API and changed
 * with raw `w:g2` IQs (this package mounts no features module). Waits are on events with deadlines.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
import { emptySenderKeyRecord, encodeSenderKeyRecord } from '@wakit/signal';
import { afterEach, describe, expect, test } from 'vitest';
import { type Client, createClient } from '../src/client';
import { MemoryStore } from '../src/store/memory-store';
import { DEADLINE_MS, nextEvent, until } from './_wait';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Linked {
  client: Client;
  store: MemoryStore;
  texts: string[];
  errors: string[];
}

async function link(server: WaServer, phone: VirtualPhone): Promise<Linked> {
  const store = new MemoryStore();
  const client = createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
  const linked: Linked = { client, store, texts: [], errors: [] };
  client.on('message', ({ message, info }) => {
    if (info.isGroup) linked.texts.push(message.conversation ?? '');
  });
  client.on('error', ({ error, context }) => linked.errors.push(`${context}: ${String(error)}`));
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  cleanups.push(() => client.disconnect());
  return linked;
}

function changeIq(group: string, action: string, lid: string): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: group, type: 'set', xmlns: 'w:g2', id: `g${Math.random().toString(16).slice(2)}` },
    content: [{ tag: action, attrs: {}, content: [{ tag: 'participant', attrs: { jid: lid } }] }],
  };
}

describe('group messages through @wakit/server', () => {
  test('three accounts, two devices each: both ways, a lost key repaired by a retry receipt, a removed member reads nothing after, a new member only what follows', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const [pa, pb, pc, pd] = await Promise.all(
      ['15550000001', '15550000002', '15550000003', '15550000004'].map((n) => server.phones.create(n)),
    );
    const [a1, a2, b1, b2, c1, c2] = [
      await link(server, pa!),
      await link(server, pa!),
      await link(server, pb!),
      await link(server, pb!),
      await link(server, pc!),
      await link(server, pc!),
    ];
    const group = server.groups.create(pa!.phoneNumber, 'wakit', [pb!.phoneNumber, pc!.phoneNumber]).jid;

    await a1!.client.sendMessage(group, { conversation: 'from a1' });
    const others = [a2, b1, b2, c1, c2];
    await until(() => others.every((d) => d!.texts.length === 1), 'every other device reads a1');
    for (const d of others) expect(d!.texts).toEqual(['from a1']);

    await c2!.client.sendMessage(group, { conversation: 'from c2' });
    await until(
      () => [a1, a2, b1, b2, c1].every((d) => d!.texts.at(-1) === 'from c2'),
      'every other device reads c2',
    );

    // b2 loses a1's sender key: the next skmsg fails, b2's retry receipt reaches a1 through the
    // server, and a1 resends pairwise with a fresh SKDM, which also carries the messages after it.
    const a1Lid = a1!.client.credentials!.account!.lid!;
    const [lidUser, lidDevice] = a1Lid.split('@')[0]!.split(':');
    const name = `${group}::${lidUser}_1::${lidDevice}`;
    expect(await b2!.store.loadSenderKey(name)).toBeDefined();
    await b2!.store.storeSenderKey(name, encodeSenderKeyRecord(emptySenderKeyRecord()));
    const failed: string[] = [];
    b2!.client.on('undecryptable', ({ reason }) => failed.push(reason));
    await a1!.client.sendMessage(group, { conversation: 'after a lost key' });
    await until(() => b2!.texts.at(-1) === 'after a lost key', 'b2 reading the resend');
    expect(failed).toEqual(['decrypt-failed']);
    await a1!.client.sendMessage(group, { conversation: 'and on' });
    await until(() => b2!.texts.at(-1) === 'and on', 'b2 reading the next skmsg');
    expect(failed).toEqual(['decrypt-failed']);

    // a1 (the creator's account, superadmin) removes C; every device gets the w:gp2 <remove>.
    await a1!.client.query(changeIq(group, 'remove', pc!.lid));
    await until(
      async () => (await a1!.store.senderKeyDevices.get(group)).length === 0,
      'a1 dropping its key',
    );
    await a1!.client.sendMessage(group, { conversation: 'after removal' });
    await until(
      () => [a2, b1, b2].every((d) => d!.texts.at(-1) === 'after removal'),
      'the remaining devices',
    );
    const marked = await a1!.store.senderKeyDevices.get(group);
    expect(marked.some((jid) => jid.startsWith(`${pc!.lid.split('@')[0]}`))).toBe(false);
    expect(marked.length).toBeGreaterThan(0);

    // D joins; its devices read only what follows.
    const [d1, d2] = [await link(server, pd!), await link(server, pd!)];
    await a1!.client.query(changeIq(group, 'add', pd!.jid));
    await a1!.client.sendMessage(group, { conversation: 'after joining' });
    await until(() => [d1, d2, b1].every((d) => d!.texts.at(-1) === 'after joining'), 'the new member');
    expect(d1!.texts).toEqual(['after joining']);
    expect(d2!.texts).toEqual(['after joining']);
    // C, removed, read nothing after its removal.
    expect(c1!.texts).toEqual(['from a1', 'from c2', 'after a lost key', 'and on']);
    expect(c2!.texts).toEqual(['from a1', 'after a lost key', 'and on']);
    for (const d of [a1, a2, b1, b2, c1, c2, d1, d2]) expect(d!.errors).toEqual([]);
  }, 180_000);

  test('a restarted device sends from the members it stored: no metadata query, a member added while it was offline included', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const [pa, pb, pc] = await Promise.all(
      ['15550000001', '15550000002', '15550000003'].map((n) => server.phones.create(n)),
    );
    const [a1, b1, c1] = [await link(server, pa!), await link(server, pb!), await link(server, pc!)];
    const group = server.groups.create(pa!.phoneNumber, 'wakit', [pb!.phoneNumber]).jid;
    await b1!.client.sendMessage(group, { conversation: 'before' });
    await until(() => a1!.texts.length === 1, 'a1 reads b1');

    await b1!.client.disconnect();
    await a1!.client.query(changeIq(group, 'add', pc!.jid));
    const asked: BinaryNode[] = [];
    server.on('iq', ({ node }) => {
      if (node.attrs.to === group && node.attrs.xmlns === 'w:g2' && node.attrs.type === 'get')
        asked.push(node);
    });
    // The same store in a new process: the <add> waits in its offline queue.
    const restarted = createClient({
      store: b1!.store,
      url: server.url,
      rootPublicKey: server.rootPublicKey,
    });
    cleanups.push(() => restarted.disconnect());
    const drained = nextEvent(restarted, 'offline-sync-complete');
    await restarted.connect();
    await restarted.waitForConnected(DEADLINE_MS);
    await drained;
    await restarted.sendMessage(group, { conversation: 'after the restart' });
    await until(
      () => [a1, c1].every((d) => d!.texts.at(-1) === 'after the restart'),
      'the members, the new one too',
    );
    expect(asked).toEqual([]);
    expect(c1!.texts).toEqual(['after the restart']);
    for (const d of [a1, b1, c1]) expect(d!.errors).toEqual([]);
  }, 120_000);

  test('a status reaches the devices of the people it names and our own, a retry receipt included, and nobody else', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const [pa, pb, pc] = await Promise.all(
      ['15550000001', '15550000002', '15550000003'].map((n) => server.phones.create(n)),
    );
    const statuses: Record<string, string[]> = {};
    const [a1, a2, b1, c1] = [
      await link(server, pa!),
      await link(server, pa!),
      await link(server, pb!),
      await link(server, pc!),
    ];
    for (const [name, d] of Object.entries({ a2, b1, c1 })) {
      statuses[name] = [];
      d!.client.on('message', ({ message, info }) => {
        if (info.chat === 'status@broadcast') statuses[name]!.push(message.conversation ?? '');
      });
    }
    await a1!.client.sendMessage(
      'status@broadcast',
      { conversation: 'to B and C' },
      {
        recipients: [pb!.jid, pc!.jid],
      },
    );
    await until(() => ['a2', 'b1', 'c1'].every((n) => statuses[n]!.length === 1), 'everyone named reads it');

    // b1 loses a1's status key and its session with a1, so neither part of the next status reads:
    // its retry receipts reach a1 through the server, and a1 resends to b1 alone, pairwise.
    const [lidUser, lidDevice] = a1!.client.credentials!.account!.lid!.split('@')[0]!.split(':');
    const name = `status@broadcast::${lidUser}_1::${lidDevice}`;
    expect(await b1!.store.loadSenderKey(name)).toBeDefined();
    await b1!.store.storeSenderKey(name, encodeSenderKeyRecord(emptySenderKeyRecord()));
    expect(await b1!.store.signalUsers.deleteSessions(`${lidUser}_1`)).toBeGreaterThan(0);
    const failed: string[] = [];
    b1!.client.on('undecryptable', ({ reason }) => failed.push(reason));
    await a1!.client.sendMessage('status@broadcast', { conversation: 'to B' }, { recipients: [pb!.jid] });
    await until(() => statuses.b1!.length === 2 && statuses.a2!.length === 2, 'B reads the second');
    expect(statuses.b1).toEqual(['to B and C', 'to B']);
    expect(failed.length).toBeGreaterThan(0);
    expect(statuses.c1).toEqual(['to B and C']);
    for (const d of [a1, a2, b1, c1]) expect(d!.errors).toEqual([]);
  }, 120_000);
});
