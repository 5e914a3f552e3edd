/**
 * `npm run bench:groups -w @wakit/e2e`: a group send to 256 participant devices, warm (our sender
 * key already distributed: one `skmsg`, no SKDM) and cold (a new sender key: one `skmsg` and a
 * pairwise SKDM to each of the 256 devices), wakit against Baileys 7.0.0-rc14 on the same
 * @wakit/server, in one run. The issue's anchors: whatsapp-rust reports 58 µs warm and 1.2 ms cold
 * for 256 devices, in Rust, without a network; the goal is within 5x of those and 3x Baileys.
 *
 * Processes: the server child (`group-send-server.ts`, with the members' phones) and one sender
 * process per library (`group-send-child.ts`); this one orchestrates. The group: the sender's
 * account (the sending companion and its phone) and BENCH_DEVICES - 1 member accounts of one device
 * each (their phones), so a distribution goes to BENCH_DEVICES devices: every member's phone and
 * the sender's own phone.
 *
 * Before timing, per library: the warm group is created and its first message sent (new sessions
 * with every device, X3DH: reported once, as "first send"), then every phone answers the sender
 * 1:1, so every session is acknowledged and later SKDMs are `msg`, as between people who talk.
 * What is timed: each send from the call to the server's ack (see `group-send-measure.ts`), CPU of
 * the sender process and wall; the server child's CPU is shown for reference. Not timed: creating a
 * cold send's new group, the delivery receipts (held by the server while a case runs, delivered
 * between cases), the members' decryption (on the server). BENCH_ROUNDS (default 7) interleaved
 * rounds of BENCH_WARM (default 40) warm and BENCH_COLD (default 16) cold sends per library, each
 * case after an untimed send of its kind (`primeSend`: device lists past their cache time); each
 * figure is the median over the rounds of the round's mean. The server's record of each case is
 * checked: every send one `skmsg`; warm with no SKDM, cold with BENCH_DEVICES `msg` SKDMs; and no IQ
 * but the cold groups' creations. Results go to `.bench-results/e2e-groups.json`.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type CaseResult, recordResults } from '../../../bench.shared';
import type { SenderOperations, SenderRequests } from './group-send-child';
import { type Child, forkChild } from './group-send-ipc';
import type { SendSample } from './group-send-measure';
import type { ServerOperations } from './group-send-server';
import type { SenderReport } from './group-send-world';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARM = Number(process.env.BENCH_WARM ?? 40);
/**
 * 16, not fewer: the full GC after each case (`settle`) makes V8 drop much of both libraries'
 * optimized code (47 functions deoptimized, "weak objects", at one forced GC of wakit's client, 1 at
 * a natural one), so a case's first sends run on code being compiled again. With 4 per case that
 * was most of what a cold round measured (wakit's round means 21-46 ms); with 16 they settle.
 */
const COLD = Number(process.env.BENCH_COLD ?? 16);
/** `wakit` or `Baileys`: one library alone (for a CPU profile); no ratios then. */
const ONLY = process.env.BENCH_ONLY;
/** Pause after each case for the released receipts, then a full GC (as in the messaging bench). */
const SETTLE_MS = 300;
/** whatsapp-rust's figures for 256 devices, in µs per send (the anchors). */
const ANCHOR_US = { warm: 58, cold: 1200 } as const;
const LIBRARIES = ['wakit', 'Baileys'];
const BASELINE = 'Baileys';
type Kind = 'warm' | 'cold';

