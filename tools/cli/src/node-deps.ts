/**
 * The real {@link CliDeps}: the process's standard streams and signals, the real server, client
 * and SQLite store.
 */
import { createInterface } from 'node:readline';
import type { CliDeps, StopListener } from './command';
import { createClientLazily, openStoreLazily } from './load-client';
import { startServerLazily } from './load-server';

/** Signals that ask `wakit serve` to stop: Ctrl-C, and what `kill`, systemd and Docker send. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Listens for the first of {@link STOP_SIGNALS} on this process. */
export function listenForProcessStop(): StopListener {
  let onSignal!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<string>((resolve) => {
    onSignal = (signal) => resolve(signal);
  });
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    stopped,
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    },
  };
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Calls `onLine` for each line of `input` until the returned function is called. Closing the
 * readline interface pauses the stream, which lets the process exit with a terminal or pipe
 * still open on stdin.
 */
export function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => void): () => void {
  // terminal: false even on a TTY: the terminal's own line editing and echo are what we want.
  const lines = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', onLine);
  return () => lines.close();
}

/** The dependencies `wakit` runs with outside tests. */
export function nodeDeps(): CliDeps {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: readProcessStdin,
    readStdinLines: (onLine) => readLines(process.stdin, onLine),
    startServer: startServerLazily,
    openStore: openStoreLazily,
    createClient: createClientLazily,
    listenForStop: listenForProcessStop,
  };
}
