/**
 * Forks `server-child.ts` (through tsx's loader, resolving workspace packages to their sources as
 * the root `start` script does) and wraps its IPC protocol: where the server listens, which root to
 * trust, and `scan()` for a virtual phone to link a companion from its QR code.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ToChild, ToParent } from './server-child';

/** A server running in a child process. */
export interface ServerProcess {
  readonly url: string;
  readonly rootPublicKey: Uint8Array;
  /** The child's process id (for reading its memory from outside, if wanted). */
  readonly pid: number;
  /** A new virtual phone for `phoneNumber` scans `qr`; resolves with the linked device's JID. */
  scan(phoneNumber: string, qr: string): Promise<string>;
  /** CPU milliseconds (user + system) the child has used so far. */
  cpuMs(): Promise<number>;
  /** Closes the server and waits for the child to exit. */
  close(): Promise<void>;
}

/** Starts the server child and resolves once it listens. */
export async function startServerProcess(): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./server-child.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx', '--conditions=@wakit/source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [ready] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`the server child exited (code ${code}) before listening`);
    }),
  ])) as [ToParent];
  if (ready.type !== 'ready') throw new Error(`the server child said ${JSON.stringify(ready)} first`);

  const pending = new Map<number, { resolve: (jid: string) => void; reject: (error: Error) => void }>();
  const usages = new Map<number, (cpuMs: number) => void>();
  let nextId = 0;
  child.on('message', (message: ToParent) => {
    if (message.type === 'usage') {
      usages.get(message.id)?.(message.cpuMs);
      usages.delete(message.id);
      return;
    }
    if (message.type !== 'scanned') return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.jid !== undefined) waiter?.resolve(message.jid);
    else waiter?.reject(new Error(`the phone's scan failed: ${message.error}`));
  });
  const post = (message: ToChild) => child.send(message);

  return {
    url: ready.url,
    rootPublicKey: new Uint8Array(Buffer.from(ready.rootPublicKey, 'hex')),
    pid: child.pid!,
    scan: (phoneNumber, qr) =>
      new Promise((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { resolve, reject });
        post({ type: 'scan', id: nextId, phoneNumber, qr });
      }),
    cpuMs: () =>
      new Promise((resolve) => {
        nextId += 1;
        usages.set(nextId, resolve);
        post({ type: 'usage', id: nextId });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      post({ type: 'close' });
      await exited;
    },
  };
}
