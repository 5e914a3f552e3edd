import * as client from '@wakit/client';
import * as errors from '@wakit/errors';
import * as features from '@wakit/features';
import { startServer, type WaServer } from '@wakit/server';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { nextEvent, until } from '../../client/test/_wait';
import * as wakit from '../src/index';
import { type ChatStateUpdate, createClient, MemoryStore, type WakitClient } from '../src/index';

const DEADLINE_MS = 30_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A facade client linked to a new account `phoneNumber` of `server`. */
async function linked(server: WaServer, phoneNumber: string): Promise<WakitClient> {
  const phone = await server.phones.create(phoneNumber);
  const c = createClient({ url: server.url, rootPublicKey: server.rootPublicKey, store: new MemoryStore() });
  cleanups.unshift(() => c.disconnect());
  const qr = nextEvent(c, 'qr');
  await c.connect();
  await phone.scanQr((await qr).qr);
  await c.waitForConnected(DEADLINE_MS);
  return c;
}

describe('the wakit facade', () => {
  it('re-exports the packages side by side, the same objects, with its own createClient', () => {
    const facade: Record<string, unknown> = { ...wakit };
    for (const [name, value] of Object.entries({ ...client, ...features, ...errors })) {
      if (name !== 'createClient') expect(facade[name], name).toBe(value);
    }
    expect(wakit.createClient).not.toBe(client.createClient);
  });

  it('types flow: the feature handles and the privacy API are typed on the client', () => {
    expectTypeOf<WakitClient['blocking']>().toEqualTypeOf<features.BlockingApi>();
    expectTypeOf<WakitClient['presence']>().toEqualTypeOf<features.PresenceApi>();
    expectTypeOf<WakitClient['setPrivacySetting']>().toEqualTypeOf<
      features.PrivacyApi['setPrivacySetting']
    >();
    expectTypeOf<WakitClient['contacts']>().toEqualTypeOf<features.ContactsApi>();
    expectTypeOf<WakitClient['tcToken']>().toEqualTypeOf<features.TcTokenApi>();
    expectTypeOf<WakitClient['groups']>().toEqualTypeOf<features.GroupsApi>();
    expectTypeOf<WakitClient['getPn']>().toEqualTypeOf<features.AccountApi['getPn']>();
    expectTypeOf<WakitClient['sendSpamReport']>().toEqualTypeOf<features.SpamApi['sendSpamReport']>();
    expectTypeOf<WakitClient>().toMatchTypeOf<client.Client>();
  });

  it('mounts every feature on one client, working end to end on the embedded server', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const ana = await linked(server, '15550001111');
    const ben = await linked(server, '15550002222');
    expect(ana).toBeInstanceOf(client.Client);

    // Privacy on the client itself, an invalid pair refused before the wire.
    await ana.setPrivacySetting('readreceipts', 'none');
    expect((await ana.fetchPrivacySettings()).getValue('readreceipts')).toBe('none');
    await expect(ana.setPrivacySetting('readreceipts', 'contacts')).rejects.toBeInstanceOf(
      wakit.InvalidPrivacySettingError,
    );

    // Blocking through its handle.
    await ana.blocking.block('15550002222@s.whatsapp.net');
    expect(await ana.blocking.isBlocked('15550002222@s.whatsapp.net')).toBe(true);
    await ana.blocking.unblock('15550002222@s.whatsapp.net');

    // Chat state on the client itself.
    const states: ChatStateUpdate[] = [];
    ben.registerChatstateHandler((update) => states.push(update));
    await ana.sendChatState('15550002222@s.whatsapp.net', 'composing');
    await until(() => states.length === 1, "Ana's chat state at Ben");
    expect(states[0]).toMatchObject({ chat: '15550001111@s.whatsapp.net', state: 'composing' });

    // Contacts and the account through the facade.
    expect(await ana.contacts.isOnWhatsApp(['+15550002222', '15559990000'])).toMatchObject([
      { phone: '+15550002222', exists: true, jid: '15550002222@s.whatsapp.net' },
      { phone: '15559990000', exists: false },
    ]);
    expect(await ana.getPn()).toMatch(/^15550001111:\d+@s\.whatsapp\.net$/);
    await ana.setPushName('Ana');
    expect(await ana.getPushName()).toBe('Ana');
    await ana.setPassive(false);

    // A spam report reaches the server's record.
    const { reportId } = await ben.sendSpamReport({
      messageId: '3EB0000000000000000001',
      messageTimestamp: 1_765_000_000,
      spamFlow: 'MessageMenu',
      fromJid: '15550001111@s.whatsapp.net',
    });
    expect(reportId).toBeDefined();
    expect(server.spamReports().map((r) => r.reportId)).toContain(reportId);

    // The trusted-contact token Ana's message issued to Ben is stored on Ben's side.
    const got = nextEvent(ben, 'message');
    await ana.sendMessage('15550002222@s.whatsapp.net', { conversation: 'hi' });
    await got;
    await until(
      async () => (await ben.tcToken.getToken('15550001111@s.whatsapp.net')) !== undefined,
      "Ana's token at Ben",
    );
  });

  it('mounts groups: a group made through client.groups carries messages sent with sendMessage', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const ana = await linked(server, '15550001111');
    const ben = await linked(server, '15550002222');
    const created = nextEvent(ben, 'group-created');
    const group = await ana.groups.createGroup({
      subject: 'facade',
      participants: ['15550002222@s.whatsapp.net'],
    });
    expect(((await created) as { jid: string }).jid).toBe(group.jid);
    expect((await ben.groups.queryInfo(group.jid)).subject).toBe('facade');

    const got = nextEvent(ben, 'message', (e) => e.info.isGroup);
    await ana.sendMessage(group.jid, { conversation: 'hello group' });
    const { message, info } = await got;
    expect([message.conversation, info.chat]).toEqual(['hello group', group.jid]);
  });
});
