/**
 * Virtual phones and Baileys (an independent client, devDependency baileys@7.0.0-rc14) messaging
 * each other through the server over real loopback WebSockets: a Baileys device linked to account
 * A by QR writes to phone B, phone B answers, and phone A's own messages reach its Baileys
 * companion as deviceSentMessage copies.
 */
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualPhone } from '../src/phone';
import { startServer, type WaServer } from '../src/start-server';
import { linkBaileys, nextUpsert, textOf } from './baileys-harness';
import { DEADLINE_MS } from './until';

type Socket = ReturnType<typeof makeWASocket>;

describe('virtual phones and a Baileys companion', () => {
  let server: WaServer;
  let phoneA: VirtualPhone;
  let phoneB: VirtualPhone;
  let sock: Socket;
  const log: string[] = [];
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startServer();
    // Baileys checks the chain against this constant (see baileys-interop.test.ts).
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    phoneA = await server.phones.create('15550003333');
    phoneB = await server.phones.create('15550004444');
    ({ sock } = await linkBaileys({ url: server.url, phone: phoneA, log, sockets }));
  });

  afterAll(async () => {
    for (const s of sockets) s.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  it("phone B decrypts the Baileys device's message, and phone A its own copy", async () => {
    const sent = await sock.sendMessage(phoneB.jid, { text: 'hello from Baileys' });
    const id = sent!.key.id!;
    const got = await phoneB.waitForMessage((m) => m.info.id === id, DEADLINE_MS);
    expect(textOf(got.message)).toBe('hello from Baileys');
    expect(got.info).toMatchObject({
      fromMe: false,
      chat: phoneA.jid,
      sender: '15550003333:1@s.whatsapp.net',
    });
    const copy = await phoneA.waitForMessage((m) => m.info.id === id, DEADLINE_MS);
    expect(textOf(copy.message)).toBe('hello from Baileys');
    expect(copy.info).toMatchObject({ fromMe: true, chat: phoneB.jid });
    expect([...phoneA.undecryptable, ...phoneB.undecryptable]).toEqual([]);
  });

  it('Baileys shows the reply of phone B in messages.upsert', async () => {
    const upsert = nextUpsert(sock, (m) => textOf(m.message) === 'hello from phone B', log);
    const id = await phoneB.sendMessage(phoneA.jid, { conversation: 'hello from phone B' });
    const message = await upsert;
    expect(message.key.id).toBe(id);
    expect(message.key.fromMe).toBe(false);
    expect([phoneB.jid, phoneB.lid]).toContain(message.key.remoteJid);
    // Baileys' delivery receipt comes back to phone B.
    await phoneB.waitFor('receipt', (r) => r.id === id, DEADLINE_MS);
  });

  it("Baileys shows its own phone's message as fromMe, unwrapped from deviceSentMessage", async () => {
    const upsert = nextUpsert(sock, (m) => textOf(m.message) === 'written on phone A', log);
    const id = await phoneA.sendMessage(phoneB.jid, { conversation: 'written on phone A' });
    const message = await upsert;
    expect(message.key).toMatchObject({ id, fromMe: true });
    expect([phoneB.jid, phoneB.lid]).toContain(message.key.remoteJid);
    expect((await phoneB.waitForMessage((m) => m.info.id === id, DEADLINE_MS)).info.chat).toBe(phoneA.jid);
    // The companion's receipt for its copy is a sender receipt.
    await phoneA.waitFor('receipt', (r) => r.id === id && r.type === 'sender', DEADLINE_MS);
    // Baileys logs the pairing restart (515) as an error; nothing else may be one.
    expect(log.filter((line) => line.startsWith('error') && !line.includes('"515"'))).toEqual([]);
  });
});
