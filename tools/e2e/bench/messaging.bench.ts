/**
 * `npm run bench:messaging -w @wakit/e2e`: 1:1 text messages end to end through @wakit/server,
 * wakit <-> wakit against Baileys 7.0.0-rc14 <-> Baileys in the same run, on the same server. The
 * server runs in a child process (`server-child.ts`), so its CPU time is not counted against the
 * clients; all four clients (two accounts per library, each with a virtual phone as device 0) live
 * in this process. See `messaging-measure.ts` for the exact rules.
 *
 * 1. Throughput: BENCH_MESSAGES (default 500) messages from one account to the other, pipelined
 *    with at most BENCH_WINDOW (default 32) in flight, timed from the first send to the receiver's
 *    event for the last one; messages per wall second and per CPU second of this process (which
 *    holds both the sender and the receiver). BENCH_ROUNDS (default 5) interleaved rounds, median.
 * 2. Latency: one message at a time, send call -> receiver's event, BENCH_SAMPLES (default 200)
 *    samples per library taken in the same interleaved rounds; p50/p90/p99/max.
 *
 * Before timing, the sessions are warmed (a first message each way, which starts the Signal
 * sessions and fills the device caches) and each library runs one untimed throughput round (the
 * first timed round was still 1.5-2x slower in CPU per message, client and server, after an
 * untimed round of 200 messages).
 * Ratios are wakit / Baileys in messages per second (for latency: Baileys' time / wakit's time),
 * so above 1 means wakit is faster. Results go to `.bench-results/e2e-messaging.json`.
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CaseResult, recordResults } from '../../../bench.shared';
import { latency, quantile, type ThroughputRun, throughput } from './messaging-measure';
import { baileysMessaging, type MessagingPeer, type Messenger, wakitMessaging } from './messaging-peers';
import { RoundProfiler } from './messaging-profile';
import { startServerProcess } from './server-process';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 500);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
/** `wakit` or `Baileys`: run one library alone (for a CPU profile); no ratios are printed then. */
const ONLY = process.env.BENCH_ONLY;
/**
 * A folder: profile the timed throughput rounds and print where the time went (`messaging-profile.ts`),
 * BENCH_PROFILE_TOP (default 25) rows per table.
 */
const PROFILE = process.env.BENCH_PROFILE;
/**
 * Pause after each timed case: receipts and acks of the last messages are still being handled
 * when the receiver's last event fires; they must not land in the next case's CPU time.
 */
const SETTLE_MS = 300;

