/**
 * Interop: a wakit client and Baileys 7 (an independent implementation, devDependency
 * baileys@7.0.0-rc14) message each other through @wakit/server over loopback WebSockets: on two
 * accounts both ways (Baileys' `messages.upsert`, our `message` event), and a Baileys device and a
 * wakit device on ONE account, each seeing the other's sent messages as its own.
 */
import type { Client } from '@wakit/client';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkBaileys, nextUpsert, textOf } from '../../../packages/server/test/baileys-harness';
import { DEADLINE_MS, linkedClient, nextEvent } from './_harness';

type Socket = ReturnType<typeof makeWASocket>;

describe('wakit and Baileys message each other', () => {
  let server: WaServer;
  let phoneW: VirtualPhone;
  let phoneB: VirtualPhone;
  let wakit: Client;
  let wakitTwin: Client;
  let sock: Socket;
  const log: string[] = [];
  const sockets: Socket[] = [];
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);

  async function linkWakit(phone: VirtualPhone): Promise<Client> {
    const client = await linkedClient(server, phone);
    client.on('error', ({ context, error }) => log.push(`wakit error: ${context}: ${String(error)}`));
    return client;
  }

  beforeAll(async () => {
    server = await startServer();
    // Baileys checks the certificate chain against this constant: trust the test root instead.
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    phoneW = await server.phones.create('15550005555');
    phoneB = await server.phones.create('15550006666');
    wakit = await linkWakit(phoneW);
    ({ sock } = await linkBaileys({ url: server.url, phone: phoneB, log, sockets }));
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.end(undefined);
    await wakit?.disconnect();
    await wakitTwin?.disconnect();
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  it('Baileys -> wakit: our message event has the text, id and push name', async () => {
    const got = nextEvent(wakit, 'message');
    const sent = await sock.sendMessage(phoneW.jid, { text: 'hello from Baileys' });
    const { message, info } = await got;
    expect(textOf(message as never)).toBe('hello from Baileys');
    expect(info.id).toBe(sent!.key.id);
    expect(info.fromMe).toBe(false);
    expect(info.pushName).toMatch(/\S/);
    expect(info.sender).toMatch(/^(15550006666|\d+):\d+@(s\.whatsapp\.net|lid)$/);
  });

  it('wakit -> Baileys: messages.upsert shows it, and its delivery receipt reaches us', async () => {
    const upsert = nextUpsert(sock, (m) => textOf(m.message) === 'hello from wakit', log);
    const receipt = nextEvent(wakit, 'receipt');
    const id = await wakit.sendMessage(phoneB.jid, { conversation: 'hello from wakit' });
    const message = await upsert;
    expect(message.key.id).toBe(id);
    expect(message.key.fromMe).toBe(false);
    expect((await receipt).ids).toContain(id);
  });

  it('wakit -> Baileys by LID, then a burst both ways arrives complete and in order', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `burst ${i}`);
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      sock.ev.on('messages.upsert', ({ messages }) => {
        for (const m of messages) {
          const text = textOf(m.message);
          if (text?.startsWith('burst ')) seen.push(text);
        }
        if (seen.length === texts.length) resolve();
      });
    });
    await Promise.all(texts.map((text) => wakit.sendMessage(phoneB.lid, { conversation: text })));
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`saw ${seen}`)), DEADLINE_MS)),
    ]);
    expect(seen).toEqual(texts);
    const ours: string[] = [];
    const all = new Promise<void>((resolve) => {
      wakit.on('message', ({ message }) => {
        if (
          message.conversation?.startsWith('back ') ||
          message.extendedTextMessage?.text?.startsWith('back ')
        ) {
          ours.push(message.conversation || message.extendedTextMessage!.text!);
          if (ours.length === 3) resolve();
        }
      });
    });
    for (let i = 0; i < 3; i++) await sock.sendMessage(phoneW.jid, { text: `back ${i}` });
    await Promise.race([
      all,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`got ${ours}`)), DEADLINE_MS)),
    ]);
    expect(ours).toEqual(['back 0', 'back 1', 'back 2']);
  });

  it("a Baileys device and a wakit device on one account see each other's messages as their own", async () => {
    wakitTwin = await linkWakit(phoneB);
    // wakit twin (account B) -> account W: Baileys (also account B) gets the fromMe copy.
    const copy = nextUpsert(sock, (m) => textOf(m.message) === 'from the wakit twin', log);
    const atW = nextEvent(wakit, 'message', (m) => m.message.conversation === 'from the wakit twin');
    const id = await wakitTwin.sendMessage(phoneW.jid, { conversation: 'from the wakit twin' });
    const mine = await copy;
    expect(mine.key).toMatchObject({ id, fromMe: true });
    expect((await atW).info.id).toBe(id);
    // Baileys (account B) -> account W: the wakit twin gets the fromMe copy.
    const twinCopy = nextEvent(
      wakitTwin,
      'message',
      (m) => textOf(m.message as never) === 'from Baileys on B',
    );
    const sent = await sock.sendMessage(phoneW.jid, { text: 'from Baileys on B' });
    const { info } = await twinCopy;
    expect(info).toMatchObject({ id: sent!.key.id, fromMe: true });
    expect([phoneW.jid, phoneW.lid]).toContain(info.chat);
    expect(
      log.filter(
        (line) => (line.startsWith('error') || line.startsWith('wakit error')) && !line.includes('"515"'),
      ),
    ).toEqual([]);
  });
});
