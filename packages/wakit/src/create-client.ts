/**
 * The facade's client: `@wakit/client`'s `Client` with every feature module of `@wakit/features`
 * mounted, under the names the seed's API gives them: handles for namespaces (`client.blocking`,
 * `client.presence`), and the privacy API and chat state on the client itself. Nothing here has
 * logic of its own; it is wiring, so each layer stays usable alone.
 */
import { type Client, type ClientOptions, createClient as createCoreClient } from '@wakit/client';
import {
  type BlockingApi,
  blockingModule,
  type PresenceApi,
  type PrivacyApi,
  presenceModule,
  privacyModule,
} from '@wakit/features';

/** A client with every feature mounted. */
export type WakitClient = Client &
  PrivacyApi &
  Pick<PresenceApi, 'registerChatstateHandler' | 'sendChatState'> & {
    /** Block, unblock, the blocklist (`@wakit/features` blocking). */
    readonly blocking: BlockingApi;
    /** Own presence, subscriptions, chat state (`@wakit/features` presence). */
    readonly presence: PresenceApi;
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
 * ```
 */
export function createClient(options: ClientOptions): WakitClient {
  const client = createCoreClient(options);
  const privacy = client.use(privacyModule);
  const presence = client.use(presenceModule);
  const features: Omit<WakitClient, keyof Client> = {
    blocking: client.use(blockingModule),
    presence,
    fetchPrivacySettings: privacy.fetchPrivacySettings,
    setPrivacySetting: privacy.setPrivacySetting,
    setPrivacyDisallowedList: privacy.setPrivacyDisallowedList,
    setDefaultDisappearingMode: privacy.setDefaultDisappearingMode,
    getDefaultDisappearingMode: privacy.getDefaultDisappearingMode,
    registerChatstateHandler: presence.registerChatstateHandler,
    sendChatState: presence.sendChatState,
  };
  return Object.assign(client, features);
}
