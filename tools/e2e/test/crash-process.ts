/**
 * The parent's handle on one crash child: spawns `crash-child.ts` through tsx and reads its stdout
 * line by line. Waits have deadlines and fail naming what was awaited, with everything the child
 * printed.
 *
 * The child loads the workspace packages as built (`dist/`, as an application would), not their
 * sources: compiling the client's sources under tsx took 5-10 s per child on a loaded machine, and
 * a run starts nine children. `npm test` builds the packages first (tools/e2e/turbo.json); after
 * editing a package, run `npx turbo run build` before running this test on its own.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEADLINE_MS } from './_harness';
import { type ChildConfig, type ChildLine, parseChildLine } from './crash-protocol';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running crash child. */
export interface CrashChild {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every line printed so far, parsed, in order. */
  readonly lines: ChildLine[];
  /** Everything written on stderr so far. */
  stderr(): string;
  /**
   * The first line (printed already or still to come) that `match` accepts. Rejects when the child
   * exits without printing one, or after `DEADLINE_MS`.
   */
  waitFor(match: (line: ChildLine) => boolean, what: string): Promise<ChildLine>;
  /** Resolves once the child exited and its stdout was read to the end. */
  readonly exited: Promise<ChildExit>;
  /** SIGKILLs the child (a no-op once it exited) and resolves with how it ended. */
  kill(): Promise<ChildExit>;
}

/** Starts a crash child with `config`. */
export function startCrashChild(config: ChildConfig): CrashChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'pipe',
  });
  const lines: ChildLine[] = [];
  const waiters = new Set<{ match: (line: ChildLine) => boolean; resolve: (line: ChildLine) => void }>();
  // A write to a child that already died (the final `exit`) must not become an unhandled error.
  child.stdin.on('error', () => {});
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = parseChildLine(text);
    lines.push(line);
    for (const waiter of waiters) {
      if (!waiter.match(line)) continue;
      waiters.delete(waiter);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const transcript = () =>
    `stdout:\n${lines.map((line) => JSON.stringify(line)).join('\n')}\nstderr:\n${stderr}`;
  return {
    process: child,
    lines,
    stderr: () => stderr,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
    waitFor: (match, what) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(match);
        if (seen !== undefined) return resolve(seen);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`the crash child printed no ${what} within ${DEADLINE_MS} ms\n${transcript()}`));
        }, DEADLINE_MS);
        const waiter = {
          match,
          resolve: (line: ChildLine) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.add(waiter);
        void exited.then(({ code, signal }) => {
          if (!waiters.delete(waiter)) return;
          clearTimeout(timer);
          reject(
            new Error(
              `the crash child exited (code ${code}, signal ${signal}) before printing ${what}\n${transcript()}`,
            ),
          );
        });
      }),
  };
}
