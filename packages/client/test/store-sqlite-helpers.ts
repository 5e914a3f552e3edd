/**
 * Temporary database files for the SQLite store tests, and child processes that run a real
 * `SqliteStore` (`store-sqlite-child.ts` through tsx) and report on stdout, one line per event.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Creates a fresh temporary directory per call; `cleanup` removes them all. */
export function tempDirs(): { path: (name?: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    path: (name = 'store.db') => {
      const dir = mkdtempSync(join(tmpdir(), 'wakit-store-'));
      made.push(dir);
      return join(dir, name);
    },
    cleanup: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A running child with a line-by-line view of its stdout. */
export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first line (past or future) `match` accepts; rejects if the child exits first. */
  waitFor(match: (line: string) => boolean): Promise<string>;
  /** Resolves once the child exited and its stdout is fully read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const CHILD = fileURLToPath(new URL('./store-sqlite-child.ts', import.meta.url));

/** Starts `store-sqlite-child.ts <args>` under tsx, from this package's directory. */
export function startChild(...args: string[]): Child {
  // Workspace packages resolve to their sources, as in the tests themselves: nothing needs a build.
  const child = spawn(process.execPath, ['--conditions=@wakit/source', '--import', 'tsx', CHILD, ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'pipe',
  });
  const lines: string[] = [];
  const waiters = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (waiter.match(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    process: child,
    lines,
    exited,
    waitFor: (match) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(match);
        if (seen !== undefined) return resolve(seen);
        waiters.add({ match, resolve });
        void exited.then(({ code, signal }) =>
          reject(
            new Error(
              `child exited (code ${code}, signal ${signal}) before the awaited line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          ),
        );
      }),
  };
}
