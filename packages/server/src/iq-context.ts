/**
 * What an IQ handler sees of its connection. Handlers are functions from a request node to the
 * reply node; they never touch a socket, which is what lets the tests drive them with plain nodes.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { ConnectionInfo } from './events';
import type { DeviceRecord, PairTarget, ServerState } from './server-state';

/** The connection an IQ arrived on. */
export interface IqContext {
  readonly state: ServerState;
  readonly connection: ConnectionInfo;
  /** The logged-in device; undefined on a connection that is not (yet) logged in. */
  readonly device: DeviceRecord | undefined;
  /** The connection as a pairing target (its Noise key and `pair`). */
  readonly target: PairTarget;
  /** Sends another stanza after the reply (notifications). */
  send(node: BinaryNode): void;
  /** Runs `task` right after the reply to this IQ was sent. */
  after(task: () => void): void;
  /** Records the connection's passive (`true`) or active mode (`<iq xmlns="passive">`, basic-iqs.ts). */
  setPassive(passive: boolean): void;
}

/** Answers one IQ; `undefined` means "not mine", so the router tries the next handler. */
export type IqHandler = (
  ctx: IqContext,
  node: BinaryNode,
) => Promise<BinaryNode | undefined> | BinaryNode | undefined;
