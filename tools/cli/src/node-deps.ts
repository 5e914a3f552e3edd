/**
 * The real {@link CliDeps}: the process's standard streams and signals, and the real server.
 */
import type { CliDeps, StopListener } from './command';
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

/** The dependencies `wakit` runs with outside tests. */
export function nodeDeps(): CliDeps {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: readProcessStdin,
    startServer: startServerLazily,
    listenForStop: listenForProcessStop,
  };
}
