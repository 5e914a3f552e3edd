/**
 * `npm run bench -w @wakit/client`: the client's group send at the scope of whatsapp-rust's
 * `bench_group_send_256` and `bench_group_send_skdm_256` (wacore/benches/send_receive_benchmark.rs:
 * `prepare_group_stanza` with in-memory stores, then `marshal`; no network), the anchors of
 * 58 µs and 1.2 ms. tools/e2e's `bench:groups` measures the whole send over a socket against
 * Baileys; this one isolates what the client itself does per send, so the anchors compare like with
 * like.
 *
 * One sending device (a `Messaging` on a `MemoryStore`, real Signal on nodeCrypto) in a group of
 * 255 other members with one device each, plus its own phone: 256 devices. Its host answers the
 * queries in process (w:g2 metadata, usync device lists, prekey bundles) and its `sendNode` encodes
 * the stanza with @wakit/binary-node (whatsapp-rust's `marshal`), then acks it. Sessions are
 * started from bundles and never answered, as in whatsapp-rust's `establish_session`, so SKDMs are
 * `pkmsg`.
 *
 * - warm: `sendMessage(group, text)`, our sender key already held by every device: one `skmsg`.
 * - cold: the same send as the first to a new group of the same members: a new sender key, one
 *   `skmsg` and 256 pairwise SKDMs over the existing sessions. Each op also answers that group's
 *   metadata query in process, which whatsapp-rust's setup does outside the timed body.
 * - rotated: a member leaves the warm group and comes back (two `w:gp2` notifications through the
 *   client's handling, which drops our key), then the send: a new key to all 256 devices, as after
 *   every removal in a real group. No metadata query, nothing new kept per op: the cold send at a
 *   steady state, closest to whatsapp-rust's `force_skdm` body (its key exists already; ours is
 *   new, and the devices and `phash` are derived again from the changed participants).
 *
 * More than whatsapp-rust's body: the store transaction (records encoded and committed), the message
 * kept for retries, the send lane and the ack wait.
 *
 * Three references run in the same process: the floor (`group-floor.ts`, the bare crypto on Node's
 * primitives), whatsapp-rust's own Signal code doing the Signal part of the cold send
 * (`group-bridge.ts`: whatsapp-rust-bridge, its libsignal in WebAssembly), which tells how much of
 * the distance to whatsapp-rust's native figure is the platform rather than the code, and ours
 * doing exactly the bridge's part (`group-signal-part.ts`), which splits our cold send into its
 * Signal part and the client around it.
 */
import { nodeCrypto } from '@wakit/crypto/node';
import { benchGroup, recordResults } from '../../../bench.shared';
import { bridgeColdSend } from './group-bridge';
import { coldFloor, warmFloor } from './group-floor';
import { benchNetwork, checkTally } from './group-network';
import { wakitSignalColdSend } from './group-signal-part';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 256);
/** whatsapp-rust's figures for 256 devices (PR #1341), µs per send. */
const ANCHOR_US = { warm: 58.3, cold: 1224 } as const;

const net = await benchNetwork(DEVICES, nodeCrypto);
const bridgeCold = await bridgeColdSend(DEVICES);
const signalCold = await wakitSignalColdSend(DEVICES, nodeCrypto);
let nextGroup = 0;
const warmGroup = net.group(nextGroup++);
await net.send(warmGroup);

// Two groups: the warm send's rounds interleave only with its floor, so the cold cases' garbage,
// collected on GC threads whose CPU time counts, is not charged to the warm send.
const warm = await benchGroup(
  `Warm group send to ${DEVICES} devices, in process: encrypt, commit, encode the stanza, ack`,
  [
    { name: 'wakit warm', fn: () => net.send(warmGroup) },
    { name: 'floor warm', fn: warmFloor },
  ],
  'wakit warm',
);
const cold = await benchGroup(
  `Cold group send to ${DEVICES} devices (a new sender key to every device), and its references`,
  [
    { name: 'wakit cold', fn: () => net.send(net.group(nextGroup++)) },
    {
      name: 'wakit rotated',
      fn: async () => {
        await net.churn(warmGroup);
        await net.send(warmGroup);
      },
    },
    { name: 'floor cold', fn: () => coldFloor(DEVICES) },
    { name: 'whatsapp-rust-bridge cold, Signal only', fn: bridgeCold },
    { name: 'wakit cold, Signal only', fn: signalCold },
  ],
  'wakit cold',
);
const results = [...warm, ...cold];
checkTally(net.tally, DEVICES);

const usOf = (name: string) => 1e6 / results.find((r) => r.name === name)!.opsPerSec;
const table: Record<string, Record<string, string>> = {};
for (const [kind, anchor] of [
  ['warm', 'warm'],
  ['cold', 'cold'],
  ['rotated', 'cold'],
] as const) {
  const us = usOf(`wakit ${kind}`);
  table[`wakit ${kind}`] = {
    'µs per send (CPU)': us.toFixed(1),
    'floor µs (group-floor.ts)': usOf(`floor ${anchor}`).toFixed(1),
    'x floor': (us / usOf(`floor ${anchor}`)).toFixed(2),
    "whatsapp-rust's µs": String(ANCHOR_US[anchor]),
    'x whatsapp-rust': (us / ANCHOR_US[anchor]).toFixed(2),
    'x the bridge (wasm)':
      anchor === 'cold' ? (us / usOf('whatsapp-rust-bridge cold, Signal only')).toFixed(2) : '',
  };
}
/** A Signal-only row: the same scope as the bridge's, against the floor, the anchor and the bridge. */
const signalOnly = (name: string) => {
  const us = usOf(name);
  table[name] = {
    'µs per send (CPU)': us.toFixed(1),
    'floor µs (group-floor.ts)': usOf('floor cold').toFixed(1),
    'x floor': (us / usOf('floor cold')).toFixed(2),
    "whatsapp-rust's µs": String(ANCHOR_US.cold),
    'x whatsapp-rust': (us / ANCHOR_US.cold).toFixed(2),
    'x the bridge (wasm)': (us / usOf('whatsapp-rust-bridge cold, Signal only')).toFixed(2),
  };
};
signalOnly('whatsapp-rust-bridge cold, Signal only');
signalOnly('wakit cold, Signal only');
console.log(
  "\nAgainst the floor (the bare crypto on Node, same run), whatsapp-rust's reported figures (Rust, another machine: an order of magnitude) and whatsapp-rust's Signal code in wasm on this machine (the bridge row: its cold send's Signal part only)",
);
console.table(table);
const signalUs = usOf('wakit cold, Signal only');
const rotatedUs = usOf('wakit rotated');
console.log(
  `The rotated send split: Signal part ${signalUs.toFixed(0)} µs (${((100 * signalUs) / rotatedUs).toFixed(0)}%), ` +
    `the client around it ${(rotatedUs - signalUs).toFixed(0)} µs; 5x whatsapp-rust's cold figure is ` +
    `${5 * ANCHOR_US.cold} µs, the floor alone ${usOf('floor cold').toFixed(0)} µs of it.`,
);
recordResults('client-groups', { warm, cold });
