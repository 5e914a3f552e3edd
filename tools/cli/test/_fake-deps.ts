/**
 * A {@link CliDeps} made of plain objects, for driving commands in tests: output is collected,
 * stdin is a fixed string or lines the test types, and the stop request is fired by the test.
 */
import type { CreateClient, OpenStore } from '../src/client-contract';
import type { CliDeps } from '../src/command';
import type { RunningServer, StartServer, StartServerOptions } from '../src/server-contract';
import { type FakePhoneRegistry, fakePhones } from './_fake-phones';

/** Real-time deadline for anything a test waits on; only a broken run reaches it. */
export const DEADLINE_MS = 5_000;

/** A fake server that records what was asked of it. */
export interface FakeServer extends RunningServer {
  readonly startedWith: StartServerOptions;
  readonly phones: FakePhoneRegistry;
  closeCalls: number;
}

/** Fake deps plus handles to inspect and steer them. */
export interface FakeDeps extends CliDeps {
  readonly out: string[];
  readonly err: string[];
  /** Fires the pending stop request with `signal`. */
  stop(signal?: string): void;
  /** How many stop listeners are installed and not yet disposed. */
  readonly activeStopListeners: number;
  /** Resolves once something has been written to stdout; lets a test wait for the banner. */
  readonly firstOutput: Promise<void>;
  /** Delivers one line of standard input to the command reading lines. */
  typeLine(line: string): void;
  /** How many readers of stdin lines are active (started and not stopped). */
  readonly activeLineReaders: number;
  /**
   * Resolves once everything written to `stream` so far contains `text` (or matches it); rejects
   * after `timeoutMs` (default {@link DEADLINE_MS}) showing what was written.
   */
  waitForOutput(text: string | RegExp, stream?: 'out' | 'err', timeoutMs?: number): Promise<void>;
}

/** A `startServer` that resolves at once with a fake server listening at `url`. */
export function fakeStartServer(
  url = 'ws://127.0.0.1:8080/ws/chat',
  rootPublicKey = Uint8Array.from({ length: 32 }, (_, i) => i),
): StartServer & { servers: FakeServer[] } {
  const servers: FakeServer[] = [];
  const start = async (options: StartServerOptions) => {
    const server: FakeServer = {
      url,
      rootPublicKey,
      startedWith: options,
      phones: fakePhones(),
      closeCalls: 0,
      async close() {
        server.closeCalls++;
      },
    };
    servers.push(server);
    return server;
  };
  return Object.assign(start, { servers });
}

const notFaked = (what: string) => () => Promise.reject(new Error(`${what} is not faked in this test`));

/** Builds fake deps; `startServer` defaults to {@link fakeStartServer}. */
export function fakeDeps(
  overrides: {
    stdin?: string;
    startServer?: StartServer;
    openStore?: OpenStore;
    createClient?: CreateClient;
  } = {},
): FakeDeps {
  const out: string[] = [];
  const err: string[] = [];
  let active = 0;
  let fire: ((signal: string) => void) | undefined;
  let wrote!: () => void;
  const firstOutput = new Promise<void>((resolve) => {
    wrote = resolve;
  });
  const readers = new Set<(line: string) => void>();
  const waiters = new Set<() => void>();
  const written = () => {
    for (const check of [...waiters]) check();
  };
  return {
    out,
    err,
    firstOutput,
    get activeStopListeners() {
      return active;
    },
    get activeLineReaders() {
      return readers.size;
    },
    stdout(text) {
      out.push(text);
      wrote();
      written();
    },
    stderr(text) {
      err.push(text);
      written();
    },
    readStdin: async () => overrides.stdin ?? '',
    readStdinLines(onLine) {
      // A fresh function per reader, so two readers of the same callback count twice.
      const reader = (line: string) => onLine(line);
      readers.add(reader);
      return () => readers.delete(reader);
    },
    typeLine(line) {
      if (readers.size === 0) throw new Error('typeLine() with nobody reading stdin');
      for (const reader of readers) reader(line);
    },
    startServer: overrides.startServer ?? fakeStartServer(),
    openStore: overrides.openStore ?? notFaked('openStore'),
    createClient: overrides.createClient ?? notFaked('createClient'),
    listenForStop() {
      active++;
      let disposed = false;
      const stopped = new Promise<string>((resolve) => {
        fire = resolve;
      });
      return {
        stopped,
        dispose() {
          if (!disposed) active--;
          disposed = true;
        },
      };
    },
    stop(signal = 'SIGINT') {
      if (!fire) throw new Error('stop() called before anything listened for it');
      fire(signal);
    },
    waitForOutput(text, stream = 'out', timeoutMs = DEADLINE_MS) {
      const lines = stream === 'out' ? out : err;
      const matches = () => {
        const all = lines.join('');
        return typeof text === 'string' ? all.includes(text) : text.test(all);
      };
      if (matches()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!matches()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${JSON.stringify(String(text))} on std${stream} within ${timeoutMs} ms; it has:\n` +
                `${lines.join('')}\n(stderr: ${err.join('')})`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
  };
}
