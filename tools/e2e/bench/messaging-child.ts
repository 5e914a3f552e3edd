/**
 * One library's client process in the messaging benchmark (`messaging-client-process.ts` forks it
 * with the library's name as its argument). Each library runs in a process of its own because
 * they tax whatever shares their process: Baileys creates an `AsyncLocalStorage` for every socket
 * (`addTransactionCapability` in lib/Utils/auth-utils.js), which on Node 20 turns on promise hooks
 * for every promise in the process; with Baileys linked in the same process, 3.6% of wakit's
 * profile samples were in `node:internal/async_hooks`, against 0.01% without it. Garbage left by
 * one library would also be collected on the other's time.
 *
 * IPC, parent -> child: `{ kind: 'call', id, op, args }` for the operations below, answered with
 * `{ kind: 'result', id, value }` or `{ kind: 'result', id, error }`; `{ kind: 'scanned', id, error? }`
 * answers the child's `{ kind: 'scan', id, phoneNumber, qr }` (the parent passes it to the server
 * child's virtual phones). The child says `{ kind: 'ready' }` once it listens.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { latency, type ThroughputRun, throughput } from './messaging-measure';
import { baileysMessaging, type Messenger, wakitMessaging } from './messaging-peers';
import { RoundProfiler } from './messaging-profile';

/** The operations, their arguments and results. */
export interface Operations {
  /** Links the sender and the receiver, two new accounts. */
  link: { args: { url: string; rootPublicKey: string; phoneNumbers: [string, string] }; value: null };
  /** One message each way, then an untimed throughput round. */
  warm: { args: { messages: number; window: number }; value: null };
  throughput: { args: { messages: number; window: number }; value: ThroughputRun };
  latency: { args: { samples: number }; value: number[] };
  /** Waits `ms` (the last receipts and acks), then collects all garbage. */
  settle: { args: { ms: number }; value: null };
  /** Prints the profile summary (BENCH_PROFILE), closes both devices; the process then exits. */
  close: { args: Record<string, never>; value: null };
}

export type Operation = keyof Operations;

export type ToChild =
  | { kind: 'call'; id: number; op: Operation; args: unknown }
  | { kind: 'scanned'; id: number; error?: string };

export type FromChild =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; value?: unknown; error?: string }
  | { kind: 'scan'; id: number; phoneNumber: string; qr: string };

const peer = [wakitMessaging, baileysMessaging].find((p) => p.name === process.argv[2]);
if (peer === undefined) throw new Error(`no library "${process.argv[2]}" (wakit, Baileys)`);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run node with --expose-gc');

const send = (message: FromChild) => process.send?.(message);
const scans = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextScan = 0;
const profiler = await RoundProfiler.open(process.env.BENCH_PROFILE);
let profiledMessages = 0;
let devices: { sender: Messenger; receiver: Messenger } | undefined;
const linked = () => {
  if (devices === undefined) throw new Error('not linked yet');
  return devices;
};

const operations: { [K in Operation]: (args: Operations[K]['args']) => Promise<Operations[K]['value']> } = {
  async link({ url, rootPublicKey, phoneNumbers }) {
    const linker = {
      url,
      rootPublicKey: new Uint8Array(Buffer.from(rootPublicKey, 'hex')),
      scan: (phoneNumber: string, qr: string) =>
        new Promise<string>((resolve, reject) => {
          nextScan += 1;
          scans.set(nextScan, { resolve: () => resolve(phoneNumber), reject });
          send({ kind: 'scan', id: nextScan, phoneNumber, qr });
        }),
    };
    devices = {
      sender: await peer.link(linker, phoneNumbers[0]),
      receiver: await peer.link(linker, phoneNumbers[1]),
    };
    // tsx turns source maps on for its TypeScript; with them on, every `error.stack` read maps each
    // frame, about 3.4x the cost of a plain one (measured here: 10,000 reads, 1,226 ms against 363).
    // Baileys reads a stack on every query and send (`promiseTimeout` in lib/Utils/generics.js), a
    // cost plain `node` on its built JavaScript never pays. The profile summary still maps
    // positions: the maps of loaded modules stay available to `findSourceMap`.
    process.setSourceMapsEnabled(false);
    return null;
  },
  async warm({ messages, window }) {
    const { sender, receiver } = linked();
    // The sessions both ways (usync, prekey bundles, the first pkmsg), then the JIT: the first timed
    // round was still 1.5-2x slower per message, client and server, after an untimed 200.
    await latency(sender, receiver, 1);
    await latency(receiver, sender, 1);
    await throughput(sender, receiver, messages, window);
    return null;
  },
  async throughput({ messages, window }) {
    const { sender, receiver } = linked();
    const run = () => throughput(sender, receiver, messages, window);
    if (profiler === undefined) return run();
    profiledMessages += messages;
    return profiler.record(peer.name, run);
  },
  latency: ({ samples }) => latency(linked().sender, linked().receiver, samples),
  async settle({ ms }) {
    await sleep(ms);
    gc();
    return null;
  },
  async close() {
    if (profiler !== undefined) {
      profiler.print(peer.name, profiledMessages, Number(process.env.BENCH_PROFILE_TOP ?? 25));
      await profiler.close();
    }
    if (devices !== undefined) await Promise.all([devices.sender.close(), devices.receiver.close()]);
    return null;
  },
};

process.on('message', (message: ToChild) => {
  if (message.kind === 'scanned') {
    const waiter = scans.get(message.id);
    scans.delete(message.id);
    if (message.error === undefined) waiter?.resolve();
    else waiter?.reject(new Error(`the phone's scan failed: ${message.error}`));
    return;
  }
  const run = operations[message.op] as (args: unknown) => Promise<unknown>;
  run(message.args).then(
    (value) => {
      const result: FromChild = { kind: 'result', id: message.id, value };
      // Baileys leaves timers behind after end() (see the README's "Odd things"): once closed, the
      // process lets go of the channel after the answer is out, and exits.
      if (message.op === 'close') process.send?.(result, () => process.disconnect());
      else send(result);
    },
    (error: unknown) => send({ kind: 'result', id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready' });
