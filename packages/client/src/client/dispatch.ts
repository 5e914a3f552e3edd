/**
 * Received nodes. The frame loop calls `onNode` for each and waits for it, so `onNode` does only
 * what must happen in frame order and never waits for the network: IQ replies go to the IQ
 * tracker; the stanzas that drive the connection itself (pings, pairing, `<success>`, failures,
 * stream errors) are handled here; everything else goes to the stanza pipeline
 * (`pipeline/stanza-pipeline.ts`), where the core handlers below and the modules' handlers run in
 * lanes, off the frame loop. Stanzas that end the connection close it with the decision of
 * `connection/disconnect-policy.ts`; the close comes back through the attempt's `onClose`.
 */
import { type BinaryNode, getBinaryContent, getChild } from '@wakit/binary-node';
import { iqResult, isServerPing } from '../_stanzas';
import { decideConnectFailure, decideStreamError } from '../connection/disconnect-policy';
import type { NoiseConnection } from '../connection/noise-connection';
import { ConnectFailureError, StreamError } from '../errors';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import type { ClientContext } from './context';
import { onEncryptNotification, onSuccess } from './login';
import { onLinkCodeNotification, onPairDevice, onPairSuccess } from './pairing';
import { background, reportTaskFailure, runTask, trackTask } from './tasks';

/**
 * Handles one node received on `connection`; the frame loop waits for a returned promise before it
 * reads the next frame. Only the stanzas that drive the connection return one: everything else is
 * queued in the pipeline synchronously, so the frame loop reads on without a promise per stanza.
 */
export function onNode(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> | undefined {
  // A task: a stop waits for it before releasing the store (pairing writes to it). It starts
  // before the `node` event, so a listener's disconnect() counts as the user's stop.
  if (drivesConnection(node)) {
    let queued = false;
    return runTask(ctx, `handling <${node.tag}>`, async () => {
      ctx.events.emit('node', node);
      if (ctx.iq.receive(node)) return;
      queued = !(await handleInFrameOrder(ctx, connection, node));
    }).then(() => {
      if (queued) queue(ctx, connection, node, ctx.generation);
    });
  }
  // Read before the `node` event, as above: a listener's disconnect() is a stop after this.
  const generation = ctx.generation;
  ctx.events.emit('node', node);
  queue(ctx, connection, node, generation);
  return undefined;
}

/**
 * Queues `node` in the pipeline as a task of the client, tracked until the stanza was handled; its
 * failures are judged like any task's (work the user's stop cut short is not an error).
 */
function queue(ctx: ClientContext, connection: NoiseConnection, node: BinaryNode, generation: number): void {
  const report = (error: unknown, context: string) => reportTaskFailure(ctx, generation, error, context);
  trackTask(ctx, ctx.pipeline.push(connection, node, report));
}

/** True for the stanzas `handleInFrameOrder` may handle (an `<iq>` may also be a reply). */
function drivesConnection(node: BinaryNode): boolean {
  switch (node.tag) {
    case 'iq':
    case 'success':
    case 'failure':
    case 'stream:error':
    case 'xmlstreamend':
      return true;
    default:
      return false;
  }
}

/**
 * The stanzas handled in frame order, before anything later is read; true when `node` was one.
 * None of them waits for a server reply (IQs are sent in the background).
 */
async function handleInFrameOrder(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<boolean> {
  switch (node.tag) {
    case 'iq':
      if (isServerPing(node))
        background(ctx, 'answering a server ping', () => connection.send(iqResult(node)));
      else if (getChild(node, 'pair-device') !== undefined) await onPairDevice(ctx, connection, node);
      else if (getChild(node, 'pair-success') !== undefined) await onPairSuccess(ctx, connection, node);
      else return false;
      return true;
    case 'success':
      onSuccess(ctx, connection, node);
      return true;
    case 'failure': {
      // Digits only: `parseInt` would read "401x" as 401, and a 401 wipes the store (logout).
      const raw = node.attrs.reason ?? '';
      const reason = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
      const decision = decideConnectFailure(reason);
      connection.close({ ...decision, error: new ConnectFailureError(reason, node) });
      return true;
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
      return true;
    }
    case 'xmlstreamend':
      connection.close({ reason: 'stream-end', action: 'reconnect' });
      return true;
    default:
      return false;
  }
}

/** The client's own handlers in the pipeline, ahead of any module's. */
export function coreStanzaHandlers(ctx: ClientContext): StanzaHandler[] {
  return [
    {
      name: 'core:edge-routing',
      match: { tag: 'ib', child: 'edge_routing' },
      handle: ({ node }) => saveEdgeRouting(ctx, node),
    },
    {
      name: 'core:prekey-count',
      match: (node) =>
        node.tag === 'notification' && node.attrs.type === 'encrypt' && getChild(node, 'count') !== undefined,
      handle: ({ node }) => onEncryptNotification(ctx, node),
    },
    {
      name: 'core:link-code',
      match: { tag: 'notification', attrs: { type: 'link_code_companion_reg' } },
      handle: async ({ node }) => {
        if (ctx.connection !== undefined) await onLinkCodeNotification(ctx, ctx.connection, node);
      },
    },
  ];
}

/** `<ib><edge_routing><routing_info>`: sent in the preamble of the next connection (docs/protocol.md §1). */
async function saveEdgeRouting(ctx: ClientContext, node: BinaryNode): Promise<void> {
  const routing = getChild(node, 'edge_routing');
  const info = routing === undefined ? undefined : getChild(routing, 'routing_info');
  const bytes = info === undefined ? undefined : getBinaryContent(info);
  if (bytes === undefined || ctx.credentials === undefined) return;
  ctx.credentials = { ...ctx.credentials, routingInfo: bytes };
  await ctx.store.saveCredentials(ctx.credentials);
}
