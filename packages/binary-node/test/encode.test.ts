import { describe, expect, it } from 'vitest';
import { decodeNode, encodeNode, MAX_NODE_DEPTH, type NodeInput } from '../src/index';
import { bytesToHex } from './fixtures';

/** Hex of the value bytes written for attribute `v` of `<a v=...>` (after 00 f8 03 <a> <v>). */
function valueHex(value: string): string {
  const hex = bytesToHex(encodeNode({ tag: 'message', attrs: { id: value } }));
  expect(hex.startsWith('00f8031308')).toBe(true);
  return hex.slice('00f8031308'.length);
}

const ascii = (s: string) => bytesToHex(new TextEncoder().encode(s));
const raw = (s: string) => `fc${s.length.toString(16).padStart(2, '0')}${ascii(s)}`;

describe('string forms, in the order docs/protocol.md §3.4 gives', () => {
  it('writes the empty string as BINARY_8 of length 0', () => {
    expect(valueHex('')).toBe('fc00');
  });

  it('prefers a token over packing: "1" and "100" are tokens, "123" is not', () => {
    expect(valueHex('g.us')).toBe('1c');
    expect(valueHex('1')).toBe('55');
    expect(valueHex('100')).toBe('ec33');
    expect(valueHex('123')).toBe('ff82123f');
  });

  it('nibble-packs digits, dash and dot, padding an odd length with 0xF', () => {
    expect(valueHex('123')).toBe('ff82123f');
    expect(valueHex('1234')).toBe('ff021234');
    expect(valueHex('-.')).toBe('ff01ab');
  });

  it('hex-packs upper-case hex strings but not lower case', () => {
    expect(valueHex('3EB0AB')).toBe('fb033eb0ab');
    expect(valueHex('ABC')).toBe('fb82abcf');
    expect(valueHex('3eb0ab')).toBe(raw('3eb0ab'));
  });

  it('packs only up to 127 characters, then writes raw bytes', () => {
    expect(valueHex('1'.repeat(127)).slice(0, 4)).toBe('ffc0');
    expect(valueHex('1'.repeat(128)).slice(0, 4)).toBe('fc80');
  });

  it('uses BINARY_8 below 256 bytes, BINARY_20 below 2^20 and BINARY_32 above', () => {
    const sized = (n: number) =>
      bytesToHex(encodeNode({ tag: 'message', attrs: {}, content: new Uint8Array(n) })).slice(8, 18);
    expect(sized(255).slice(0, 4)).toBe('fcff');
    expect(sized(256).slice(0, 8)).toBe('fd000100');
    expect(sized((1 << 20) - 1).slice(0, 8)).toBe('fd0fffff');
    expect(sized(1 << 20)).toBe('fe00100000');
  });

  it('writes UTF-8 byte lengths, not character counts', () => {
    expect(valueHex('é')).toBe('fc02c3a9');
    expect(valueHex('😀')).toBe('fc04f09f9880');
  });

  it('refuses a lone surrogate instead of replacing it with U+FFFD', () => {
    expect(() => encodeNode({ tag: 'a', attrs: { v: '\ud800x' } })).toThrow(TypeError);
    expect(() => encodeNode({ tag: 'a', attrs: {}, content: 'x\udc00' })).toThrow(TypeError);
  });
});

describe('JID forms', () => {
  it('writes user@server as JID_PAIR with the user packed and the server a token', () => {
    expect(valueHex('5511999999999@s.whatsapp.net')).toBe('faff875511999999999f03');
    expect(valueHex('100@lid')).toBe('faec3376');
    expect(valueHex('5511@lid')).toBe('faff02551176');
  });

  it('writes a server-only JID "@server" as JID_PAIR(LIST_EMPTY, server), and the bare server as its token', () => {
    expect(valueHex('@s.whatsapp.net')).toBe('fa0003');
    expect(valueHex('s.whatsapp.net')).toBe('03');
    expect(valueHex('@g.us')).toBe('fa001c');
  });

  it('writes devices of PN, LID and hosted users as AD_JID with the domain byte', () => {
    expect(valueHex('1234:5@s.whatsapp.net')).toBe('f70005ff021234');
    expect(valueHex('1234:5@lid')).toBe('f70105ff021234');
    expect(valueHex('1234:99@hosted')).toBe('f78063ff021234');
    expect(valueHex('1234:255@hosted.lid')).toBe('f781ffff021234');
  });

  it('writes a Messenger device JID as FB_JID with a 16-bit device and the msgr server', () => {
    expect(valueHex('1234:300@msgr')).toBe(`f6ff021234012ccc`);
  });

  it('writes an interop JID as INTEROP_JID: user, device, integrator, and no server (as WA Web does)', () => {
    expect(valueHex('7-1234:2@interop')).toBe('f5ff02123400020007');
    expect(decodeNode(encodeNode({ tag: 'message', attrs: { id: '7-1234:2@interop' } })).attrs.id).toBe(
      '7-1234:2@interop',
    );
  });

  it('writes groups, broadcasts, newsletters and bots as JID_PAIR', () => {
    expect(valueHex('status@broadcast')).toBe(
      `fa${bytesToHex(encodeNode({ tag: 'status', attrs: {} })).slice(6)}0d`,
    );
    expect(valueHex('120363025246125486@g.us')).toBe('faff091203630252461254861c');
    expect(valueHex('123@newsletter').endsWith(raw('newsletter'))).toBe(true);
  });

  // Strings that look almost like JIDs but would not survive Baileys or whatsapp-rust intact are
  // written literally, so the round trip never alters them.
  const literal = [
    ['1234:0@s.whatsapp.net', 'device 0 is not rendered, so it would come back as 1234@s.whatsapp.net'],
    ['1234:256@s.whatsapp.net', 'AD_JID devices are one byte'],
    ['1:2@g.us', 'groups have no device form'],
    ['1234_1:2@s.whatsapp.net', 'an agent suffix (Baileys reads it as the domain, whatsapp-rust drops it)'],
    ['a:b@s.whatsapp.net', 'a non-numeric device'],
    ['1234:05@s.whatsapp.net', 'a device with a leading zero'],
    ['user@example.com', 'an unknown server'],
    ['a@b@s.whatsapp.net', 'two @'],
    [':5@s.whatsapp.net', 'a device without a user'],
    [
      `${'1'.repeat(40)}@s.whatsapp.net`,
      'longer than 48 bytes (whatsapp-rust writes it raw; Baileys as a JID)',
    ],
  ];
  for (const [s, why] of literal) {
    it(`writes ${s} as a literal string: ${why}`, () => {
      expect(valueHex(s!)).toBe(raw(s!));
      expect(decodeNode(encodeNode({ tag: 'a', attrs: { v: s! } })).attrs.v).toBe(s);
    });
  }
});

