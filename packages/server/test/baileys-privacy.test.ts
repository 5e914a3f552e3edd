/**
 * Two Baileys devices (baileys@7.0.0-rc14) linked to the same account see each other's blocklist,
 * privacy and default disappearing-mode changes through the server: Baileys' own calls
 * (`updateBlockStatus`, `updateLastSeenPrivacy` …) make them, its `fetchBlocklist` /
 * `fetchPrivacySettings(true)` and its account_sync handling read them.
 */
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualPhone } from '../src/phone';
import { startServer, type WaServer } from '../src/start-server';
import { linkBaileys, nextEvent } from './baileys-harness';
import { until } from './until';

type Socket = ReturnType<typeof makeWASocket>;

describe('Baileys devices of one account share its privacy state', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  let alice: VirtualPhone;
  let bob: VirtualPhone;
  const logs: [string[], string[]] = [[], []];
  let first: Socket;
  let second: Socket;
  let secondCreds: () => Socket['authState']['creds'];

  beforeAll(async () => {
    server = await startServer();
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    alice = await server.phones.create('15550004444');
    bob = await server.phones.create('15550005555');
    first = (await linkBaileys({ url: server.url, phone: alice, log: logs[0], sockets })).sock;
    second = (await linkBaileys({ url: server.url, phone: alice, log: logs[1], sockets })).sock;
    secondCreds = () => second.authState.creds;
  }, 120_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  it('a block made on one device reaches the other as blocklist.update and in fetchBlocklist', async () => {
    const update = nextEvent(second, 'blocklist.update', () => true, logs[1]);
    await first.updateBlockStatus(bob.jid, 'block');
    expect(await update).toEqual({ blocklist: [bob.lid], type: 'add' });
    expect(await second.fetchBlocklist()).toEqual([bob.lid]);
    const removed = nextEvent(first, 'blocklist.update', () => true, logs[0]);
    await second.updateBlockStatus(bob.lid, 'unblock');
    expect(await removed).toEqual({ blocklist: [bob.lid], type: 'remove' });
    expect(await first.fetchBlocklist()).toEqual([]);
  });

  it('privacy set with Baileys on one device is what the other fetches', async () => {
    await first.updateLastSeenPrivacy('none');
    await first.updateReadReceiptsPrivacy('none');
    await first.updateGroupsAddPrivacy('contacts');
    await first.updateCallPrivacy('known');
    const settings = await second.fetchPrivacySettings(true);
    expect(settings).toMatchObject({
      last: 'none',
      readreceipts: 'none',
      groupadd: 'contacts',
      calladd: 'known',
    });
    // An invalid pair is refused: Baileys' query rejects with the server's 400 (Boom `data`).
    await expect(first.updateOnlinePrivacy('none' as never)).rejects.toMatchObject({
      message: 'bad-request',
      data: 400,
    });
    expect((await second.fetchPrivacySettings(true)).online).toBe('all');
  });

  it('a default disappearing mode set on one device updates the other’s account settings', async () => {
    await first.updateDefaultDisappearingMode(604_800);
    await until(
      () => secondCreds().accountSettings?.defaultDisappearingMode?.ephemeralExpiration === 604_800,
      'the second device took the new default from account_sync',
    );
  });

  it('logged no errors on either device', () => {
    // The 515 is the restart after pairing, as in baileys-interop.test.ts.
    for (const log of logs) {
      expect(log.filter((line) => !line.startsWith('warn') && !line.includes('"515"'))).toEqual([]);
    }
  });
});
