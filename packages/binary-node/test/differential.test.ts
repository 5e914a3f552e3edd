/**
 * Differential test against two independent implementations, byte for byte, both directions:
 * Baileys' pure-JS WABinary codec (baileys@7.0.0-rc14) and whatsapp-rust-bridge@0.5.5 (whatsapp-rust's
 * wacore-binary compiled to wasm). Both are dev dependencies only.
 *
 * For well-formed nodes (test/arbitraries.ts says which inputs that excludes and why) all three
 * encoders must emit identical bytes and each decoder must read the others' bytes back to the node.
 * Where the references disagree or lose data, the last block pins down whom we follow.
 */

import * as baileysConstants from 'baileys/lib/WABinary/constants.js';
import { decodeDecompressedBinaryNode } from 'baileys/lib/WABinary/decode.js';
import { encodeBinaryNode } from 'baileys/lib/WABinary/encode.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as bridge from 'whatsapp-rust-bridge';
import { type BinaryNode, decodeNode, encodeNode, type NodeInput } from '../src/index';
import { wellFormedNode, wellFormedNodeForBridge } from './arbitraries';
import { bytesToHex } from './fixtures';

// Deeper runs: DIFFERENTIAL_RUNS=100000 npx vitest run test/differential.test.ts
const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 3000);

function baileysEncode(node: NodeInput): Uint8Array {
  return Uint8Array.from(encodeBinaryNode(node as never));
}

function baileysDecode(bytes: Uint8Array): BinaryNode {
  expect(bytes[0]).toBe(0);
  return plain(decodeDecompressedBinaryNode(Buffer.from(bytes.subarray(1)), baileysConstants) as never);
}

function bridgeEncode(node: NodeInput): Uint8Array {
  return bridge.encodeNode(node as never);
}

function bridgeDecode(bytes: Uint8Array): BinaryNode {
  return plain(bridge.decodeNode(bytes) as never);
}

interface ForeignNode {
  tag: string;
  attrs: Record<string, string>;
  content?: ForeignNode[] | Uint8Array | string | null;
}

/** A foreign decoder's result as a plain BinaryNode (Buffers and wasm handles become plain values). */
function plain(node: ForeignNode): BinaryNode {
  const out: BinaryNode = { tag: node.tag, attrs: { ...node.attrs } };
  const c = node.content;
  if (c === undefined || c === null) return out;
  if (Array.isArray(c)) out.content = c.map(plain);
  else if (c instanceof Uint8Array) out.content = Uint8Array.from(c);
  else out.content = c;
  return out;
}

/** What a decoder returns for `node`: no undefined attributes, raw-text content as UTF-8 bytes. */
function expectedDecode(node: NodeInput, rawText: (s: string) => boolean): BinaryNode {
  const out: BinaryNode = { tag: node.tag, attrs: {} };
  for (const [k, v] of Object.entries(node.attrs ?? {})) if (typeof v === 'string') out.attrs[k] = v;
  const c = node.content;
  if (c === undefined) return out;
  if (typeof c === 'string') out.content = rawText(c) ? new TextEncoder().encode(c) : c;
  else if (c instanceof Uint8Array) out.content = c;
  else out.content = c.map((child) => expectedDecode(child, rawText));
  return out;
}

/** True when `s` as content is written as raw bytes (then every decoder returns bytes). */
function writtenRaw(s: string): boolean {
  const bytes = encodeNode({ tag: 'message', attrs: {}, content: s }); // 00 f8 02 13 <content>
  return bytes[4] === 0xfc || bytes[4] === 0xfd || bytes[4] === 0xfe;
}

/**
 * How whatsapp-rust-bridge@0.5.5 renders what Baileys and wakit render otherwise:
 * - a server-only JID as the bare server ("s.whatsapp.net"), not "@s.whatsapp.net"; the bare form
 *   re-encodes as a token (0x03 instead of fa 00 03), so the "@" form is the one that round-trips;
 * - an empty child list (LIST_EMPTY content) as no content at all, losing the difference.
 */
function bridgeRendering(node: BinaryNode): BinaryNode {
  const fix = (s: string) => (/^@[a-z.]+$/.test(s) ? s.slice(1) : s);
  const out: BinaryNode = { tag: fix(node.tag), attrs: {} };
  for (const [k, v] of Object.entries(node.attrs)) out.attrs[fix(k)] = fix(v);
  if (node.content === undefined || (Array.isArray(node.content) && node.content.length === 0)) return out;
  out.content = Array.isArray(node.content)
    ? node.content.map(bridgeRendering)
    : typeof node.content === 'string'
      ? fix(node.content)
      : node.content;
  return out;
}

