/**
 * Presence and chat state between two accounts, each with a Baileys device (baileys@7.0.0-rc14):
 * `presenceSubscribe` is answered at once and then kept up to date, and the other's
 * `sendPresenceUpdate` (available, unavailable, composing, recording, paused) arrives as
 * `presence.update`, with nothing logged as an error on either side.
 */
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualPhone } from '../src/phone';
import { startServer, type WaServer } from '../src/start-server';
import { linkBaileys, nextEvent } from './baileys-harness';

type Socket = ReturnType<typeof makeWASocket>;
type PresenceData = { lastKnownPresence: string; lastSeen?: number };

describe('Baileys devices of two accounts see each other’s presence and chat state', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  let alice: VirtualPhone;
  let bob: VirtualPhone;
  const logs: [string[], string[]] = [[], []];
  let aliceSock: Socket;
  let bobSock: Socket;

  beforeAll(async () => {
    server = await startServer();
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    alice = await server.phones.create('15550006666');
    bob = await server.phones.create('15550007777');
    // A push name, so that Baileys sends available/unavailable at all.
    const link = (phone: VirtualPhone, log: string[], name: string) =>
      linkBaileys({ url: server.url, phone, log, sockets, name });
    aliceSock = (await link(alice, logs[0], 'Alice')).sock;
    bobSock = (await link(bob, logs[1], 'Bob')).sock;
  }, 120_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  /** The next presence Alice's socket reports for `jid` that passes `match`. */
  const nextPresence = async (jid: string, match: (p: PresenceData) => boolean) => {
    const event = await nextEvent(
      aliceSock,
      'presence.update',
      (e) => e.id === jid && e.presences[jid] !== undefined && match(e.presences[jid] as PresenceData),
      logs[0],
    );
    return event.presences[jid] as PresenceData;
  };

  it('presenceSubscribe gets the current presence, then available and unavailable as Bob changes', async () => {
    const current = nextPresence(bob.jid, () => true);
    await aliceSock.presenceSubscribe(bob.jid);
    // Bob's device said unavailable when it opened (markOnlineOnConnect is off): seen, offline.
    const first = await current;
    expect(first.lastKnownPresence).toBe('unavailable');
    expect(first.lastSeen).toBeTypeOf('number');

    const online = nextPresence(bob.jid, (p) => p.lastKnownPresence === 'available');
    await bobSock.sendPresenceUpdate('available');
    expect(await online).toEqual({ lastKnownPresence: 'available' });

    const offline = nextPresence(bob.jid, (p) => p.lastKnownPresence === 'unavailable');
    await bobSock.sendPresenceUpdate('unavailable');
    expect((await offline).lastSeen).toBeGreaterThanOrEqual(first.lastSeen!);
  });

  it('composing, recording and paused sent by Bob to Alice arrive as presence.update', async () => {
    for (const [sent, seen] of [
      ['composing', 'composing'],
      ['recording', 'recording'],
      ['paused', 'available'],
    ] as const) {
      const update = nextPresence(bob.jid, (p) => p.lastKnownPresence === seen);
      await bobSock.sendPresenceUpdate(sent, alice.jid);
      expect(await update).toEqual({ lastKnownPresence: seen });
    }
  });

  it('hides last seen from Alice once Bob sets it to nobody', async () => {
    const hidden = nextPresence(bob.jid, (p) => p.lastSeen === undefined);
    await bobSock.updateLastSeenPrivacy('none');
    expect(await hidden).toEqual({ lastKnownPresence: 'unavailable' });
  });

  it('logged no errors on either device', () => {
    for (const log of logs) {
      expect(log.filter((line) => !line.startsWith('warn') && !line.includes('"515"'))).toEqual([]);
    }
  });
});
