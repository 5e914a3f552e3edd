/**
 * `npm run bench -w @wakit/signal`: the four workloads of issue 4, each in one run against
 * libsignal@6.0.0 (Baileys' sender-key port for groups) and whatsapp-rust-bridge@0.5.5, with wakit
 * on the node provider and the node:crypto floor (floor.ts: the OpenSSL calls alone). Each
 * implementation runs on two stores (peers.ts): in memory (libsignal's record objects as they are,
 * its fastest case and the baseline; the bridge's and wakit's record bytes, handed back as they
 * were given) and SQLite, as a database keeps records (a copy in, a fresh copy out; libsignal's as
 * the JSON Baileys stores). Every case first checks that the plaintext comes back, so every row
 * measures real work. One operation = one message encrypted and decrypted (or one session set up
 * and its first message decrypted). After each table: the issue's targets as rates, and the SQLite
 * rows against each other.
 */
import { randomBytes } from 'node:crypto';
import { type BenchCase, benchGroup, type CaseResult, recordResults } from '../../../bench.shared';
import { nodeCryptoFloor } from './floor';
import {
  HELLO,
  type Implementation,
  libsignalNode,
  libsignalSqlite,
  rustBridge,
  rustBridgeSqlite,
  wakit,
  wakitSqlite,
} from './peers';

const IMPLEMENTATIONS: Implementation[] = [
  libsignalNode,
  libsignalSqlite,
  rustBridge,
  rustBridgeSqlite,
  wakit,
  wakitSqlite,
  nodeCryptoFloor,
];
/** Issue 4's targets: at least this many times libsignal's and the bridge's rate on every workload. */
const TARGET_VS_LIBSIGNAL = 3;
const TARGET_VS_BRIDGE = 1.5;
const PLAINTEXT = new Uint8Array(randomBytes(160));
const groups: Record<string, CaseResult[]> = {};

/** `op`, after checking once that it returns `expected`, so no row measures a failing shortcut. */
async function checked(
  name: string,
  op: () => Promise<Uint8Array>,
  expected: Uint8Array,
): Promise<() => Promise<Uint8Array>> {
  if (Buffer.compare(Buffer.from(await op()), Buffer.from(expected)) !== 0) {
    throw new Error(`${name}: the plaintext did not come back`);
  }
  return op;
}

async function group(
  title: string,
  make: (impl: Implementation) => Promise<() => Promise<Uint8Array>>,
  expected = PLAINTEXT,
) {
  const cases: BenchCase[] = [];
  for (const impl of IMPLEMENTATIONS) {
    cases.push({ name: impl.name, fn: await checked(impl.name, await make(impl), expected) });
  }
  const results = await benchGroup(title, cases, libsignalNode.name);
  groups[title] = results;
  printTargets(results);
  printStores(results);
}

/** wakit on SQLite against the others on SQLite, and what SQLite costs each against its memory row. */
function printStores(results: CaseResult[]) {
  const rate = (name: string) => results.find((r) => r.name === name)!.opsPerSec;
  const ours = rate(wakitSqlite.name);
  console.log(
    `SQLite: wakit ${(ours / rate(libsignalSqlite.name)).toFixed(2)}x libsignal, ${(ours / rate(rustBridgeSqlite.name)).toFixed(2)}x the bridge; ` +
      `each on SQLite against its memory row: wakit ${(ours / rate(wakit.name)).toFixed(2)}, ` +
      `libsignal ${(rate(libsignalSqlite.name) / rate(libsignalNode.name)).toFixed(2)}, ` +
      `the bridge ${(rate(rustBridgeSqlite.name) / rate(rustBridge.name)).toFixed(2)}`,
  );
}

/**
 * The targets as rates, next to wakit's and the floor's: a target above the floor's rate cannot be
 * met by any code on these primitives (see floor.ts).
 */
function printTargets(results: CaseResult[]) {
  const rate = (name: string) => results.find((r) => r.name === name)!.opsPerSec;
  const targets = [
    { name: `${TARGET_VS_LIBSIGNAL}x libsignal`, opsPerSec: TARGET_VS_LIBSIGNAL * rate(libsignalNode.name) },
    { name: `${TARGET_VS_BRIDGE}x the bridge`, opsPerSec: TARGET_VS_BRIDGE * rate(rustBridge.name) },
  ];
  const ours = rate(wakit.name);
  const floor = rate(nodeCryptoFloor.name);
  for (const target of targets) {
    const verdict =
      ours >= target.opsPerSec
        ? 'met'
        : target.opsPerSec > floor
          ? 'missed, and above the floor: out of reach on these primitives'
          : 'missed';
    console.log(
      `target ${target.name}: ${Math.round(target.opsPerSec).toLocaleString('en-US')} ops/s, wakit ${Math.round(ours).toLocaleString('en-US')} (${(ours / target.opsPerSec).toFixed(2)} of it), floor ${Math.round(floor).toLocaleString('en-US')}: ${verdict}`,
    );
  }
}

await group('one-way chain: encrypt + decrypt, no DH ratchet', async (impl) => {
  const conversation = await impl.conversation();
  return () => conversation.send('alice', PLAINTEXT);
});

await group('ping-pong: a DH ratchet turn every message', async (impl) => {
  const conversation = await impl.conversation();
  let turn = 0;
  return () => conversation.send(turn++ % 2 === 0 ? 'alice' : 'bob', PLAINTEXT);
});

await group(
  'session setup from a bundle, first message decrypted',
  async (impl) => impl.sessionSetup(),
  HELLO,
);

await group('group: sender-key encrypt + decrypt', async (impl) => {
  const g = await impl.group();
  return () => g.send(PLAINTEXT);
});

recordResults('signal', groups);
