/**
 * Runs the effects of the connection lifecycle: claiming the store, connection attempts, the one
 * place a connection ends, and the reconnect timer between attempts. Which state follows which
 * is `connection/lifecycle.ts`; what the server's stream errors and failures mean is
 * `connection/disconnect-policy.ts`. Attempts and ends live together because each leads to the
 * other: an end may schedule the next attempt, and an attempt ends through `endConnection`.
 */
import { buildClientPayload } from '../auth/client-payload';
import { generateCredentials } from '../auth/credentials';
import { reconnectDelay } from '../connection/backoff';
import type { DisconnectAction, DisconnectReason } from '../connection/disconnect-policy';
import { hasSocket, isActive } from '../connection/lifecycle';
import { NoiseConnection } from '../connection/noise-connection';
import { ConnectionClosedError, IllegalTransitionError } from '../errors';
import type { DeviceCredentials } from '../store/store';
import { type ClientContext, reportError } from './context';
import { onNode } from './dispatch';
import { startKeepalive } from './keepalive-wiring';
import { runHooks } from './module-host';
import { settleTasks } from './tasks';

/** How a connection ended and what follows: reconnect (with backoff or at once), stop, or log out. */
export interface ConnectionEndRequest {
  reason: DisconnectReason;
  action: DisconnectAction;
  error?: unknown;
}

/**
 * `Client.connect()`: claims the store, then starts an attempt the user awaits. Joins an attempt
 * already running; while a reconnect timer runs, starts the attempt now.
 */
export function connect(ctx: ClientContext): Promise<void> {
  const state = ctx.lifecycle.state;
  if (hasSocket(state)) return Promise.resolve();
  if (ctx.attempt !== undefined) return ctx.attempt;
  if (state === 'waiting-to-reconnect') {
    clearReconnectTimer(ctx);
    ctx.lifecycle.fire('retry');
    return startAttempt(ctx, false);
  }
  // Active with no attempt would be a bookkeeping bug of ours: refuse rather than start a second socket.
  if (isActive(state)) return Promise.reject(new IllegalTransitionError(state, 'connect'));
  const generation = ctx.generation;
  const attempt = (async () => {
    await ctx.stopping;
    const lease = await ctx.store.claim();
    if (generation !== ctx.generation) {
      await lease.release();
      throw new ConnectionClosedError('disconnect() was called while connecting');
    }
    ctx.lease = lease;
    ctx.lifecycle.fire('connect');
    ctx.attempt = undefined;
    await startAttempt(ctx, true);
  })();
  trackAttempt(ctx, attempt);
  return attempt;
}

/** Makes `attempt` the one a second `connect()` joins, until it settles. */
function trackAttempt(ctx: ClientContext, attempt: Promise<void>): void {
  ctx.attempt = attempt;
  const clear = () => {
    if (ctx.attempt === attempt) ctx.attempt = undefined;
  };
  attempt.then(clear, clear);
}

function startAttempt(ctx: ClientContext, byUser: boolean): Promise<void> {
  const attempt = runAttempt(ctx, byUser, ctx.generation);
  trackAttempt(ctx, attempt);
  return attempt;
}

async function runAttempt(ctx: ClientContext, byUser: boolean, generation: number): Promise<void> {
  let credentials: DeviceCredentials;
  let payload: Uint8Array;
  try {
    credentials = await loadCredentials(ctx);
    payload = buildClientPayload(credentials, ctx.payloadOptions);
  } catch (error) {
    if (generation === ctx.generation)
      endConnection(ctx, { reason: 'handshake-failed', action: 'stop', error });
    throw error;
  }
  if (generation !== ctx.generation)
    throw new ConnectionClosedError('disconnect() was called while connecting');
  const paired = credentials.account !== undefined;
  const connection: NoiseConnection = new NoiseConnection({
    transport: ctx.transportFactory(),
    crypto: ctx.crypto,
    noiseKey: credentials.noiseKey,
    payload,
    rootPublicKey: ctx.rootPublicKey,
    routingInfo: credentials.routingInfo,
    timers: ctx.timers,
    handshakeTimeoutMs: ctx.handshakeTimeoutMs,
    onTransportOpen: () => {
      if (ctx.connection === connection) ctx.lifecycle.fire('transport-open');
    },
    onHandshakeComplete: () => {
      // Runs before the next frame is read, so <success> always finds the state logging-in.
      if (ctx.connection !== connection) return;
      ctx.lifecycle.fire(paired ? 'handshake-login' : 'handshake-registration');
      ctx.events.emit('socket-open', { paired });
      startKeepalive(ctx, connection);
      runHooks(ctx, ctx.hooks.connect, 'a connect hook');
    },
    onNode: (node) => onNode(ctx, connection, node),
    onClose: (end) => {
      if (ctx.connection !== connection) return;
      // A user's first attempt that never got a socket is not retried: connect() reports it.
      const neverUp = !hasSocket(ctx.lifecycle.state);
      const action = end.action ?? (byUser && neverUp ? 'stop' : defaultAction(end.reason));
      endConnection(ctx, { ...end, action });
    },
  });
  ctx.connection = connection;
  await connection.start();
}

