/**
 * A {@link CliDeps} made of plain objects, for driving commands in tests: output is collected,
 * stdin is a fixed string, and the stop request is fired by the test.
 */
import type { CliDeps } from '../src/command';
import type { RunningServer, StartServer, StartServerOptions } from '../src/server-contract';

/** A fake server that records what was asked of it. */
export interface FakeServer extends RunningServer {
  readonly startedWith: StartServerOptions;
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

/** Builds fake deps; `startServer` defaults to {@link fakeStartServer}. */
export function fakeDeps(overrides: { stdin?: string; startServer?: StartServer } = {}): FakeDeps {
  const out: string[] = [];
  const err: string[] = [];
  let active = 0;
  let fire: ((signal: string) => void) | undefined;
  let wrote!: () => void;
  const firstOutput = new Promise<void>((resolve) => {
    wrote = resolve;
  });
  return {
    out,
    err,
    firstOutput,
    get activeStopListeners() {
      return active;
    },
    stdout(text) {
      out.push(text);
      wrote();
    },
    stderr(text) {
      err.push(text);
    },
    readStdin: async () => overrides.stdin ?? '',
    startServer: overrides.startServer ?? fakeStartServer(),
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
  };
}
