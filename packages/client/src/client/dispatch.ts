/**
 * Received nodes: IQ replies go to the IQ tracker; everything else gets the client's own handling
 * (pings, pairing, login, failures, stream errors, acks) and then the registered handlers. Stanzas
 * that end the connection close it with the decision of `connection/disconnect-policy.ts`; the
 * close comes back through the attempt's `onClose`.
 */
import { type BinaryNode, getBinaryContent, getChild } from '@wakit/binary-node';
import { ackFor, iqResult, isServerPing } from '../_stanzas';
import { decideConnectFailure, decideStreamError } from '../connection/disconnect-policy';
import type { NoiseConnection } from '../connection/noise-connection';
import { ConnectFailureError, StreamError } from '../errors';
import { matchesNode } from '../handlers';
import { type ClientContext, reportError } from './context';
import { onEncryptNotification, onSuccess } from './login';
import { onLinkCodeNotification, onPairDevice, onPairSuccess } from './pairing';
import { background, runTask } from './tasks';

/** Handles one node received on `connection`; awaited before the next frame is read. */
export async function onNode(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> {
  // A task: a stop waits for it before releasing the store (pairing and <ib> write to it). It
  // starts before the `node` event, so a listener's disconnect() counts as the user's stop.
  let reply = false;
  await runTask(ctx, `handling <${node.tag}>`, async () => {
    ctx.events.emit('node', node);
    reply = ctx.iq.receive(node);
    if (!reply) await handleBuiltIn(ctx, connection, node);
  });
  // An IQ reply belongs to its query alone: registered handlers never see it.
  if (reply) return;
  for (const { match, handler } of [...ctx.handlers]) {
    if (!matchesNode(match, node)) continue;
    try {
      const result = handler(node);
      if (result !== undefined)
        result.catch((error: unknown) => reportError(ctx, error, 'a registered handler'));
    } catch (error) {
      reportError(ctx, error, 'a registered handler');
    }
  }
}

/**
 * The client's own stanza handling. Awaited before the next frame is read, so it must never wait
 * for a server reply (that reply would queue behind it): IQs are sent in the background.
 */
async function handleBuiltIn(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> {
  switch (node.tag) {
    case 'iq':
      if (isServerPing(node))
        background(ctx, 'answering a server ping', () => connection.send(iqResult(node)));
      else if (getChild(node, 'pair-device') !== undefined) await onPairDevice(ctx, connection, node);
      else if (getChild(node, 'pair-success') !== undefined) await onPairSuccess(ctx, connection, node);
      return;
    case 'success':
      onSuccess(ctx, connection, node);
      return;
    case 'failure': {
      // Digits only: `parseInt` would read "401x" as 401, and a 401 wipes the store (logout).
      const raw = node.attrs.reason ?? '';
      const reason = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
      const decision = decideConnectFailure(reason);
      connection.close({ ...decision, error: new ConnectFailureError(reason, node) });
      return;
    }
    case 'stream:error': {
      const code = node.attrs.code ?? '';
      const conflict = getChild(node, 'conflict')?.attrs.type;
      ctx.events.emit('stream-error', { code, conflict, node });
      const decision = decideStreamError(node);
      if (decision.action !== 'ignore') {
        connection.close({
          reason: decision.reason,
          action: decision.action,
          error: new StreamError(code, conflict, node),
        });
      }
      return;
    }
    case 'xmlstreamend':
      connection.close({ reason: 'stream-end', action: 'reconnect' });
      return;
    case 'ib':
      await onIb(ctx, node);
      return;
    case 'notification':
      background(ctx, 'acking a notification', () => connection.send(ackFor(node)));
      await onNotification(ctx, connection, node);
      return;
  }
}

async function onNotification(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> {
  const type = node.attrs.type;
  if (type === 'encrypt') onEncryptNotification(ctx, node);
  else if (type === 'link_code_companion_reg') await onLinkCodeNotification(ctx, connection, node);
}

async function onIb(ctx: ClientContext, node: BinaryNode): Promise<void> {
  const routing = getChild(node, 'edge_routing');
  const info = routing === undefined ? undefined : getChild(routing, 'routing_info');
  const bytes = info === undefined ? undefined : getBinaryContent(info);
  if (bytes === undefined || ctx.credentials === undefined) return;
  // Sent in the preamble of the next connection (docs/protocol.md §1).
  ctx.credentials = { ...ctx.credentials, routingInfo: bytes };
  await ctx.store.saveCredentials(ctx.credentials);
}
