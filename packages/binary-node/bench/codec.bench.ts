/**
 * `npm run bench -w @wakit/binary-node`: encode and decode (to a full object tree) against
 * Baileys' synchronous WABinary codec (baileys@7.0.0-rc14) and whatsapp-rust-bridge@0.5.5
 * (wasm), in one run. The three encoders are first checked to produce identical bytes, so every
 * row measures the same work.
 */

// The built package (dist/), as users get it: bundled, so module bindings are plain locals.
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import * as baileysConstants from 'baileys/lib/WABinary/constants.js';
import { decodeDecompressedBinaryNode } from 'baileys/lib/WABinary/decode.js';
import { encodeBinaryNode } from 'baileys/lib/WABinary/encode.js';
import * as bridge from 'whatsapp-rust-bridge';
import { benchGroup, type CaseResult, recordResults } from '../../../bench.shared';
import { messageNode, usyncNode } from './workloads';

interface ForeignNode {
  tag: string;
  attrs: Record<string, string>;
  content?: ForeignNode[] | Uint8Array | string | null;
}

/** The bridge decodes into wasm-backed handles; reading every field gives the same tree ours returns. */
function materialize(node: ForeignNode): BinaryNode {
  const out: BinaryNode = { tag: node.tag, attrs: node.attrs };
  const c = node.content;
  if (c === undefined || c === null) return out;
  out.content = Array.isArray(c) ? c.map(materialize) : c;
  return out;
}

const groups: Record<string, CaseResult[]> = {};

for (const [name, node] of [
  ['message with 200-byte enc', messageNode],
  ['usync result, 500 users', usyncNode],
] as const) {
  const ours = encodeNode(node);
  const theirs = Uint8Array.from(encodeBinaryNode(node as never));
  const bridged = bridge.encodeNode(node as never);
  if (Buffer.compare(ours, theirs) !== 0 || Buffer.compare(ours, bridged) !== 0) {
    throw new Error(`${name}: encoders disagree; the comparison would be meaningless`);
  }
  const body = Buffer.from(ours.subarray(1)); // Baileys' sync decoder takes the body after the flag byte
  const bytes = ours.length;

  groups[`encode: ${name}`] = await benchGroup(
    `encode: ${name} (${bytes} bytes)`,
    [
      { name: 'baileys', fn: () => encodeBinaryNode(node as never), bytes },
      { name: 'whatsapp-rust-bridge', fn: () => bridge.encodeNode(node as never), bytes },
      { name: 'wakit', fn: () => encodeNode(node), bytes },
    ],
    'baileys',
  );
  groups[`decode: ${name}`] = await benchGroup(
    `decode to an object tree: ${name} (${bytes} bytes)`,
    [
      { name: 'baileys', fn: () => decodeDecompressedBinaryNode(body, baileysConstants), bytes },
      { name: 'whatsapp-rust-bridge', fn: () => materialize(bridge.decodeNode(ours) as never), bytes },
      { name: 'wakit', fn: () => decodeNode(ours), bytes },
    ],
    'baileys',
  );
}

recordResults('binary-node', groups);
