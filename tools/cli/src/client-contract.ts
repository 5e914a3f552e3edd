/**
 * What `wakit link` needs from @wakit/client: a store opener and a client factory, both injected
 * through {@link CliDeps} so the command is tested with fakes and no module mocks. The types are
 * the client's own (type-only imports cost nothing at run time); `LinkClient` narrows `Client` to
 * the members `link` uses, which keeps a fake small and says what the command depends on.
 */
import type { Client, ClientOptions, Store } from '@wakit/client';

/** The part of a client `wakit link` drives. */
export type LinkClient = Pick<Client, 'on' | 'connect' | 'disconnect' | 'requestPairingCode' | 'state'>;

/** What `link` passes to the client factory: the store, and where to connect. */
export type LinkClientOptions = Pick<ClientOptions, 'store' | 'url' | 'rootPublicKey'>;

/** Creates a client (`createClient` of @wakit/client, loaded on first use). */
export type CreateClient = (options: LinkClientOptions) => Promise<LinkClient>;

/** Opens (creating when needed) the device store in a file (`openSqliteStore`, loaded on first use). */
export type OpenStore = (path: string) => Promise<Store>;
