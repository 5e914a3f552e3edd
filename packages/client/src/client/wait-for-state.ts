/**
 * Waiting for a lifecycle state (`waitForSocket`, `waitForConnected`): resolves on the state,
 * rejects when the client stops first or the time runs out.
 */

import { TimeoutError } from '@wakit/errors';
import type { LifecycleState } from '../connection/lifecycle';
import { ConnectionClosedError } from '../errors';
import type { ClientContext } from './context';

/**
 * Resolves once `done` accepts the lifecycle state (at once if it already does).
 *
 * @param what names the awaited thing in error messages ("the socket", "the login").
 * @throws ConnectionClosedError when the client reaches `closed` first; TimeoutError after `timeoutMs`.
 */
export function waitForState(
  ctx: ClientContext,
  done: (state: LifecycleState) => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  if (done(ctx.lifecycle.state)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const off = ctx.events.on('state', ({ to }) => {
      if (done(to)) {
        finish();
        resolve();
      } else if (to === 'closed') {
        finish();
        reject(new ConnectionClosedError(`the client stopped while waiting for ${what}`));
      }
    });
    const timer = ctx.timers.setTimeout(() => {
      off();
      reject(new TimeoutError(`no ${what.replace(/^the /, '')} within ${timeoutMs} ms`, timeoutMs));
    }, timeoutMs);
    const finish = () => {
      off();
      ctx.timers.clearTimeout(timer);
    };
  });
}