describe('node structure', () => {
  it('counts attributes and content in the list header: 1 + 2 per attribute + 1 for content', () => {
    expect(bytesToHex(encodeNode({ tag: 'iq', attrs: { id: '123' } }))).toBe('00f8031908ff82123f');
    expect(bytesToHex(encodeNode({ tag: 'iq', attrs: {}, content: [] }))).toBe('00f8021900');
  });

  it('leaves out attributes whose value is undefined or null', () => {
    const withHoles = encodeNode({ tag: 'iq', attrs: { id: '1', to: undefined, type: null } });
    expect(withHoles).toEqual(encodeNode({ tag: 'iq', attrs: { id: '1' } }));
  });

  it('keeps attribute insertion order', () => {
    const decoded = decodeNode(encodeNode({ tag: 'a', attrs: { z: '1', a: '2', m: '3' } }));
    expect(Object.keys(decoded.attrs)).toEqual(['z', 'a', 'm']);
  });

  it('switches to LIST_16 at 256 children and refuses more than 65535', () => {
    const children = (n: number) => Array.from({ length: n }, () => ({ tag: 'a', attrs: {} }));
    expect(bytesToHex(encodeNode({ tag: 'iq', attrs: {}, content: children(256) })).slice(8, 14)).toBe(
      'f90100',
    );
    expect(() => encodeNode({ tag: 'iq', attrs: {}, content: children(65536) })).toThrow(RangeError);
  });

  it(`accepts ${MAX_NODE_DEPTH} levels of nesting and refuses one more`, () => {
    const nest = (levels: number): NodeInput => {
      let node: NodeInput = { tag: 'a', attrs: {} };
      for (let i = 1; i < levels; i++) node = { tag: 'a', attrs: {}, content: [node] };
      return node;
    };
    expect(decodeNode(encodeNode(nest(MAX_NODE_DEPTH))).tag).toBe('a');
    expect(() => encodeNode(nest(MAX_NODE_DEPTH + 1))).toThrow(RangeError);
  });

  it('refuses what is not a node with a TypeError that names the problem', () => {
    const bad: [unknown, RegExp][] = [
      [{ tag: '', attrs: {} }, /tag must be a non-empty string/],
      [{ tag: 1, attrs: {} }, /tag must be a non-empty string/],
      [{ tag: 'a', attrs: { n: 1 } }, /attribute "n" of <a> must be a string/],
      [{ tag: 'a', attrs: {}, content: 5 }, /content of <a>/],
      [{ tag: 'a', attrs: {}, content: [null] }, /expected a node object, got null/],
      [null, /expected a node object/],
    ];
    for (const [node, message] of bad) expect(() => encodeNode(node as NodeInput)).toThrow(message);
  });

  it('stays usable after a failed encode (the shared buffer is reset)', () => {
    expect(() =>
      encodeNode({ tag: 'a', attrs: {}, content: [{ tag: 'b', attrs: { x: 1 as never } }] }),
    ).toThrow(TypeError);
    expect(bytesToHex(encodeNode({ tag: 'message', attrs: {}, content: 'receipt' }))).toBe('00f8021307');
  });

  it('encodes correctly when a getter on the node calls encodeNode itself', () => {
    const inner = { tag: 'b', attrs: { v: 'inner' } };
    const node = {
      tag: 'a',
      get attrs() {
        encodeNode(inner);
        return { v: 'outer' };
      },
    };
    expect(encodeNode(node)).toEqual(encodeNode({ tag: 'a', attrs: { v: 'outer' } }));
  });

  it('returns a fresh array each call, not a view of a shared buffer', () => {
    const first = encodeNode({ tag: 'a', attrs: { v: 'x' } });
    const copy = Uint8Array.from(first);
    encodeNode({ tag: 'b', attrs: { w: 'yyyyyyyyyyyyyyyyyyyy' } });
    expect(first).toEqual(copy);
    expect(first.buffer.byteLength).toBe(first.length);
  });
});
