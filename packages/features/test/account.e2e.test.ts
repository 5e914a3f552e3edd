/**
 * The account module against @wakit/server over loopback WebSockets: the own names, the push name
 * reaching another account and surviving a restart, props with the hash round trip, dirty bits
 * from the server's test API to its record of the clean, passive mode as the server records it,
 * and the digest check.
 */
import { type Client, createClient, MemoryStore } from '@wakit/client';
import type { VirtualPhone, WaServer } from '@wakit/server';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, until } from '../../client/test/_wait';
import { accountModule, type DirtyBitEvent, presenceModule } from '../src/index';
import { DEADLINE_MS, linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function linked() {
  const setup = await linkedOnServer('15550001111');
  cleanups.push(setup.close);
  return { ...setup, account: setup.client.use(accountModule) };
}

/** A client on `store`, linked to `phone`'s account when the store is not paired yet, logged in. */
async function clientOn(server: WaServer, phone: VirtualPhone, store: MemoryStore): Promise<Client> {
  const client = createClient({ url: server.url, rootPublicKey: server.rootPublicKey, store });
  cleanups.push(() => client.disconnect());
  const paired = (await store.loadCredentials())?.account !== undefined;
  const qr = paired ? undefined : nextEvent(client, 'qr');
  await client.connect();
  if (qr !== undefined) await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return client;
}

describe('the account on the embedded server', () => {
  it('knows its own PN and LID once paired', async () => {
    const { account, phone } = await linked();
    const pn = await account.getPn();
    expect(pn).toMatch(/^15550001111:[1-9][0-9]*@s\.whatsapp\.net$/);
    const lid = await account.getLid();
    expect(lid?.split(':')[0]).toBe(phone.lid.split('@')[0]);
    expect(lid).toMatch(/@lid$/);
  });

  it('setPushName reaches the other account as the notify of the next message', async () => {
    const { server, client, account } = await linked();
    const ben = await server.phones.create('15550002222');
    await account.setPushName('Ana Lía');
    expect(await account.getPushName()).toBe('Ana Lía');
    await client.sendMessage(ben.jid, { conversation: 'hello' });
    const received = await ben.waitForMessage((m) => m.message.conversation === 'hello');
    expect(received.info.pushName).toBe('Ana Lía');
  });

  it('the push name survives a restart and is the one presence sends', async () => {
    const { server, phone } = await linked();
    const store = new MemoryStore();
    const first = await clientOn(server, phone, store);
    await first.use(accountModule).setPushName('Before');
    await first.use(accountModule).setPushName('Ana');
    await first.disconnect();
    const second = await clientOn(server, phone, store);
    expect(await second.use(accountModule).getPushName()).toBe('Ana');
    // The presence module names the account from the stored credentials.
    const ben = await server.phones.create('15550002222');
    await second.use(presenceModule).setAvailable();
    await second.sendMessage(ben.jid, { conversation: 'after the restart' });
    const received = await ben.waitForMessage((m) => m.message.conversation === 'after the restart');
    expect(received.info.pushName).toBe('Ana');
  });

  it('fetchProps gets the full set, then sends its hash and keeps the set on the delta', async () => {
    const { account } = await linked();
    const full = await account.fetchProps();
    expect(full.update).toBe('full');
    expect(full.config.size).toBeGreaterThan(0);
    expect(full.hash).toBeTypeOf('string');
    const again = await account.fetchProps();
    expect(again.update).toBe('unchanged');
    expect(again.config).toEqual(full.config);
    expect(again.hash).toBe(full.hash);
  });

  it('a dirty bit set on the server arrives as a dirty event; cleaning it clears it there', async () => {
    const { server, client, account } = await linked();
    const dirty = nextEvent(client, 'dirty');
    const marked = server.markDirty('15550001111', 'account_sync');
    const bit = (await dirty) as DirtyBitEvent;
    expect(bit).toEqual({ type: 'account_sync', timestamp: Number(marked.timestamp) });
    await account.cleanDirtyBits(bit.type, bit.timestamp);
    expect(server.dirtyBits('15550001111')).toEqual([]);
    expect(server.dirtyCleans().at(-1)).toMatchObject({
      phoneNumber: '15550001111',
      type: 'account_sync',
      timestamp: marked.timestamp,
      cleared: true,
    });
  });

  it('a dirty bit set while the device was away arrives at its next login', async () => {
    const { server, phone } = await linked();
    const store = new MemoryStore();
    const first = await clientOn(server, phone, store);
    first.use(accountModule);
    await first.disconnect();
    server.markDirty('15550001111', 'groups');
    const second = createClient({ url: server.url, rootPublicKey: server.rootPublicKey, store });
    cleanups.push(() => second.disconnect());
    second.use(accountModule);
    const dirty = nextEvent(second, 'dirty');
    await second.connect();
    expect(await dirty).toMatchObject({ type: 'groups' });
  });

  it('setPassive switches the mode the server records for the connection', async () => {
    const { server, account } = await linked();
    const device = (await account.getPn())!;
    // After login the client itself sends <active/>.
    await until(() => server.connectionOf(device)?.passive === false, 'the login <active/>');
    await account.setPassive(true);
    expect(server.connectionOf(device)?.passive).toBe(true);
    await account.setPassive(false);
    expect(server.connectionOf(device)?.passive).toBe(false);
  });

  it("sendDigestKeyBundle finds the bundle the server holds to be this device's", async () => {
    const { server, account } = await linked();
    const device = (await account.getPn())!;
    // Until the login's prekey upload lands the server holds no bundle (and would answer 404).
    await until(() => (server.devices.get(device)?.keys.preKeyCount ?? 0) > 0, 'the login prekey upload');
    expect(await account.sendDigestKeyBundle()).toEqual({ status: 'ok' });
  });
});
