/**
 * The client's own work that runs beside the caller: handling a received stanza, the post-login
 * steps, prekey refills, acks. Two rules, both about the user stopping the client:
 *
 * 1. A stop waits for this work before it clears or releases the store (`settleTasks`), so once
 *    `disconnect()` or `logout()` resolved nothing of ours writes to the store any more. (A prekey
 *    refill used to write its keys and credentials back into the store `logout()` had just cleared.)
 * 2. Work that the user's own `disconnect()` or `logout()` cut short is not a failure: its
 *    `ConnectionClosedError` or `NotConnectedError` is logged at debug level, not emitted as an
 *    `error` event. Only those two errors, and only after a stop the user asked for since the work
 *    began: anything else (a store write that fails, a malformed reply), and any drop the user did
 *    not ask for, is still reported.
 */

import { isWakitError } from '@wakit/errors';
import { ConnectionClosedError, NotConnectedError } from '../errors';
import { type ClientContext, reportError } from './context';

/**
 * Runs `work` as a task of the client and resolves when it settled; never rejects. A failure is
 * reported as an `error` event naming `context`, unless the user's stop cut the work short.
 */
export function runTask(ctx: ClientContext, context: string, work: () => Promise<unknown>): Promise<void> {
  // Read before `work` starts: a stop requested from inside it (a listener) still counts as later.
  const generation = ctx.generation;
  // An async body runs synchronously up to its first await: `work` starts now, in call order.
  const task = (async () => {
    try {
      await work();
    } catch (error) {
      reportTaskFailure(ctx, generation, error, context);
    }
  })();
  ctx.tasks.add(task);
  void task.then(() => ctx.tasks.delete(task));
  return task;
}

/**
 * Reports a failure of work that began at `generation`: as an `error` event, unless the user's stop
 * cut the work short (then at debug level). For work that catches its own failures, such as the
 * stanza pipeline's handlers.
 */
export function reportTaskFailure(
  ctx: ClientContext,
  generation: number,
  error: unknown,
  context: string,
): void {
  if (cutShortByStop(ctx, generation, error)) {
    ctx.logger.debug?.(`${context} was cut short by the user's stop`, { error });
  } else {
    reportError(ctx, error, context);
  }
}

/**
 * Tracks `work`, which never rejects (it reports its own failures), as a task of the client: a stop
 * waits for it like for any task.
 */
export function trackTask(ctx: ClientContext, work: Promise<void>): void {
  ctx.tasks.add(work);
  void work.then(() => ctx.tasks.delete(work));
}

/** Runs `work` as a task without waiting for it (see `runTask`). */
export function background(ctx: ClientContext, context: string, work: () => Promise<unknown>): void {
  void runTask(ctx, context, work);
}

/** Resolves once every task has settled, including tasks started while waiting. */
export async function settleTasks(ctx: ClientContext): Promise<void> {
  while (ctx.tasks.size > 0) await Promise.all(ctx.tasks);
}

/**
 * True when `error` is what a closed connection gives the work that still used it, and the user
 * stopped the client (`disconnect()`, `logout()` bump the generation) after the work began.
 */
function cutShortByStop(ctx: ClientContext, generation: number, error: unknown): boolean {
  if (ctx.generation === generation) return false;
  return isWakitError(error, ConnectionClosedError) || isWakitError(error, NotConnectedError);
}
