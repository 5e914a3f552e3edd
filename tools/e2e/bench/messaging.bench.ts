/**
 * `npm run bench:messaging -w @wakit/e2e`: 1:1 text messages end to end through @wakit/server,
 * wakit <-> wakit against Baileys 7.0.0-rc14 <-> Baileys in the same run, on the same server. The
 * server runs in a child process (`server-child.ts`), and so does each library (`messaging-child.ts`:
 * its two devices, a sender and a receiver of two accounts, each account with a virtual phone as
 * device 0), so no process's CPU time, garbage or promise hooks count against another's; this
 * process only orchestrates. See `messaging-measure.ts` for the exact rules.
 *
 * 1. Throughput: BENCH_MESSAGES (default 500) messages from one account to the other, pipelined
 *    with at most BENCH_WINDOW (default 32) in flight, timed from the first send to the receiver's
 *    event for the last one; messages per wall second and per CPU second of the library's process
 *    (which holds both the sender and the receiver). BENCH_ROUNDS (default 7) interleaved rounds, median.
 * 2. Latency: one message at a time, send call -> receiver's event, BENCH_SAMPLES (default 200)
 *    samples per library taken in the same interleaved rounds; p50/p90/p99/max.
 *
 * Before timing, the sessions are warmed (a first message each way, which starts the Signal
 * sessions and fills the device caches) and each library runs one untimed throughput round.
 * Ratios are wakit / Baileys in messages per second (for latency: Baileys' time / wakit's time),
 * so above 1 means wakit is faster. Results go to `.bench-results/e2e-messaging.json`.
 */
import { loadavg } from 'node:os';
import { type CaseResult, recordResults } from '../../../bench.shared';
import { type ClientProcess, startClientProcess } from './messaging-client-process';
import { quantile, type ThroughputRun } from './messaging-measure';
import { startServerProcess } from './server-process';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 500);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
/** `wakit` or `Baileys`: run one library alone (for a CPU profile); no ratios are printed then. */
const ONLY = process.env.BENCH_ONLY;
// BENCH_PROFILE=<dir> and BENCH_PROFILE_TOP reach the client processes through the environment
// (`messaging-child.ts`, `messaging-profile.ts`).
/**
 * Pause after each case: receipts and acks of the last messages are still being handled when the
 * receiver's last event fires; then a full collection, so each case starts on a clean heap (without
 * it the per-round CPU figures swung by up to 2x).
 */
const SETTLE_MS = 300;

interface Contender {
  client: ClientProcess;
  runs: ThroughputRun[];
  /** Server child CPU ms per message of each throughput round, trailing receipts included. */
  serverCpuPerMessage: number[];
  latencies: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** The libraries, by the names `messaging-peers.ts` gives them; the ratios are against the last. */
const LIBRARIES = ['wakit', 'Baileys'];
const BASELINE = 'Baileys';

/** A latency figure as recorded: `ms`, plus the one-at-a-time rate it implies, for the ratio. */
interface LatencyResult extends CaseResult {
  ms: number;
}

function report(contenders: Contender[]): Record<string, CaseResult[]> {
  // Alone (BENCH_ONLY), a library is its own baseline: every ratio is 1.
  const base = contenders.find((c) => c.client.name === BASELINE) ?? contenders[0]!;
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
      name: c.client.name,
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
      return { name: c.client.name, ms, opsPerSec: 1000 / ms, ratio: quantile(base.latencies, q) / ms };
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
        c.client.name,
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
        c.client.name,
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
  let phone = 15550100000;
  const contenders: Contender[] = [];
  const names = LIBRARIES.filter((n) => ONLY === undefined || n === ONLY);
  if (names.length === 0) throw new Error(`BENCH_ONLY=${ONLY} names no library (wakit, Baileys)`);
  const rootPublicKey = Buffer.from(server.rootPublicKey).toString('hex');
  for (const name of names) {
    const client = await startClientProcess(name, server);
    contenders.push({ client, runs: [], serverCpuPerMessage: [], latencies: [] });
    await client.call('link', {
      url: server.url,
      rootPublicKey,
      phoneNumbers: [String(phone++), String(phone++)],
    });
  }
  const settle = (c: Contender) => c.client.call('settle', { ms: SETTLE_MS });
  for (const c of contenders) {
    await c.client.call('warm', { messages: MESSAGES, window: WINDOW });
    await settle(c);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const serverBefore = await server.cpuMs();
      c.runs.push(await c.client.call('throughput', { messages: MESSAGES, window: WINDOW }));
      await settle(c);
      c.serverCpuPerMessage.push(((await server.cpuMs()) - serverBefore) / MESSAGES);
    }
    for (const c of contenders) {
      const share = Math.floor(SAMPLES / ROUNDS) + (round < SAMPLES % ROUNDS ? 1 : 0);
      c.latencies.push(...(await c.client.call('latency', { samples: share })));
      await settle(c);
    }
    const figures = contenders.map((c) => {
      const run = c.runs.at(-1)!;
      const client = `${(run.cpuMs / run.count).toFixed(2)} (system ${(run.systemMs / run.count).toFixed(2)})`;
      return `${c.client.name} ${(run.wallMs / 1000).toFixed(2)} s, CPU ms per msg: client ${client}, server ${c.serverCpuPerMessage.at(-1)!.toFixed(2)}`;
    });
    // The machine's load says how much the wall figures of the round can be trusted.
    console.log(`round ${round + 1}/${ROUNDS}: ${figures.join('; ')} (load ${loadavg()[0]!.toFixed(1)})`);
  }
  recordResults('e2e-messaging', report(contenders));
  // One at a time: each prints its profile summary (BENCH_PROFILE) as it closes.
  for (const c of contenders) await c.client.close();
  await server.close();
}

await main();
