/**
 * Promise rejections nobody handled, collected in this thread from the first `watchRejections()`
 * on. A target whose code leaves one behind has a bug even when its input was handled: in
 * production Node ends the process for it. Node reports them after the current macrotask, so a
 * target checks after it has yielded to the event loop at least once.
 */
const seen: unknown[] = [];
let watching = false;

/** Starts collecting (once per thread; later calls do nothing). */
export function watchRejections(): void {
  if (watching) return;
  watching = true;
  process.on('unhandledRejection', (reason) => {
    seen.push(reason);
  });
}

/** The rejections collected since the last call; throws for them as one foreign error, if any. */
export function throwIfRejectionsLeaked(): void {
  const leaked = seen.splice(0);
  if (leaked.length > 0) {
    throw new Error(`${leaked.length} unhandled rejection(s), the first: ${String(leaked[0])}`, {
      cause: leaked[0],
    });
  }
}
