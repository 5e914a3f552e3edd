/**
 * The IPC of the group send benchmark's children (the server, and one process per library): the
 * parent calls named operations, `{ kind: 'call', id, op, args }`, answered `{ kind: 'result', id,
 * value | error }`; a child may ask the parent the same way (a library's child asks for QR scans,
 * which the parent passes to the server child). A child says `{ kind: 'ready' }` once it listens.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

/** Operation name -> its arguments and result. */
export type OperationMap = Record<string, { args: unknown; value: unknown }>;

type Message =
  | { kind: 'ready' }
  | { kind: 'call'; id: number; op: string; args: unknown }
  | { kind: 'result'; id: number; value?: unknown; error?: string };

type Handlers<M extends OperationMap> = { [K in keyof M]: (args: M[K]['args']) => Promise<M[K]['value']> };

/** Both directions of one IPC channel: calls out, and the answers to calls in. */
function channel<Out extends OperationMap, In extends OperationMap>(
  post: (message: Message, done?: () => void) => void,
  handlers: Partial<Handlers<In>>,
  after: (op: string) => void = () => {},
) {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  return {
    call<K extends keyof Out & string>(op: K, args: Out[K]['args']): Promise<Out[K]['value']> {
      return new Promise((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
        post({ kind: 'call', id: nextId, op, args });
      });
    },
    receive(message: Message): void {
      if (message.kind === 'result') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error === undefined) waiter?.resolve(message.value);
        else waiter?.reject(new Error(message.error));
        return;
      }
      if (message.kind !== 'call') return;
      const handler = handlers[message.op] as ((args: unknown) => Promise<unknown>) | undefined;
      const result =
        handler === undefined
          ? Promise.reject(new Error(`no operation "${message.op}"`))
          : handler(message.args);
      result.then(
        (value) => post({ kind: 'result', id: message.id, value }, () => after(message.op)),
        (error: unknown) =>
          post({
            kind: 'result',
            id: message.id,
            error: error instanceof Error ? error.stack : String(error),
          }),
      );
    },
    failAll(error: Error): void {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    },
  };
}

/** A forked child: its operations, and a close that waits for the exit. */
export interface Child<M extends OperationMap> {
  readonly name: string;
  call<K extends keyof M & string>(op: K, args: M[K]['args']): Promise<M[K]['value']>;
  /** Calls `close` (when the child has one) and waits for the exit. */
  close(): Promise<void>;
}

/**
 * Forks `file` (through tsx's loader, resolving workspace packages to their sources, with
 * `--expose-gc`) with `argv`; `handlers` answer the child's own calls. Resolves once it is ready.
 */
export async function forkChild<M extends OperationMap, Up extends OperationMap = OperationMap>(
  name: string,
  file: string,
  argv: string[],
  handlers: Partial<Handlers<Up>> = {},
): Promise<Child<M>> {
  const child: ChildProcess = fork(file, argv, {
    execArgv: ['--import', 'tsx', '--conditions=@wakit/source', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [ready] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`${name} exited (code ${code}) before it was ready`);
    }),
  ])) as [Message];
  if (ready.kind !== 'ready') throw new Error(`${name} said ${JSON.stringify(ready)} first`);
  const link = channel<M, Up>((message) => child.send(message), handlers);
  child.on('message', (message: Message) => link.receive(message));
  // A child that dies fails whatever waits on it, instead of leaving the bench hanging.
  void exited.then(([code]) => link.failAll(new Error(`${name} exited (${code})`)));
  return {
    name,
    call: (op, args) =>
      link.call(op, args).catch((error: Error) => Promise.reject(new Error(`${name}: ${error.message}`))),
    close: async () => {
      if (child.exitCode !== null) return;
      await link.call('close', undefined as never);
      await exited;
    },
  };
}

/**
 * In a child: answers the parent's calls with `handlers` (whose `close` must release everything;
 * the process lets go of the channel once its answer is out, and exits), says ready, and returns a
 * function to call the parent.
 */
export function serveParent<M extends OperationMap, Up extends OperationMap = OperationMap>(
  handlers: Handlers<M>,
): <K extends keyof Up & string>(op: K, args: Up[K]['args']) => Promise<Up[K]['value']> {
  const send = (message: Message, done?: () => void) =>
    done === undefined ? process.send?.(message) : process.send?.(message, done);
  const link = channel<Up, M>(send, handlers, (op) => {
    // Baileys leaves timers behind after end(): once closed, the process exits.
    if (op === 'close') process.disconnect();
  });
  process.on('message', (message: Message) => link.receive(message));
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready' });
  return (op, args) => link.call(op, args);
}
