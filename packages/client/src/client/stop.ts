/**
 * Ending the client for good: `disconnect()` (keep the device linked) and `logout()` (unlink it
 * and clear the store). Both bump the generation, so a running attempt gives up and the work they
 * cut short is not reported as failed (`tasks.ts`), and both resolve only once that work has ended
 * and the store has been released.
 */
import { removeCompanionDevice } from '../_stanzas';
import { isActive } from '../connection/lifecycle';
import { NotConnectedError } from '../errors';
import { clearReconnectTimer, endConnection } from './connection-runner';
import { type ClientContext, isLoggedIn } from './context';
import { query } from './send';

/** Closes the connection for good (no reconnect). Idempotent; resolves when the store is released. */
export async function disconnect(ctx: ClientContext): Promise<void> {
  ctx.generation += 1;
  clearReconnectTimer(ctx);
  const state = ctx.lifecycle.state;
  if (isActive(state) || state === 'waiting-to-reconnect') {
    endConnection(ctx, { reason: 'user', action: 'stop' });
  }
  await ctx.stopping;
}

/**
 * Unlinks this device: tells the server (`remove-companion-device`), closes, clears the store and
 * emits `logged-out`.
 *
 * @throws NotConnectedError when not logged in; IqError when the server refuses.
 */
export async function logout(ctx: ClientContext): Promise<void> {
  const jid = ctx.credentials?.account?.jid;
  if (!isLoggedIn(ctx) || jid === undefined)
    throw new NotConnectedError('logout() needs a logged-in connection');
  // The user's stop starts here, not after the answer: the server ends the stream as it answers
  // (401 device_removed), which cuts short whatever the connection was still doing.
  ctx.generation += 1;
  await query(ctx, removeCompanionDevice(jid));
  endConnection(ctx, { reason: 'logged-out', action: 'logout' });
  await ctx.stopping;
}
