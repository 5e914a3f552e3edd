/**
 * Sending on the current connection: plain nodes, and IQs whose reply the IQ tracker matches by
 * id. Used by the public `sendNode`/`query` and by the client's own protocol steps (keepalive
 * pings, prekeys, pairing, logout).
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { QueryOptions } from '../client-options';
import { hasSocket } from '../connection/lifecycle';
import { NotConnectedError } from '../errors';
import type { ClientContext } from './context';

/**
 * Encrypts and sends a node.
 *
 * @throws NotConnectedError when the socket is not up.
 */
export async function sendNode(ctx: ClientContext, node: BinaryNode): Promise<void> {
  const connection = ctx.connection;
  if (connection === undefined || !hasSocket(ctx.lifecycle.state)) {
    throw new NotConnectedError('sendNode() needs an open socket');
  }
  await connection.send(node);
}

/**
 * Sends an IQ and resolves with the `type="result"` reply. Adds an `id` when the node has none.
 *
 * @throws IqError for a `type="error"` reply; TimeoutError after `timeoutMs`;
 *   ConnectionClosedError when the connection closes first; NotConnectedError when it is not up.
 */
export async function query(
  ctx: ClientContext,
  iq: BinaryNode,
  options: QueryOptions = {},
): Promise<BinaryNode> {
  if (iq.tag !== 'iq') throw new TypeError(`query() expects an <iq>, got <${iq.tag}>`);
  const connection = ctx.connection;
  if (connection === undefined || !hasSocket(ctx.lifecycle.state)) {
    throw new NotConnectedError('query() needs an open socket');
  }
  const id = iq.attrs.id ?? ctx.iq.nextId();
  const node: BinaryNode = iq.attrs.id === undefined ? { ...iq, attrs: { ...iq.attrs, id } } : iq;
  const reply = ctx.iq.wait(id, options.timeoutMs ?? ctx.iqTimeoutMs);
  connection.send(node).catch((error: unknown) => ctx.iq.cancel(id, error));
  return reply;
}
