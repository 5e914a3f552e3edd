/**
 * The facade's client: `@wakit/client`'s `Client` with every feature module of `@wakit/features`
 * mounted, under the names the seed's API gives them: handles for namespaces (`client.blocking`,
 * `client.presence`, `client.contacts`, `client.tcToken`, `client.groups`), and the privacy API, chat state, the
 * account methods and spam reports on the client itself. Nothing here has logic of its own; it is
 * wiring, so each layer stays usable alone.
 */
import { type Client, type ClientOptions, createClient as createCoreClient } from '@wakit/client';
import {
  type AccountApi,
  accountModule,
  type BlockingApi,
  blockingModule,
  type ContactsApi,
  contactsModule,
  type GroupsApi,
  groupsModule,
  type PresenceApi,
  type PrivacyApi,
  presenceModule,
  privacyModule,
  type SpamApi,
  spamModule,
  type TcTokenApi,
  tcTokenModule,
} from '@wakit/features';

/** A client with every feature mounted. */
export type WakitClient = Client &
  PrivacyApi &
  AccountApi &
  SpamApi &
  Pick<PresenceApi, 'registerChatstateHandler' | 'sendChatState'> & {
    /** Block, unblock, the blocklist (`@wakit/features` blocking). */
    readonly blocking: BlockingApi;
    /** Own presence, subscriptions, chat state (`@wakit/features` presence). */
    readonly presence: PresenceApi;
    /** Who is on WhatsApp, user info, profile pictures (`@wakit/features` contacts). */
    readonly contacts: ContactsApi;
    /** Trusted-contact tokens (`@wakit/features` tcToken). */
    readonly tcToken: TcTokenApi;
    /** Group management, metadata and events (`@wakit/features` groups); sending is `sendMessage`. */
    readonly groups: GroupsApi;
  };

/**
 * A client (see `@wakit/client`'s `createClient` for the options) with the features mounted.
 *
 * @example
 * ```ts
 * import { createClient } from 'wakit';
 * const client = createClient({ store });
 * await client.connect();
 * await client.blocking.block('15551234567@s.whatsapp.net');
 * await client.setPrivacySetting('last', 'contacts');
 * const [bob] = await client.contacts.isOnWhatsApp(['+15551234567']);
 * ```
 */
export function createClient(options: ClientOptions): WakitClient {
  const client = createCoreClient(options);
  const privacy = client.use(privacyModule);
  const presence = client.use(presenceModule);
  const account = client.use(accountModule);
  const spam = client.use(spamModule);
  const features: Omit<WakitClient, keyof Client> = {
    blocking: client.use(blockingModule),
    presence,
    contacts: client.use(contactsModule),
    tcToken: client.use(tcTokenModule),
    groups: client.use(groupsModule),
    fetchPrivacySettings: privacy.fetchPrivacySettings,
    setPrivacySetting: privacy.setPrivacySetting,
    setPrivacyDisallowedList: privacy.setPrivacyDisallowedList,
    setDefaultDisappearingMode: privacy.setDefaultDisappearingMode,
    getDefaultDisappearingMode: privacy.getDefaultDisappearingMode,
    registerChatstateHandler: presence.registerChatstateHandler,
    sendChatState: presence.sendChatState,
    getPushName: account.getPushName,
    getPn: account.getPn,
    getLid: account.getLid,
    setPushName: account.setPushName,
    fetchProps: account.fetchProps,
    cleanDirtyBits: account.cleanDirtyBits,
    setPassive: account.setPassive,
    sendDigestKeyBundle: account.sendDigestKeyBundle,
    sendSpamReport: spam.sendSpamReport,
  };
  return Object.assign(client, features);
}
