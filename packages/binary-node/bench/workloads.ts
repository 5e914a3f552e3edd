/**
 * The two workloads the issue fixes: an incoming `<message>` with a 200-byte `<enc>`, and a usync
 * device-list result for 500 users (what a client receives before sending to a large group).
 * Deterministic: same bytes every run.
 */
import type { BinaryNode } from '@wakit/binary-node';

function filled(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export const messageNode: BinaryNode = {
  tag: 'message',
  attrs: {
    from: '120363025246125486@g.us',
    type: 'text',
    id: '3EB0C431C26A1916E0D1',
    participant: '5511987654321:12@s.whatsapp.net',
    notify: 'Ana Souza',
    t: '1752021890',
    offline: '0',
  },
  content: [{ tag: 'enc', attrs: { v: '2', type: 'skmsg' }, content: filled(200, 1) }],
};

function usyncUser(i: number): BinaryNode {
  const user = String(5511900000000 + i * 7919);
  const devices: BinaryNode[] = [{ tag: 'device', attrs: { id: '0' } }];
  for (let d = 1; d <= i % 4; d++)
    devices.push({ tag: 'device', attrs: { id: String(d), 'key-index': String(d + 2) } });
  return {
    tag: 'user',
    attrs: { jid: `${user}@s.whatsapp.net` },
    content: [
      {
        tag: 'devices',
        attrs: {},
        content: [
          { tag: 'device-list', attrs: { hash: `2:${String(100000 + i)}AbCd` }, content: devices },
          { tag: 'key-index-list', attrs: { ts: String(1750000000 + i) }, content: filled(90, i) },
        ],
      },
    ],
  };
}

export const usyncNode: BinaryNode = {
  tag: 'iq',
  attrs: { from: '@s.whatsapp.net', id: '28791.35512-12', type: 'result' },
  content: [
    {
      tag: 'usync',
      attrs: { sid: '28791.35512-11', mode: 'query', context: 'message', index: '0', last: 'true' },
      content: [
        { tag: 'result', attrs: {}, content: [{ tag: 'devices', attrs: {} }] },
        { tag: 'list', attrs: {}, content: Array.from({ length: 500 }, (_, i) => usyncUser(i)) },
      ],
    },
  ],
};
