/**
 * `npm run bench -w @wakit/e2e`: the two measurements of the client/server benchmark issue, wakit
 * against Baileys 7.0.0-rc14 in the same run, both talking to @wakit/server over loopback
 * WebSockets. The server runs in a child process (`server-child.ts`), so neither its CPU time nor
 * its memory is counted against the clients.
 *
 * 1. Handshake + login per second. Devices are linked once beforehand; one operation is then a
 *    new connection (Noise handshake, login ClientPayload, `<success>`) up to the event each library
 *    calls logged in, followed by a close (see `peers.ts` for what each side does in between). Run
 *    one at a time and 8 at once, timed two ways: per CPU second of this (client) process with the
 *    shared harness (interleaved rounds, median), and per wall-clock second, which also pays for the
 *    server and the round trips (the same interleaving and median, by hand).
 * 2. Memory per idle logged-in client: BENCH_CLIENTS (default 200) devices, each with its own store,
 *    linked and logged in by one process with the defaults (keepalive on), then the growth of
 *    heapUsed and external memory between forced GCs before and after, divided by the count.
 *
 * Knobs: BENCH_TIME_MS (CPU ms per case per round, as everywhere), BENCH_WALL_MS (wall ms per case
 * per round, default 1000), BENCH_CLIENTS, BENCH_ONLY=login|memory. Needs `--expose-gc`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchCase, benchGroup, type CaseResult, recordResults } from '../../../bench.shared';
import { baileys, type Device, type Peer, wakit } from './peers';
import { type ServerProcess, startServerProcess } from './server-process';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const CONCURRENT = 8;
const WALL_MS = Number(process.env.BENCH_WALL_MS ?? 1000);
const WALL_ROUNDS = 5;
/** After the last login of the memory run: lets the post-login IQs of every client finish. */
const SETTLE_MS = 2000;
const ONLY = process.env.BENCH_ONLY;

const gc = globalThis.gc;
if (gc === undefined) throw new Error('run node with --expose-gc (the npm script does)');

let nextPhone = 15550000000;
const phoneNumber = () => String(nextPhone++);

/** Pairs `count` devices of `peer`, `CONCURRENT` at a time; all are left logged in. */
async function pairMany(server: ServerProcess, peer: Peer, count: number): Promise<Device[]> {
  const devices: Device[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      devices.push(await peer.pair(server, phoneNumber()));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, count) }, worker));
  return devices;
}

const cycle = async (device: Device) => {
  await device.login();
  await device.close();
};

/** Like `benchGroup`, timed on the wall clock: interleaved rounds of WALL_MS per case, median. */
async function wallGroup(title: string, cases: BenchCase[], baseline: string): Promise<CaseResult[]> {
  const runFor = async (fn: () => unknown, ms: number) => {
    let ops = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      await fn();
      ops += 1;
    }
    return (ops * 1000) / (performance.now() - start);
  };
  for (const c of cases) await runFor(c.fn, Math.min(WALL_MS, 300));
  const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < WALL_ROUNDS; round++) {
    for (const c of cases) samples.get(c.name)!.push(await runFor(c.fn, WALL_MS));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const base = median(samples.get(baseline)!);
  const results = cases.map((c) => {
    const opsPerSec = median(samples.get(c.name)!);
    return { name: c.name, opsPerSec, ratio: opsPerSec / base };
  });
  console.log(`\n${title}`);
  console.table(
    Object.fromEntries(
      results.map((r) => [
        r.name,
        { 'ops/s': r.opsPerSec.toFixed(1), [`vs ${baseline}`]: `${r.ratio.toFixed(2)}x` },
      ]),
    ),
  );
  return results;
}

