/**
 * What the parts of a virtual phone share: the server state it reads devices from, its account, its
 * Signal state, what it has received, and the one way it puts stanzas on the wire.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { PhoneAccount } from './phone';
import type { PhoneInbox } from './phone-inbox';
import type { PhoneSignal } from './phone-signal';
import type { DeviceRecord, ServerState } from './server-state';

/** The shared state of one phone's receiving and sending halves. */
export interface PhoneContext {
  readonly state: ServerState;
  readonly account: PhoneAccount;
  /** The phone's own device record (device 0). */
  readonly record: DeviceRecord;
  readonly signal: PhoneSignal;
  readonly inbox: PhoneInbox;
  /** Sends a stanza as device 0: hands it to the server's stanza entry point, as a connection would. */
  submit(node: BinaryNode): void;
}
