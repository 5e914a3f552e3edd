/**
 * What the device commands (`link`, `send`, `listen`) need from @wakit/client: a store opener and
 * a client factory, both injected through {@link CliDeps} so the commands are tested with fakes
 * and no module mocks. The types are the client's own (type-only imports cost nothing at run
 * time); `CliClient` narrows `Client` to the members the commands use, which keeps a fake small
 * and says what they depend on.
 */
import type { Client, ClientOptions, Store } from '@wakit/client';

/** The part of a client the commands drive. */
export type CliClient = Pick<
  Client,
  'on' | 'connect' | 'disconnect' | 'requestPairingCode' | 'state' | 'waitForConnected' | 'sendMessage'
>;

/** What the commands pass to the client factory: the store, and where to connect. */
export type CliClientOptions = Pick<ClientOptions, 'store' | 'url' | 'rootPublicKey'>;

/** Creates a client (`createClient` of @wakit/client, loaded on first use). */
export type CreateClient = (options: CliClientOptions) => Promise<CliClient>;

/** How a command opens its store. */
export interface OpenStoreOptions {
  /** The subcommand whose `--help` a usage mistake points at (default `link`). */
  command?: string | undefined;
  /**
   * Refuse a file that does not exist instead of creating an empty store: `send` and `listen`
   * need a device `link` made, and a mistyped path should not leave a new file behind.
   */
  mustExist?: boolean | undefined;
}

/** Opens (creating unless told otherwise) the device store in a file (`openSqliteStore`, loaded on first use). */
export type OpenStore = (path: string, options?: OpenStoreOptions) => Promise<Store>;
