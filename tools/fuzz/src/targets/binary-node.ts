/**
 * The binary node codec: every stanza from the server goes through `decodeNode` (flag byte, optional
 * zlib, then the node). Seeds cover the shapes that matter: nested lists, attributes with JIDs of
 * every kind, nibble- and hex-packed strings, binary content of the three length widths, and a
 * zlib-compressed frame.
 */
import { deflateSync } from 'node:zlib';
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import type { FuzzTarget } from '../target';

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

const SEED_NODES: BinaryNode[] = [
  { tag: 'iq', attrs: { id: '1', type: 'get', xmlns: 'w:p', to: '@s.whatsapp.net' } },
  {
    tag: 'message',
    attrs: {
      from: '15550001111@s.whatsapp.net',
      id: '3EB0C0FFEE',
      t: '1700000000',
      type: 'text',
      participant: '99887766:2@lid',
    },
    content: [
      { tag: 'enc', attrs: { v: '2', type: 'pkmsg' }, content: bytes(200, 0x33) },
      { tag: 'enc', attrs: { v: '2', type: 'skmsg' }, content: bytes(90, 0x44) },
    ],
  },
  {
    tag: 'iq',
    attrs: { from: '@s.whatsapp.net', type: 'result', id: 'abc-123' },
    content: [
      {
        tag: 'usync',
        attrs: { sid: 'sync-1', mode: 'query', last: 'true' },
        content: [
          {
            tag: 'list',
            attrs: {},
            content: Array.from({ length: 5 }, (_, i) => ({
              tag: 'user',
              attrs: { jid: `1555000${1000 + i}@s.whatsapp.net` },
              content: [
                { tag: 'devices', attrs: {}, content: [{ tag: 'device', attrs: { id: String(i) } }] },
              ],
            })),
          },
        ],
      },
    ],
  },
  {
    tag: 'receipt',
    attrs: { from: '120363025246125486@g.us', id: '0123456789ABCDEF', participant: '1555:3@hosted' },
  },
  {
    tag: 'notification',
    attrs: { type: 'encrypt', from: '@s.whatsapp.net' },
    content: [{ tag: 'count', attrs: { value: '4' } }],
  },
  {
    tag: 'ib',
    attrs: {},
    content: [
      {
        tag: 'edge_routing',
        attrs: {},
        content: [{ tag: 'routing_info', attrs: {}, content: bytes(300, 7) }],
      },
    ],
  },
  { tag: 'big', attrs: {}, content: bytes(1_000, 9) },
  { tag: 'text', attrs: { name: 'ünïcødé ✓' }, content: 'plain text content' },
];

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'binary-node/decode',
    async seeds() {
      const plain = SEED_NODES.map((node) => encodeNode(node));
      const compressed = plain.slice(0, 3).map((frame) => {
        const body = deflateSync(frame.subarray(1));
        const out = new Uint8Array(1 + body.length);
        out[0] = 0x02;
        out.set(body, 1);
        return out;
      });
      return [...plain, ...compressed];
    },
    run: (input) => decodeNode(input),
  },
];
