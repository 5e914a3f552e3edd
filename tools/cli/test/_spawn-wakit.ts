/**
 * Runs the real `bin/wakit.mjs` in a child process, the way a user's shell does.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/wakit.mjs', import.meta.url));

/** How a finished `wakit` run ended. */
export interface WakitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `wakit <args>`; standard streams are pipes. */
export function spawnWakit(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcessWithoutNullStreams): Promise<WakitResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `wakit <args>` to completion, writing `stdin` (if given) to its standard input. */
export function runWakit(args: readonly string[], stdin?: string): Promise<WakitResult> {
  const child = spawnWakit(args);
  const result = finished(child);
  child.stdin.end(stdin);
  return result;
}

/** Resolves with the child's first line of stdout; rejects if it exits first. */
export function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const onErr = (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      child.stdout.off('data', onData);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
      resolve(buffered.slice(0, end));
    };
    const onExit = (code: number | null) =>
      reject(new Error(`wakit exited (${code}) before a line:\n${stderr}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', onErr);
    child.once('exit', onExit);
  });
}
