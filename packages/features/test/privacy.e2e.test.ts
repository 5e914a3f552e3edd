import { afterEach, describe, expect, it } from 'vitest';
import { privacyModule } from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('privacy on the embedded server', () => {
  it("fetchPrivacySettings reads the account's settings over the wire", async () => {
    const { client, close } = await linkedOnServer();
    cleanups.push(close);
    const privacy = client.use(privacyModule);
    const settings = await privacy.fetchPrivacySettings();
    // A new account has WhatsApp's defaults.
    expect(settings.getValue('last')).toBe('all');
    expect(settings.getValue('status')).toBe('contacts');
    expect(settings.getValue('readreceipts')).toBe('all');
    expect(client.use(privacyModule)).toBe(privacy);
  });
});
