/**
 * One library's sender process in the group send benchmark (`group-send.bench.ts` forks it with the
 * library's name as its argument): one linked sender device, its groups, and the timed sends. One
 * process per library, as in the messaging benchmark (`messaging-child.ts` says why: Baileys' promise
 * hooks and each library's garbage stay in its own process). It asks the parent for QR scans
 * (`scan`), which go to the server child's phones.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { serveParent } from './group-send-ipc';
import { type Around, coldSends, primeSend, type SendSample, warmSends } from './group-send-measure';
import { baileysGroupSend, type GroupSender, wakitGroupSend } from './group-send-peers';
import { RoundProfiler } from './messaging-profile';

/** The operations of a sender process. */
export type SenderOperations = {
  link: { args: { url: string; rootPublicKey: string; phoneNumber: string }; value: null };
  /**
   * Creates the warm group of `members` and sends its first message, untimed: new sessions with
   * every device (X3DH) and the first distribution; resolves with that send's sample.
   */
  start: { args: { members: string[] }; value: { group: string; first: { wallMs: number; cpuMs: number } } };
  /** Waits until `count` 1:1 texts from the members' phones (session acknowledgements) arrived. */
  received: { args: { count: number }; value: null };
  /** One untimed send of the kind (`primeSend`), before a case. */
  prime: { args: { kind: 'warm' | 'cold' }; value: null };
  warm: { args: { samples: number }; value: SendSample[] };
  cold: { args: { samples: number }; value: SendSample[] };
  /** Waits `ms` (the released receipts), then collects all garbage. */
  settle: { args: { ms: number }; value: null };
  /** Prints the profile summary (BENCH_PROFILE), closes the sender; the process then exits. */
  close: { args: undefined; value: null };
};

/** What the sender process asks the parent. */
export type SenderRequests = { scan: { args: { phoneNumber: string; qr: string }; value: string } };

const peer = [wakitGroupSend, baileysGroupSend].find((p) => p.name === process.argv[2]);
if (peer === undefined) throw new Error(`no library "${process.argv[2]}" (wakit, Baileys)`);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run node with --expose-gc');

const profiler = await RoundProfiler.open(process.env.BENCH_PROFILE);
const profiledSends = new Map<string, number>();
let sender: GroupSender | undefined;
let members: string[] = [];
let warmGroup = '';
const linked = () => {
  if (sender === undefined) throw new Error('not linked yet');
  return sender;
};
/** The profiler around the timed sends of case `kind` (BENCH_PROFILE), summarised per case. */
const around =
  (kind: string, samples: number): Around =>
  (timed) => {
    if (profiler === undefined) return timed();
    profiledSends.set(kind, (profiledSends.get(kind) ?? 0) + samples);
    return profiler.record(`${peer.name}-${kind}`, timed);
  };

const ask = serveParent<SenderOperations, SenderRequests>({
  async link({ url, rootPublicKey, phoneNumber }) {
    sender = await peer.link(
      {
        url,
        rootPublicKey: new Uint8Array(Buffer.from(rootPublicKey, 'hex')),
        scan: (number, qr) => ask('scan', { phoneNumber: number, qr }),
      },
      phoneNumber,
    );
    // As in the messaging benchmark (messaging-child.ts): tsx's source maps make every stack read
    // 3.4x dearer, and Baileys reads one on every send, which plain node never pays.
    process.setSourceMapsEnabled(false);
    return null;
  },
  async start(args) {
    members = args.members;
    warmGroup = await linked().createGroup('warm', members);
    const cpu = process.cpuUsage();
    const start = performance.now();
    await linked().send(warmGroup, 'first');
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { group: warmGroup, first: { wallMs, cpuMs: (used.user + used.system) / 1000 } };
  },
  async received({ count }) {
    await linked().received(count);
    return null;
  },
  async prime({ kind }) {
    await primeSend(linked(), kind, warmGroup, members);
    return null;
  },
  warm: ({ samples }) => warmSends(linked(), warmGroup, samples, around('warm', samples)),
  // Each cold send is recorded alone (its group's creation is not timed), so it counts one.
  cold: ({ samples }) => coldSends(linked(), members, samples, around('cold', 1)),
  async settle({ ms }) {
    await sleep(ms);
    gc();
    return null;
  },
  async close() {
    if (profiler !== undefined) {
      for (const [kind, sends] of profiledSends)
        profiler.print(`${peer.name}-${kind}`, sends, Number(process.env.BENCH_PROFILE_TOP ?? 25));
      await profiler.close();
    }
    await sender?.close();
    return null;
  },
});
