/**
 * What messaging needs from the client, as an interface: the client wires it from its private
 * context (`client/messaging-wiring.ts`), tests can wire it to fakes. Everything in `messaging/`
 * works through this and the store; nothing here knows about sockets or the lifecycle.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import type { Logger } from '../client-options';
import type { OutgoingMessage } from '../modules/module';
import type { Mutex } from '../pipeline/mutex';
import type { DeviceCredentials, Store } from '../store/store';
import type { Timers } from '../timers';

/** The client's side of messaging. */
export interface MessagingHost {
  readonly store: Store;
  readonly crypto: CryptoProvider;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Held around every change to Signal state. */
  readonly signalLock: Mutex;
  /** How long `sendMessage` waits for the server's ack. */
  readonly ackTimeoutMs: number;
  /** The credentials of a paired device; throws `NotConnectedError` before login. */
  credentials(): DeviceCredentials;
  /** Replaces the credentials (a retry receipt's one-time prekey advanced `nextPreKeyId`). */
  saveCredentials(credentials: DeviceCredentials): Promise<void>;
  emit(event: string, payload: unknown): void;
  sendNode(node: BinaryNode): Promise<void>;
  query(iq: BinaryNode): Promise<BinaryNode>;
  /** A fresh id for a query or a usync session. */
  nextId(): string;
  /** Reports a failure that ended no caller's promise (an `error` event). */
  report(error: unknown, context: string): void;
  /** The modules' extra children for an outgoing 1:1 message (synchronous when none needs a promise). */
  messageChildren(message: OutgoingMessage): readonly BinaryNode[] | Promise<readonly BinaryNode[]>;
  /** Tells the modules the server acked a 1:1 message (their hooks run in the background). */
  messageSent(message: OutgoingMessage): void;
}

/** Our own device, in both namespaces. */
export interface OwnDevice {
  /** `user:device@s.whatsapp.net`. */
  pn: string;
  /** `lid:device@lid`, once known. */
  lid: string | undefined;
  /** The ADVSignedDeviceIdentity messages carry as `<device-identity>`. */
  deviceIdentity: Uint8Array;
}

/** Our own device, from the paired credentials. */
export function ownDevice(host: MessagingHost): OwnDevice {
  const account = host.credentials().account!;
  return { pn: account.jid, lid: account.lid, deviceIdentity: account.signedDeviceIdentity };
}