async function loadCredentials(ctx: ClientContext): Promise<DeviceCredentials> {
  let credentials = await ctx.store.loadCredentials();
  if (credentials === undefined) {
    credentials = await generateCredentials(ctx.crypto);
    await ctx.store.saveCredentials(credentials);
    ctx.logger.info?.('generated new device credentials');
  }
  ctx.credentials = credentials;
  return credentials;
}

/**
 * The one place a connection ends. Closes it (if any), decides between reconnecting and
 * stopping, fires the lifecycle event and emits `disconnected`.
 */
export function endConnection(ctx: ClientContext, end: ConnectionEndRequest): void {
  const connection = ctx.connection;
  if (connection !== undefined && !connection.closed) {
    // Re-enters through onClose with the same end.
    connection.close(end);
    return;
  }
  ctx.connection = undefined;
  ctx.keepalive?.stop();
  ctx.keepalive = undefined;
  ctx.qr?.stop();
  ctx.qr = undefined;
  ctx.pairCode = undefined;
  ctx.iq.rejectAll(new ConnectionClosedError(`the connection closed (${end.reason})`, { cause: end.error }));
  if (connection !== undefined) runHooks(ctx, ctx.hooks.close, 'a close hook');
  if (!isActive(ctx.lifecycle.state) && ctx.lifecycle.state !== 'waiting-to-reconnect') return;

  let { action } = end;
  if (action === 'reconnect' && !ctx.reconnect.enabled) action = 'stop';
  if (action === 'reconnect' || action === 'reconnect-now') {
    if (action === 'reconnect') ctx.failures += 1;
    const delayMs = action === 'reconnect' ? reconnectDelay(ctx.reconnect, ctx.failures, ctx.random) : 0;
    ctx.lifecycle.fire('drop');
    ctx.logger.info?.('disconnected; reconnecting', { reason: end.reason, delayMs });
    ctx.events.emit('disconnected', {
      reason: end.reason,
      error: end.error,
      willReconnect: true,
      delayMs,
    });
    ctx.reconnectTimer = ctx.timers.setTimeout(() => onReconnectTimer(ctx), delayMs);
    return;
  }
  ctx.lifecycle.fire('stop');
  ctx.logger.info?.('disconnected', { reason: end.reason });
  ctx.events.emit('disconnected', { reason: end.reason, error: end.error, willReconnect: false });
  const lease = ctx.lease;
  ctx.lease = undefined;
  const previous = ctx.stopping;
  ctx.stopping = (async () => {
    await previous;
    // The connection's own work may still be writing (a refill's prekeys, pair-success credentials):
    // it ends first, so nothing it writes survives a logout's clear or follows the release.
    await settleTasks(ctx);
    try {
      if (action === 'logout') {
        await ctx.store.clear();
        ctx.credentials = undefined;
        ctx.events.emit('logged-out', { reason: end.reason });
      }
    } catch (error) {
      reportError(ctx, error, 'clearing the store after logout');
    } finally {
      await lease?.release().catch((error: unknown) => reportError(ctx, error, 'releasing the store'));
    }
  })();
}

function onReconnectTimer(ctx: ClientContext): void {
  ctx.reconnectTimer = undefined;
  if (ctx.lifecycle.state !== 'waiting-to-reconnect') return;
  ctx.lifecycle.fire('retry');
  // Failures are handled (and reported) by endConnection; nobody awaits an automatic attempt.
  startAttempt(ctx, false).catch(() => {});
}

/** Cancels a scheduled reconnect (the user connected or disconnected first). */
export function clearReconnectTimer(ctx: ClientContext): void {
  if (ctx.reconnectTimer !== undefined) ctx.timers.clearTimeout(ctx.reconnectTimer);
  ctx.reconnectTimer = undefined;
}

/** What an end the connection reported itself (no stanza decided it) leads to. */
function defaultAction(reason: DisconnectReason): DisconnectAction {
  return reason === 'certificate-refused' ? 'stop' : 'reconnect';
}