interface Contender {
  name: string;
  phoneNumber: string;
  child: Child<SenderOperations>;
  first: SendSample;
  /** Per kind, per round: the samples, and the server child's CPU ms over the case. */
  rounds: Record<Kind, { samples: SendSample[]; serverCpuMs: number }[]>;
  /** IQs the sender sent in timed cases, beyond the cold groups' creations. */
  strayIqs: Record<string, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Fails unless the server saw `count` sends of `kind` as the benchmark means them. */
function check(
  c: Contender,
  kind: Kind | 'first',
  report: SenderReport,
  count: number,
  countIqs = true,
): void {
  const fail = (what: string) => {
    throw new Error(`${c.name} ${kind}: ${what}; the server saw ${JSON.stringify(report)}`);
  };
  if (report.messages.length !== count) fail(`${report.messages.length} group messages, expected ${count}`);
  for (const m of report.messages) {
    if (!m.skmsg) fail(`message ${m.id} has no skmsg`);
    const types = Object.entries(m.pairwise);
    const expected = kind === 'warm' ? [] : [[kind === 'first' ? 'pkmsg' : 'msg', DEVICES]];
    if (JSON.stringify(types) !== JSON.stringify(expected))
      fail(
        `message ${m.id} carried SKDMs ${JSON.stringify(m.pairwise)}, expected ${JSON.stringify(expected)}`,
      );
  }
  if (!countIqs) return;
  const iqs = { ...report.iqs };
  // A cold case creates a group per send (one w:g2 IQ each, untimed).
  if (kind === 'cold') iqs['w:g2'] = (iqs['w:g2'] ?? 0) - count;
  for (const [xmlns, n] of Object.entries(iqs)) if (n !== 0) c.strayIqs[xmlns] = (c.strayIqs[xmlns] ?? 0) + n;
}

function report(contenders: Contender[]): Record<string, CaseResult[]> {
  const base = contenders.find((c) => c.name === BASELINE) ?? contenders[0]!;
  const perSend = (c: Contender, kind: Kind, per: 'cpuMs' | 'wallMs') =>
    1000 * median(c.rounds[kind].map((r) => mean(r.samples.map((s) => s[per]))));
  const groups: Record<string, CaseResult[]> = {};
  const table: Record<string, Record<string, string>> = {};
  for (const kind of ['warm', 'cold'] as const) {
    for (const per of ['cpuMs', 'wallMs'] as const) {
      const title = `${kind}, per ${per === 'cpuMs' ? 'sender CPU' : 'wall'} second`;
      groups[title] = contenders.map((c) => ({
        name: c.name,
        opsPerSec: 1e6 / perSend(c, kind, per),
        ratio: perSend(base, kind, per) / perSend(c, kind, per),
      }));
    }
    for (const c of contenders) {
      const cpu = perSend(c, kind, 'cpuMs');
      const wall = perSend(c, kind, 'wallMs');
      const server = median(c.rounds[kind].map((r) => (1000 * r.serverCpuMs) / r.samples.length));
      table[`${c.name} ${kind}`] = {
        'µs per send, CPU (vs Baileys)': `${cpu.toFixed(0)} (${(perSend(base, kind, 'cpuMs') / cpu).toFixed(2)}x)`,
        'µs per send, wall (vs Baileys)': `${wall.toFixed(0)} (${(perSend(base, kind, 'wallMs') / wall).toFixed(2)}x)`,
        [`CPU / whatsapp-rust's ${ANCHOR_US[kind]} µs`]: `${(cpu / ANCHOR_US[kind]).toFixed(1)}x`,
        'server CPU µs per send': server.toFixed(0),
        'CPU µs per send, each round': c.rounds[kind]
          .map((r) => (1000 * mean(r.samples.map((s) => s.cpuMs))).toFixed(0))
          .join(' '),
      };
    }
  }
  console.log(
    `\nGroup send to ${DEVICES} devices, send call -> server ack, median of ${ROUNDS} rounds' means ` +
      `(${WARM} warm, ${COLD} cold sends per round; ratio vs ${BASELINE}: above 1 is faster; ` +
      `vs whatsapp-rust: how many times its time)`,
  );
  console.table(table);
  console.log('\nFirst send to the group (new sessions with every device: X3DH, pkmsg SKDMs), once each:');
  console.table(
    Object.fromEntries(
      contenders.map((c) => [
        c.name,
        {
          'ms CPU': c.first.cpuMs.toFixed(1),
          'ms wall': c.first.wallMs.toFixed(1),
          'IQs in timed cases beyond group creation': JSON.stringify(c.strayIqs),
        },
      ]),
    ),
  );
  groups['first send (new sessions), per sender CPU second'] = contenders.map((c) => ({
    name: c.name,
    opsPerSec: 1000 / c.first.cpuMs,
    ratio: base.first.cpuMs / c.first.cpuMs,
  }));
  return groups;
}

async function main(): Promise<void> {
  const server = await forkChild<ServerOperations>(
    'the server child',
    fileURLToPath(new URL('./group-send-server.ts', import.meta.url)),
    [],
  );
  const { url, rootPublicKey } = await server.call('hello', undefined);
  const names = LIBRARIES.filter((n) => ONLY === undefined || n === ONLY);
  if (names.length === 0) throw new Error(`BENCH_ONLY=${ONLY} names no library (wakit, Baileys)`);
  const members = await server.call('addMembers', { firstNumber: 15551000000, count: DEVICES - 1 });
  console.log(`${members.length} member phones (load ${loadavg()[0]!.toFixed(1)})`);
  const contenders: Contender[] = [];
  let phone = 15550900000;
  for (const name of names) {
    const child = await forkChild<SenderOperations, SenderRequests>(
      `the ${name} sender`,
      fileURLToPath(new URL('./group-send-child.ts', import.meta.url)),
      [name],
      { scan: (args) => server.call('scan', args) },
    );
    const phoneNumber = String(phone++);
    await child.call('link', { url, rootPublicKey, phoneNumber });
    await server.call('watch', { phoneNumber });
    const { first } = await child.call('start', { members });
    const c: Contender = { name, phoneNumber, child, first, rounds: { warm: [], cold: [] }, strayIqs: {} };
    check(c, 'first', await server.call('takeReport', { phoneNumber }), 1, false);
    await server.call('acknowledgeSessions', { phoneNumber, members });
    await child.call('received', { count: members.length + 1 });
    await server.call('releaseReceipts', { phoneNumber });
    await child.call('settle', { ms: SETTLE_MS });
    contenders.push(c);
    console.log(`${name}: linked, first send ${first.cpuMs.toFixed(1)} ms CPU, sessions acknowledged`);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const line: string[] = [];
    for (const kind of ['warm', 'cold'] as const) {
      for (const c of contenders) {
        const { phoneNumber } = c;
        await c.child.call('prime', { kind });
        // The priming send may refresh device lists: its IQs are not counted.
        const primed = await server.call('takeReport', { phoneNumber });
        check(c, kind, primed, 1, false);
        const serverBefore = await server.call('usage', undefined);
        const samples = await c.child.call(kind, { samples: kind === 'warm' ? WARM : COLD });
        const serverCpuMs = (await server.call('usage', undefined)) - serverBefore;
        const seen = await server.call('takeReport', { phoneNumber });
        check(c, kind, seen, samples.length);
        c.rounds[kind].push({ samples, serverCpuMs });
        await server.call('releaseReceipts', { phoneNumber });
        await c.child.call('settle', { ms: SETTLE_MS });
        line.push(`${c.name} ${kind} ${(1000 * mean(samples.map((s) => s.cpuMs))).toFixed(0)} µs`);
      }
    }
    console.log(
      `round ${round + 1}/${ROUNDS}: CPU per send ${line.join(', ')} (load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  recordResults('e2e-groups', report(contenders));
  for (const c of contenders) await c.child.close();
  await server.close();
}

await main();