describe(`differential: ${RUNS} random well-formed nodes per run`, () => {
  it('encode to the same bytes as Baileys encodeBinaryNode', () => {
    fc.assert(
      fc.property(wellFormedNode, (node) => {
        expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(baileysEncode(node)));
      }),
      { numRuns: RUNS },
    );
  });

  it('encode to the same bytes as whatsapp-rust-bridge encodeNode', () => {
    fc.assert(
      fc.property(wellFormedNodeForBridge, (node) => {
        expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(bridgeEncode(node)));
      }),
      { numRuns: RUNS },
    );
  });

  it('decode what Baileys encodes', () => {
    fc.assert(
      fc.property(wellFormedNode, (node) => {
        expect(decodeNode(baileysEncode(node))).toEqual(expectedDecode(node, writtenRaw));
      }),
      { numRuns: RUNS },
    );
  });

  it('decode what the bridge encodes', () => {
    fc.assert(
      fc.property(wellFormedNodeForBridge, (node) => {
        expect(decodeNode(bridgeEncode(node))).toEqual(expectedDecode(node, writtenRaw));
      }),
      { numRuns: RUNS },
    );
  });

  it('are decoded back by Baileys', () => {
    fc.assert(
      fc.property(wellFormedNode, (node) => {
        expect(baileysDecode(encodeNode(node))).toEqual(expectedDecode(node, writtenRaw));
      }),
      { numRuns: RUNS },
    );
  });

  it('are decoded back by the bridge', () => {
    fc.assert(
      fc.property(wellFormedNodeForBridge, (node) => {
        const expected = bridgeRendering(expectedDecode(node, writtenRaw));
        expect(bridgeDecode(encodeNode(node))).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('where the references disagree or lose data', () => {
  const attr = (value: string): NodeInput => ({ tag: 'message', attrs: { id: value } });

  it('Baileys writes prototype names such as "constructor" as byte 0; wakit and the bridge write the string', () => {
    const node = attr('constructor');
    expect(baileysEncode(node)[5]).toBe(0x00);
    expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(bridgeEncode(node)));
    expect(decodeNode(encodeNode(node)).attrs.id).toBe('constructor');
  });

  it('JID-shaped strings over 48 bytes: wakit follows whatsapp-rust (raw string), Baileys writes a JID', () => {
    const node = attr(`${'1'.repeat(40)}@s.whatsapp.net`);
    expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(bridgeEncode(node)));
    expect(bytesToHex(encodeNode(node))).not.toBe(bytesToHex(baileysEncode(node)));
  });

  it('device 0 ("u:0@s.whatsapp.net"): both references write AD_JID device 0 and read back "u@s.whatsapp.net"; wakit keeps the string', () => {
    const node = attr('1234:0@s.whatsapp.net');
    expect(baileysDecode(baileysEncode(node)).attrs.id).toBe('1234@s.whatsapp.net');
    expect(bridgeDecode(bridgeEncode(node)).attrs.id).toBe('1234@s.whatsapp.net');
    expect(decodeNode(encodeNode(node)).attrs.id).toBe('1234:0@s.whatsapp.net');
  });

  it('a device on a group JID: both references write a PN device JID ("1:2@s.whatsapp.net" comes back); wakit keeps the string', () => {
    const node = attr('1:2@g.us');
    expect(baileysDecode(baileysEncode(node)).attrs.id).toBe('1:2@s.whatsapp.net');
    expect(bridgeDecode(bridgeEncode(node)).attrs.id).toBe('1:2@s.whatsapp.net');
    expect(decodeNode(encodeNode(node)).attrs.id).toBe('1:2@g.us');
  });

  it('an agent suffix ("u_1:2@s.whatsapp.net"): both references write it as a LID device; wakit keeps the string', () => {
    const node = attr('1234_1:2@s.whatsapp.net');
    expect(baileysDecode(baileysEncode(node)).attrs.id).toBe('1234:2@lid');
    expect(bridgeDecode(bridgeEncode(node)).attrs.id).toBe('1234:2@lid');
    expect(decodeNode(encodeNode(node)).attrs.id).toBe('1234_1:2@s.whatsapp.net');
  });

  it('a Messenger device JID: Baileys makes it a PN device with the device cut to 8 bits, the bridge a JID_PAIR with "1234:300" as user; wakit writes FB_JID, which both read', () => {
    const node = attr('1234:300@msgr');
    expect(baileysDecode(baileysEncode(node)).attrs.id).toBe('1234:44@s.whatsapp.net');
    expect(bridgeEncode(node)[5]).toBe(0xfa);
    expect(encodeNode(node)[5]).toBe(0xf6);
    expect(baileysDecode(encodeNode(node)).attrs.id).toBe('1234:300@msgr');
    expect(bridgeDecode(encodeNode(node)).attrs.id).toBe('1234:300@msgr');
  });

  it('an interop JID: both references write a PN device JID; wakit writes INTEROP_JID without a server, as WA Web does', () => {
    const node = attr('7-1234:2@interop');
    expect(baileysDecode(baileysEncode(node)).attrs.id).toBe('7-1234:2@s.whatsapp.net');
    expect(bridgeDecode(bridgeEncode(node)).attrs.id).toBe('7-1234:2@s.whatsapp.net');
    expect(bytesToHex(encodeNode(node)).slice(10)).toBe('f5ff02123400020007');
    expect(baileysDecode(encodeNode(node)).attrs.id).toBe('7-1234:2@interop');
  });

  it('an unknown server: both references write a JID_PAIR the bridge itself cannot decode; wakit writes text', () => {
    const node = attr('user@example.com');
    expect(() => bridgeDecode(bridgeEncode(node))).toThrow(/unknown server/);
    expect(encodeNode(node)[5]).toBe(0xfc);
    expect(bridgeDecode(encodeNode(node)).attrs.id).toBe('user@example.com');
  });

  it('an empty or blank attribute value: the bridge drops the attribute; Baileys and wakit keep it', () => {
    for (const value of ['', ' ', '\t']) {
      const node: NodeInput = { tag: 'a', attrs: { x: value } };
      expect(bridgeDecode(bridgeEncode(node)).attrs).toEqual({});
      expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(baileysEncode(node)));
      expect(decodeNode(encodeNode(node)).attrs).toEqual({ x: value });
    }
  });

  it('a call JID: the bridge encodes it like Baileys and wakit but cannot decode it', () => {
    const node = attr('ABC123@call');
    expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(bridgeEncode(node)));
    expect(bytesToHex(encodeNode(node))).toBe(bytesToHex(baileysEncode(node)));
    expect(() => bridgeDecode(encodeNode(node))).toThrow(/unknown server: call/);
    expect(decodeNode(encodeNode(node)).attrs.id).toBe('ABC123@call');
  });
});
