/**
 * Client modules: how features plug into a client without widening `Client`. A module is a name
 * and a `setup` function; `client.use(module)` runs `setup` once with a `ModuleHost` and returns
 * what `setup` returned (the module's API). Through the host a module registers stanza handlers in
 * the receive chain, hooks on connect, login and close, keeps its own data in a namespace of the
 * store, sends nodes and IQs, and emits events.
 *
 * @example
 * ```ts
 * const echo = defineModule('echo', (host) => {
 *   host.onLogin(() => host.logger.info?.('logged in'));
 *   return { ping: () => host.query(pingIq()) };
 * });
 * const api = client.use(echo);
 * ```
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import type { KeyBundleCheck } from '../auth/key-bundle-digest';
import type { AccountPatch } from '../client/update-account';
import type { Logger, QueryOptions } from '../client-options';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import type { PairedAccount, StoreView } from '../store/store';
import type { Timers } from '../timers';
import type { ModuleData } from './module-data';

/** A module: a unique name and the setup that builds its API. */
export interface ClientModule<Api> {
  readonly name: string;
  setup(host: ModuleHost): Api;
}

/** Declares a module (a typed identity function, so `Api` is inferred from `setup`). */
export function defineModule<Api>(name: string, setup: (host: ModuleHost) => Api): ClientModule<Api> {
  return { name, setup };
}

/** What happened at login, for `onLogin` hooks. */
export interface LoginInfo {
  /** The `<success>` stanza. */
  node: BinaryNode;
}

/** An outgoing 1:1 message, as the send path tells modules about it. */
export interface OutgoingMessage {
  /** The message id. */
  readonly id: string;
  /** The peer's user JID as the message was addressed (PN or LID). */
  readonly to: string;
  /** The peer's canonical user JID: its LID once the client knows it, else `to`. */
  readonly peer: string;
}

/**
 * Gives the children to add to an outgoing 1:1 message stanza (after `<participants>` and
 * `<device-identity>`), or nothing. It runs on the send path for every message: answer
 * synchronously from memory when possible; a promise is awaited while the message is encrypted.
 */
export type MessageChildren = (
  message: OutgoingMessage,
) => readonly BinaryNode[] | undefined | Promise<readonly BinaryNode[] | undefined>;

/** What a module can do with the client it is mounted on. */
export interface ModuleHost {
  readonly logger: Logger;
  readonly timers: Timers;
  readonly crypto: CryptoProvider;
  /** The client's store (a module's own state belongs in `data`). */
  readonly store: StoreView;
  /** The module's own namespace in the store. */
  readonly data: ModuleData;
  /** Adds a handler to the receive chain (after the built-in ones); returns its remover. */
  handle(handler: StanzaHandler): () => void;
  /** Runs `hook` when a connection's socket is up (before login). Returns its remover. */
  onConnect(hook: () => void | Promise<void>): () => void;
  /** Runs `hook` after each login (`<success>`). Returns its remover. */
  onLogin(hook: (info: LoginInfo) => void | Promise<void>): () => void;
  /** Runs `hook` when a connection ends (reconnecting or not). Returns its remover. */
  onClose(hook: () => void | Promise<void>): () => void;
  /** Sends a node on the current connection. */
  sendNode(node: BinaryNode): Promise<void>;
  /** Sends an IQ and resolves with the result (see `Client.query`). */
  query(iq: BinaryNode, options?: QueryOptions): Promise<BinaryNode>;
  /** Emits a client event (modules document theirs). */
  emit(event: string, payload: unknown): void;
  /** Runs `work` as client work a stop waits for; a failure is reported as an `error` event. */
  background(context: string, work: () => Promise<unknown>): void;
  /**
   * Changes the paired account's own fields in the stored credentials and the client's copy (one
   * write path with the client's own, so neither undoes the other); resolves with the account.
   * Throws NoCredentialsError before pairing.
   */
  updateAccount(patch: AccountPatch): Promise<PairedAccount>;
  /**
   * Runs the key-bundle digest check the client makes after each login (docs/protocol.md §6.5)
   * now: `ok`, `reuploaded` (the server had none) or `mismatch` (reported, left alone). Throws
   * the IqError of any refusal but 404.
   */
  checkKeyBundle(): Promise<KeyBundleCheck>;
  /**
   * Records that the person with the PN user JID `pn` has the LID user JID `lid` (a usync answer
   * named both), as messaging records what its own device queries learn: the LID becomes that
   * person's canonical form and their Signal sessions move to it (docs/protocol.md §4.1). A pair
   * that is not a LID and a PN user, or one already known, changes nothing.
   */
  learnLid(lid: string, pn: string): Promise<void>;
  /**
   * Drops the participants messaging keeps for sending to groups, in memory and in the store: the
   * next send to each group asks the server for them again. For a module that learned the
   * account's groups changed while this device did not hear of it (a `groups` dirty bit), so no
   * send goes out on a stale member list.
   */
  forgetGroupParticipants(): Promise<void>;
  /**
   * Adds `children` to the providers asked for extra children of every outgoing 1:1 message (in
   * the order they were added). A provider that throws fails that send. Returns its remover.
   */
  addMessageChildren(children: MessageChildren): () => void;
  /**
   * Runs `hook` after the server acked a 1:1 message sent with `sendMessage`, as background work
   * (the send has already resolved; a failure is reported as an `error` event). Returns its remover.
   */
  onMessageSent(hook: (message: OutgoingMessage) => void | Promise<void>): () => void;
  /**
   * The API of `module` on this client, mounting it first if it is not yet (as `client.use`): a
   * module reaches another's API through this, and every user of a module shares one instance.
   *
   * @throws TypeError when modules use each other while one of them is being set up (a cycle).
   */
  use<Api>(module: ClientModule<Api>): Api;
}