async function loginBench(server: ServerProcess): Promise<Record<string, CaseResult[]>> {
  const peers = [
    wakit(),
    wakit({ freshClient: true }),
    baileys({ initQueries: false }),
    baileys({ until: 'success', initQueries: false }),
  ];
  const baseline = peers[2]!.name;
  const sequential: BenchCase[] = [];
  const concurrent: BenchCase[] = [];
  const all: Device[] = [];
  for (const peer of peers) {
    const devices = await pairMany(server, peer, CONCURRENT + 1);
    all.push(...devices);
    await Promise.all(devices.map((d) => d.close()));
    const [one, ...eight] = devices;
    sequential.push({ name: peer.name, fn: () => cycle(one!) });
    concurrent.push({ name: peer.name, fn: () => Promise.all(eight.map(cycle)) });
  }
  const groups: Record<string, CaseResult[]> = {};
  const note = `(one op = ${CONCURRENT} logins at once)`;
  groups['login, one at a time, per client CPU second'] = await benchGroup(
    'Handshake + login + close, one at a time: ops per CPU second of the client process',
    sequential,
    baseline,
  );
  groups[`login, ${CONCURRENT} at once, per client CPU second`] = await benchGroup(
    `Handshake + login + close, ${CONCURRENT} at once ${note}: ops per CPU second of the client process`,
    concurrent,
    baseline,
  );
  groups['login, one at a time, per wall second'] = await wallGroup(
    'Handshake + login + close, one at a time: ops per wall-clock second (server and round trips included)',
    sequential,
    baseline,
  );
  groups[`login, ${CONCURRENT} at once, per wall second`] = await wallGroup(
    `Handshake + login + close, ${CONCURRENT} at once ${note}: ops per wall-clock second`,
    concurrent,
    baseline,
  );
  await Promise.all(all.map((d) => d.close()));
  // The same figures per login (a concurrent op is CONCURRENT logins), side by side.
  const columns = Object.entries(groups).map(([title, results]) => ({
    title: `${title.includes('at once') ? `${CONCURRENT} at once` : '1 at a time'}, ${title.includes('CPU') ? 'per CPU s' : 'per wall s'}`,
    scale: title.includes('at once') ? CONCURRENT : 1,
    results,
  }));
  console.log(`\nSummary: logins per second (ratios are against ${baseline})`);
  console.table(
    Object.fromEntries(
      peers.map(({ name }) => [
        name,
        Object.fromEntries(
          columns.map(({ title, scale, results }) => {
            const r = results.find((x) => x.name === name)!;
            return [title, `${(r.opsPerSec * scale).toFixed(1)} (${r.ratio.toFixed(2)}x)`];
          }),
        ),
      ]),
    ),
  );
  return groups;
}

interface MemoryResult {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  pairMs: number;
}

/** Several full collections, with turns of the event loop between them for finalizers. */
async function collect(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await sleep(20);
  }
  return process.memoryUsage();
}

/** Growth per client (bytes) with `count` idle logged-in devices of `peer` held in this process. */
async function memoryPerClient(server: ServerProcess, peer: Peer, count: number): Promise<MemoryResult> {
  // Warm-up: load and JIT everything a device touches, so the baseline holds the code, not a device.
  // Closed only once settled: Baileys' end() drops the close listeners its pending queries wait on.
  const warm = await pairMany(server, peer, 2);
  await sleep(SETTLE_MS);
  await Promise.all(warm.map((d) => d.close()));
  const before = await collect();
  const start = performance.now();
  const devices = await pairMany(server, peer, count);
  const pairMs = performance.now() - start;
  await sleep(SETTLE_MS);
  const after = await collect();
  await Promise.all(devices.map((d) => d.close()));
  const per = (key: keyof NodeJS.MemoryUsage) => (after[key] - before[key]) / count;
  return {
    heapUsed: per('heapUsed'),
    external: per('external'),
    arrayBuffers: per('arrayBuffers'),
    rss: per('rss'),
    pairMs,
  };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

async function memoryBench(server: ServerProcess): Promise<void> {
  const peers = [wakit(), baileys({ name: 'Baileys' })];
  const results = new Map<string, MemoryResult>();
  for (const peer of peers) results.set(peer.name, await memoryPerClient(server, peer, CLIENTS));
  const base = results.get(peers[1]!.name)!;
  const total = (r: MemoryResult) => r.heapUsed + r.external;
  console.log(
    `\nMemory per idle logged-in client, ${CLIENTS} in one process (KiB each; external includes arrayBuffers)`,
  );
  console.table(
    Object.fromEntries(
      [...results].map(([name, r]) => [
        name,
        {
          heapUsed: kib(r.heapUsed),
          external: kib(r.external),
          arrayBuffers: kib(r.arrayBuffers),
          'heap + external': kib(total(r)),
          'heap + external + arrayBuffers': kib(total(r) + r.arrayBuffers),
          rss: kib(r.rss),
          [`vs ${peers[1]!.name}`]: `${(total(r) / total(base)).toFixed(2)}x`,
          [`pairing ${CLIENTS} (s)`]: (r.pairMs / 1000).toFixed(1),
        },
      ]),
    ),
  );
  const ours = total(results.get(peers[0]!.name)!);
  console.log(
    `wakit: ${kib(ours)} KiB per client; goal <= 1024 KiB: ${ours <= 1024 * 1024 ? 'met' : 'NOT met'}`,
  );
}

const server = await startServerProcess();
try {
  if (ONLY !== 'memory') recordResults('e2e', await loginBench(server));
  if (ONLY !== 'login') await memoryBench(server);
} finally {
  await server.close();
}
// Every client, socket and the server child are closed now. What may remain are Baileys' own
// timers: each prekey upload races a 30-second UPLOAD_TIMEOUT timer it never clears
// (lib/Socket/socket.js, uploadPreKeys), which would hold the process open for up to 30 s.
process.exit(0);
