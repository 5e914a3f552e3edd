import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../client/test/_wait';
import { PRIVACY_VALUES, PrivacyListConflictError, privacyModule } from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp() {
  const linked = await linkedOnServer();
  cleanups.push(linked.close);
  return { ...linked, privacy: linked.client.use(privacyModule) };
}

describe('privacy on the embedded server', () => {
  it("fetchPrivacySettings reads the account's settings over the wire", async () => {
    const { client, privacy } = await setUp();
    const settings = await privacy.fetchPrivacySettings();
    // A new account has WhatsApp's defaults.
    expect(settings.getValue('last')).toBe('all');
    expect(settings.getValue('status')).toBe('contacts');
    expect(settings.getValue('readreceipts')).toBe('all');
    expect(client.use(privacyModule)).toBe(privacy);
  });

  it('every valid category/value pair is set and read back', async () => {
    const { privacy } = await setUp();
    for (const [category, values] of Object.entries(PRIVACY_VALUES)) {
      for (const value of values) {
        const { dhash } = await privacy.setPrivacySetting(category, value);
        expect(dhash !== undefined, `${category}=${value} dhash`).toBe(value === 'contact_blacklist');
        expect((await privacy.fetchPrivacySettings()).getValue(category), `${category}=${value}`).toBe(value);
      }
    }
  });

  it('a disallowed-list update on a stale dhash is refused as a conflict; fetched again, it goes through', async () => {
    const { privacy } = await setUp();
    const { dhash } = await privacy.setPrivacySetting('last', 'contact_blacklist');
    const first = await privacy.setPrivacyDisallowedList('last', {
      dhash: dhash!,
      users: [{ action: 'add', jid: '100000000000001@lid', pnJid: '15550009999@s.whatsapp.net' }],
    });
    expect(first).not.toBe(dhash);
    const stale = await privacy
      .setPrivacyDisallowedList('last', {
        dhash: dhash!,
        users: [{ action: 'add', jid: '100000000000002@lid' }],
      })
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(PrivacyListConflictError);
    const current = (await privacy.fetchPrivacySettings()).get('last')?.dhash;
    expect(current).toBe(first);
    const second = await privacy.setPrivacyDisallowedList('last', {
      dhash: current!,
      users: [{ action: 'add', jid: '100000000000002@lid' }],
    });
    expect(second).not.toBe(first);
  });

  it("the default disappearing mode set on one device reaches the account's other device", async () => {
    const { privacy, link } = await setUp();
    const other = await link();
    const otherPrivacy = other.use(privacyModule);
    await privacy.setDefaultDisappearingMode(604_800);
    expect(await privacy.getDefaultDisappearingMode()).toEqual({ duration: 604_800 });
    await until(
      async () => (await otherPrivacy.getDefaultDisappearingMode())?.duration === 604_800,
      'the notification',
    );
  });

  it("a setting changed on one device is reported on the account's other device", async () => {
    const { privacy, link } = await setUp();
    const other = await link();
    other.use(privacyModule);
    const updates: unknown[] = [];
    other.on('privacy-settings-update', (update) => updates.push(update));
    await privacy.setPrivacySetting('online', 'match_last_seen');
    await until(() => updates.length === 1, 'the account_sync notification');
    expect(updates[0]).toEqual({ settings: [{ category: 'online', value: 'match_last_seen' }] });
  });
});
