/**
 * Baileys (baileys@7.0.0-rc14) devices of two accounts against the server's profile features:
 * `updateProfilePicture` / `profilePictureUrl` / `removeProfilePicture` (the URL downloads the
 * picture), a picture change reaching Baileys as `contacts.update`, `updateProfileStatus` /
 * `fetchStatus`, privacy hiding both, `onWhatsApp`, and an `account_sync` dirty bit.
 */
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualPhone } from '../src/phone';
import { startServer, type WaServer } from '../src/start-server';
import { linkBaileys, nextEvent } from './baileys-harness';
import { JPEG } from './profile-fixtures';
import { until } from './until';

type Socket = ReturnType<typeof makeWASocket>;

describe('Baileys and profile pictures, status text, user lookups and dirty bits', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  let alicePhone: VirtualPhone;
  let bobPhone: VirtualPhone;
  const logs: [string[], string[]] = [[], []];
  let alice: Socket;
  let bob: Socket;
  let aliceCreds: () => Socket['authState']['creds'];

  beforeAll(async () => {
    server = await startServer();
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    alicePhone = await server.phones.create('15550006661');
    bobPhone = await server.phones.create('15550006662');
    alice = (await linkBaileys({ url: server.url, phone: alicePhone, log: logs[0], sockets })).sock;
    bob = (await linkBaileys({ url: server.url, phone: bobPhone, log: logs[1], sockets })).sock;
    aliceCreds = () => alice.authState.creds;
  }, 120_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  it('sets a picture with updateProfilePicture that the other account downloads from profilePictureUrl', async () => {
    await alice.updateProfilePicture(alicePhone.jid, Buffer.from(JPEG));
    const stored = server.profiles.picture(alicePhone.phoneNumber);
    expect(stored?.image[0]).toBe(0xff); // Baileys re-encodes it as a 640x640 JPEG with sharp
    const url = await bob.profilePictureUrl(alicePhone.jid, 'image');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pp\/\d+\/image\.jpg$/);
    const download = await fetch(url!);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(stored?.image);
    // Baileys' default is the preview, which is the image here (the server does not resize).
    expect(await bob.profilePictureUrl(alicePhone.lid)).toMatch(/\/preview\.jpg$/);
  });

  it('hides the picture from the other account once its profile privacy is nobody (401), and 404 once removed', async () => {
    await alice.updateProfilePicturePrivacy('none');
    await expect(bob.profilePictureUrl(alicePhone.jid, 'image')).rejects.toMatchObject({ data: 401 });
    await alice.updateProfilePicturePrivacy('all');
    await alice.removeProfilePicture(alicePhone.jid);
    await expect(bob.profilePictureUrl(alicePhone.jid, 'image')).rejects.toMatchObject({ data: 404 });
  });

  it('turns a picture change made on the phone into contacts.update on the companion', async () => {
    const update = nextEvent(alice, 'contacts.update', (u) => u.some((c) => c.imgUrl === 'changed'), logs[0]);
    server.profiles.setPicture(alicePhone.phoneNumber, JPEG);
    expect(await update).toEqual([{ id: alicePhone.jid, imgUrl: 'changed' }]);
  });

  it('sets the status text with updateProfileStatus that fetchStatus reads, hidden by status privacy', async () => {
    await alice.updateProfileStatus('Out fishing');
    expect(server.profiles.about(alicePhone.phoneNumber)?.text).toBe('Out fishing');
    const [entry] = (await bob.fetchStatus(alicePhone.jid)) ?? [];
    expect(entry).toMatchObject({ id: alicePhone.jid, status: { status: 'Out fishing' } });
    expect((entry as unknown as { status: { setAt: Date } }).status.setAt.getTime()).toBeGreaterThan(0);
    await alice.updateStatusPrivacy('none');
    const [hidden] = (await bob.fetchStatus(alicePhone.jid)) ?? [];
    expect(hidden).toMatchObject({ status: { status: '' } });
  });

  it('answers onWhatsApp for a number on the server and one that is not', async () => {
    expect(await bob.onWhatsApp(alicePhone.phoneNumber, '15550000001')).toEqual([
      { jid: alicePhone.jid, exists: true },
    ]);
  });

  it('keeps the timestamp of an account_sync dirty bit, and cleans with it at the next one', async () => {
    const first = server.markDirty(alicePhone.phoneNumber, 'account_sync');
    await until(
      () => aliceCreds().lastAccountSyncTimestamp === Number(first.timestamp),
      'Baileys stored the dirty timestamp',
    );
    server.markDirty(alicePhone.phoneNumber, 'account_sync');
    await until(() => server.dirtyCleans().length === 1, 'Baileys cleaned the bit');
    expect(server.dirtyCleans()[0]).toMatchObject({
      type: 'account_sync',
      timestamp: first.timestamp,
      cleared: true,
    });
  });

  it('logged no errors on either device', () => {
    for (const log of logs) {
      expect(log.filter((line) => !line.startsWith('warn') && !line.includes('"515"'))).toEqual([]);
    }
  });
});
