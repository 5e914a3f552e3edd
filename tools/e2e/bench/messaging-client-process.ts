/**
 * Forks `messaging-child.ts` for one library (through tsx's loader, resolving workspace packages
 * to their sources, with `--expose-gc`) and wraps its IPC protocol: each operation is a call that
 * resolves with the child's result, and the child's QR scans go to the server child's phones.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { FromChild, Operation, Operations, ToChild } from './messaging-child';
import type { ServerProcess } from './server-process';

/** A library's client process. */
export interface ClientProcess {
  readonly name: string;
  call<K extends Operation>(op: K, args: Operations[K]['args']): Promise<Operations[K]['value']>;
  /** Closes the devices (printing the profile summary first, if any) and waits for the exit. */
  close(): Promise<void>;
}

/** Starts the client process of library `name`; scans go to `server`. */
export async function startClientProcess(name: string, server: ServerProcess): Promise<ClientProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./messaging-child.ts', import.meta.url)), [name], {
    execArgv: ['--import', 'tsx', '--conditions=@wakit/source', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [ready] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`the ${name} client process exited (code ${code}) before it was ready`);
    }),
  ])) as [FromChild];
  if (ready.kind !== 'ready')
    throw new Error(`the ${name} client process said ${JSON.stringify(ready)} first`);

  const post = (message: ToChild) => child.send(message);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  child.on('message', (message: FromChild) => {
    if (message.kind === 'scan') {
      server.scan(message.phoneNumber, message.qr).then(
        () => post({ kind: 'scanned', id: message.id }),
        (error: unknown) => post({ kind: 'scanned', id: message.id, error: String(error) }),
      );
      return;
    }
    if (message.kind !== 'result') return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error === undefined) waiter?.resolve(message.value);
    else waiter?.reject(new Error(`${name}: ${message.error}`));
  });
  // A child that dies fails whatever waits on it, instead of leaving the bench hanging.
  void exited.then(([code]) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`the ${name} client process exited (${code})`));
    pending.clear();
  });

  const call = <K extends Operation>(op: K, args: Operations[K]['args']) =>
    new Promise<Operations[K]['value']>((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
      post({ kind: 'call', id: nextId, op, args });
    });
  return {
    name,
    call,
    close: async () => {
      if (child.exitCode !== null) return;
      await call('close', {});
      await exited;
    },
  };
}