interface Contender {
  peer: MessagingPeer;
  sender: Messenger;
  receiver: Messenger;
  runs: ThroughputRun[];
  /** Server child CPU ms per message of each throughput round, trailing receipts included. */
  serverCpuPerMessage: number[];
  latencies: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const BASELINE = baileysMessaging.name;

/** A latency figure as recorded: `ms`, plus the one-at-a-time rate it implies, for the ratio. */
interface LatencyResult extends CaseResult {
  ms: number;
}

function report(contenders: Contender[]): Record<string, CaseResult[]> {
  // Alone (BENCH_ONLY), a library is its own baseline: every ratio is 1.
  const base = contenders.find((c) => c.peer.name === BASELINE) ?? contenders[0]!;
  const spent = {
    wall: (r: ThroughputRun) => r.wallMs,
    cpu: (r: ThroughputRun) => r.cpuMs,
    user: (r: ThroughputRun) => r.cpuMs - r.systemMs,
  };
  const rate = (c: Contender, per: keyof typeof spent) =>
    median(c.runs.map((r) => (r.count * 1000) / spent[per](r)));
  const groups: Record<string, CaseResult[]> = {};
  for (const [title, per] of [
    ['throughput, per wall second', 'wall'],
    ['throughput, per client CPU second', 'cpu'],
    // Without the kernel's share: syscalls are expensive on the machines this ran on (see README).
    ['throughput, per client user-CPU second', 'user'],
  ] as const) {
    groups[title] = contenders.map((c) => ({
      name: c.peer.name,
      opsPerSec: rate(c, per),
      ratio: rate(c, per) / rate(base, per),
    }));
  }
  const quantiles = [
    ['p50', 0.5],
    ['p90', 0.9],
    ['p99', 0.99],
    ['max', 1],
  ] as const;
  for (const [label, q] of quantiles) {
    groups[`latency ${label}`] = contenders.map((c): LatencyResult => {
      const ms = quantile(c.latencies, q);
      return { name: c.peer.name, ms, opsPerSec: 1000 / ms, ratio: quantile(base.latencies, q) / ms };
    });
  }

  const wall = groups['throughput, per wall second']!;
  const cpu = groups['throughput, per client CPU second']!;
  const user = groups['throughput, per client user-CPU second']!;
  console.log(
    `\nThroughput: ${MESSAGES} messages, at most ${WINDOW} in flight, send -> receiver's event, ` +
      `median of ${ROUNDS} rounds (ratio: vs ${BASELINE})`,
  );
  console.table(
    Object.fromEntries(
      contenders.map((c, i) => [
        c.peer.name,
        {
          'msgs per wall s': `${wall[i]!.opsPerSec.toFixed(1)} (${wall[i]!.ratio.toFixed(2)}x)`,
          'msgs per client CPU s': `${cpu[i]!.opsPerSec.toFixed(1)} (${cpu[i]!.ratio.toFixed(2)}x)`,
          'msgs per client user-CPU s': `${user[i]!.opsPerSec.toFixed(1)} (${user[i]!.ratio.toFixed(2)}x)`,
          'client CPU ms per msg (system)': `${(1000 / cpu[i]!.opsPerSec).toFixed(2)} (${median(c.runs.map((r) => r.systemMs / r.count)).toFixed(2)})`,
          'server CPU ms per msg': median(c.serverCpuPerMessage).toFixed(2),
          'wall s per round': c.runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(' '),
        },
      ]),
    ),
  );
  console.log(
    `\nLatency: one message at a time, send -> receiver's event, ${SAMPLES} samples each, ms ` +
      `(ratio: ${BASELINE}'s time / this one's, above 1 is faster)`,
  );
  console.table(
    Object.fromEntries(
      contenders.map((c, i) => [
        c.peer.name,
        Object.fromEntries(
          quantiles.map(([label]) => {
            const r = groups[`latency ${label}`]![i] as LatencyResult;
            return [label, `${r.ms.toFixed(2)} (${r.ratio.toFixed(2)}x)`];
          }),
        ),
      ]),
    ),
  );
  return groups;
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const profiler = await RoundProfiler.open(PROFILE);
  let phone = 15550100000;
  const contenders: Contender[] = [];
  const peers = [wakitMessaging, baileysMessaging].filter((p) => ONLY === undefined || p.name === ONLY);
  if (peers.length === 0) throw new Error(`BENCH_ONLY=${ONLY} names no library (wakit, Baileys)`);
  for (const peer of peers) {
    const sender = await peer.link(server, String(phone++));
    const receiver = await peer.link(server, String(phone++));
    contenders.push({ peer, sender, receiver, runs: [], serverCpuPerMessage: [], latencies: [] });
  }
  // tsx turns source maps on for its TypeScript; with them on, every `error.stack` read maps each
  // frame, about 3.4x the cost of a plain one (measured here: 10,000 reads, 1,226 ms against 363).
  // Baileys reads a stack on every query and send (`promiseTimeout` in lib/Utils/generics.js), so
  // it would pay a cost that plain `node` on its built JavaScript never does. The profile summary
  // still maps positions: the maps of loaded modules stay available to `findSourceMap`.
  process.setSourceMapsEnabled(false);
  for (const c of contenders) {
    // Warm the sessions both ways (usync, prekey bundles, the first pkmsg), then the JIT.
    await latency(c.sender, c.receiver, 1);
    await latency(c.receiver, c.sender, 1);
    await throughput(c.sender, c.receiver, MESSAGES, WINDOW);
    await sleep(SETTLE_MS);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const serverBefore = await server.cpuMs();
      const run = () => throughput(c.sender, c.receiver, MESSAGES, WINDOW);
      c.runs.push(await (profiler === undefined ? run() : profiler.record(c.peer.name, run)));
      await sleep(SETTLE_MS);
      c.serverCpuPerMessage.push(((await server.cpuMs()) - serverBefore) / MESSAGES);
    }
    for (const c of contenders) {
      const share = Math.floor(SAMPLES / ROUNDS) + (round < SAMPLES % ROUNDS ? 1 : 0);
      c.latencies.push(...(await latency(c.sender, c.receiver, share)));
      await sleep(SETTLE_MS);
    }
    const figures = contenders.map((c) => {
      const run = c.runs.at(-1)!;
      const client = `${(run.cpuMs / run.count).toFixed(2)} (system ${(run.systemMs / run.count).toFixed(2)})`;
      return `${c.peer.name} ${(run.wallMs / 1000).toFixed(2)} s, CPU ms per msg: client ${client}, server ${c.serverCpuPerMessage.at(-1)!.toFixed(2)}`;
    });
    // The machine's load says how much the wall figures of the round can be trusted.
    console.log(`round ${round + 1}/${ROUNDS}: ${figures.join('; ')} (load ${loadavg()[0]!.toFixed(1)})`);
  }
  recordResults('e2e-messaging', report(contenders));
  if (profiler !== undefined) {
    const top = Number(process.env.BENCH_PROFILE_TOP ?? 25);
    for (const c of contenders) profiler.print(c.peer.name, MESSAGES * ROUNDS, top);
    await profiler.close();
  }
  for (const c of contenders) await Promise.all([c.sender.close(), c.receiver.close()]);
  await server.close();
}

await main();
// Baileys leaves timers behind after end() (see the README's "Odd things"); everything is closed.
process.exit(0);
