import { MemoryStore } from '@wakit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { contactsModule } from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ANA = '15550001111@s.whatsapp.net';
const BEN = '15550002222@s.whatsapp.net';
/** Enough of a JPEG for the server (SOI, APP0, EOI). */
const _JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 2, 0xff, 0xd9);

async function twoAccounts() {
  const linked = await linkedOnServer('15550001111');
  cleanups.push(linked.close);
  const ben = await linked.linkAccount('15550002222');
  return { ...linked, ana: linked.client, ben, anaContacts: linked.client.use(contactsModule) };
}

describe('contacts on the embedded server', () => {
  it('isOnWhatsApp answers each number in order: a registered one with its jid and lid, an unknown one not', async () => {
    const { server, anaContacts } = await twoAccounts();
    const thirdLid = (await server.phones.create('15550003333')).lid; // a third account, for its LID form
    const results = await anaContacts.isOnWhatsApp([
      '+15550002222',
      '15559999999',
      '15550003333',
      '15550002222',
    ]);
    const benPhone = results[0]!;
    expect(benPhone).toMatchObject({ phone: '+15550002222', exists: true, jid: BEN });
    expect(benPhone.lid).toMatch(/^\d+@lid$/);
    expect(results[1]).toEqual({ phone: '15559999999', exists: false });
    expect(results[2]).toEqual({
      phone: '15550003333',
      exists: true,
      jid: '15550003333@s.whatsapp.net',
      lid: thirdLid,
    });
    expect(results[3]).toEqual({ ...benPhone, phone: '15550002222' });
    await expect(anaContacts.isOnWhatsApp(['+1 555 000'])).rejects.toThrow(RangeError);
  });

  it("getUserInfo gives a user's devices and LID", async () => {
    const { anaContacts } = await twoAccounts();
    const isOn = await anaContacts.isOnWhatsApp([BEN.split('@')[0]!]);
    const info = await anaContacts.getUserInfo([`${BEN.split('@')[0]}:0@s.whatsapp.net`]);
    const ben = info.get(BEN)!;
    expect(ben.lid).toBe(isOn[0]!.lid);
    // Ben's phone (device 0) and the companion linked for the test.
    expect(ben.devices).toContain(BEN);
    expect(ben.devices.some((device) => /^15550002222:\d+@s\.whatsapp\.net$/.test(device))).toBe(true);
    await expect(anaContacts.getUserInfo(['123-456@g.us'])).rejects.toThrow(RangeError);
  });

  it('gives the client the LIDs it learns, so later messages go to the LID sessions', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    await linked.linkAccount('15550002222');
    const store = new MemoryStore();
    const cara = await linked.linkAccount('15550004444', { store });
    const contacts = cara.use(contactsModule);
    expect(await store.lids.getLid(ANA)).toBeUndefined();
    const [ana] = await contacts.isOnWhatsApp(['15550001111']);
    expect(ana!.lid).toMatch(/^\d+@lid$/);
    expect(await store.lids.getLid(ANA)).toBe(ana!.lid);
    expect(await store.lids.getLid(BEN)).toBeUndefined();
    const ben = (await contacts.getUserInfo([BEN])).get(BEN)!;
    expect(ben.lid).toMatch(/^\d+@lid$/);
    expect(await store.lids.getLid(BEN)).toBe(ben.lid);
  });
});
