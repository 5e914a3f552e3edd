/**
 * Starts the keepalive of a connection whose handshake completed: pings by IQ, and leaves a
 * connection that has been silent too long so the reconnect logic takes over.
 */

import { TimeoutError } from '@wakit/errors';
import { keepalivePing } from '../_stanzas';
import { Keepalive } from '../connection/keepalive';
import type { NoiseConnection } from '../connection/noise-connection';
import type { ClientContext } from './context';
import { query } from './send';

/** Creates and starts `ctx.keepalive` for `connection`. */
export function startKeepalive(ctx: ClientContext, connection: NoiseConnection): void {
  ctx.keepalive = new Keepalive(ctx.keepalivePolicy, {
    timers: ctx.timers,
    random: ctx.random,
    lastReceivedAt: () => connection.lastReceivedAt,
    ping: (timeoutMs) => query(ctx, keepalivePing(), { timeoutMs }),
    onSilence: (silentForMs) => {
      ctx.logger.warn?.('nothing received for too long; reconnecting', { silentForMs });
      connection.close({
        reason: 'keepalive-timeout',
        action: 'reconnect',
        error: new TimeoutError(`nothing received for ${silentForMs} ms`, silentForMs),
      });
    },
    onPingFailure: (error, failures) => ctx.events.emit('keepalive-timeout', { failures, error }),
  });
  ctx.keepalive.start();
}
