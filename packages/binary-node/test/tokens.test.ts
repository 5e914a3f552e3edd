import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DICT_VERSION, DOUBLE_BYTE_TOKENS, decodeNode, encodeNode, SINGLE_BYTE_TOKENS } from '../src/index';
import { bytesToHex, loadVector } from './fixtures';

const independent = loadVector<{ single_byte: string[]; double_byte: string[][] }>('wa-binary-tokens.json');
const sha256 = (tokens: readonly string[]) => createHash('sha256').update(tokens.join('\n')).digest('hex');

describe('token dictionaries generated from spec/', () => {
  it('equal whatsapp-rust tokens.json entry for entry', () => {
    expect(SINGLE_BYTE_TOKENS).toEqual(independent.single_byte);
    expect(DOUBLE_BYTE_TOKENS).toEqual(independent.double_byte);
  });

  it('hash to the SHA-256 values recorded in docs/protocol.md §3.6', () => {
    expect(sha256(SINGLE_BYTE_TOKENS)).toBe(
      '1e8302d2aba0d8c40d09fd79fc9c70347350cb00926dd0e3565683b347be35a5',
    );
    expect(DOUBLE_BYTE_TOKENS.map(sha256)).toEqual([
      'c19c763b07f7684fc58490eb838873edeec498d59bf4d56bbb33d8e7af4cb112',
      'e8894a798e1d92bc5f5f5cd1c2ffeef43a5c03acb1775b34d121ffe0a19b8f6a',
      '8f4081781e324d9ab95574b01ff37a44753403cebd0d1feeeb985661cc86cae8',
      '8e397aec42a6a503621910cf3d7a8f9e287e94192031265b6e55519e0e19fadc',
    ]);
    expect(DICT_VERSION).toBe(3);
  });

  it('place the spot-checked tokens where docs/protocol.md says', () => {
    const single = {
      to: 17,
      message: 19,
      xmlns: 22,
      iq: 25,
      ack: 27,
      'g.us': 28,
      enc: 29,
      'w:p': 87,
      call: 100,
      lid: 118,
      msgr: 204,
    };
    for (const [token, index] of Object.entries(single)) expect(SINGLE_BYTE_TOKENS[index]).toBe(token);
    const double: [string, number, number][] = [
      ['read-self', 0, 0],
      ['retry', 0, 11],
      ['conflict', 0, 14],
      ['passive', 0, 24],
      ['w:gp2', 0, 32],
      ['w:sync:app:state', 0, 156],
      ['offline_batch', 1, 8],
      ['pair-device', 1, 238],
      ['regular', 2, 248],
      ['keys', 3, 30],
    ];
    for (const [token, dict, index] of double) expect(DOUBLE_BYTE_TOKENS[dict]![index]).toBe(token);
  });
});

describe('encoding with the dictionaries', () => {
  it('writes every single-byte token as its index and every double-byte token as 0xEC+dict, index', () => {
    SINGLE_BYTE_TOKENS.forEach((token, index) => {
      if (index === 0) return;
      expect(bytesToHex(encodeNode({ tag: token, attrs: {} }))).toBe(
        `00f801${index.toString(16).padStart(2, '0')}`,
      );
    });
    DOUBLE_BYTE_TOKENS.forEach((dict, d) => {
      dict.forEach((token, index) => {
        const expected = `00f801${(0xec + d).toString(16)}${index.toString(16).padStart(2, '0')}`;
        expect(bytesToHex(encodeNode({ tag: token, attrs: {} }))).toBe(expected);
      });
    });
  });

  // Baileys looks tokens up in a plain object: `TOKEN_MAP['constructor']` is Object, so these
  // strings are written as byte 0x00 (LIST_EMPTY) and the node is corrupted.
  const prototypeNames = [
    ...Object.getOwnPropertyNames(Object.prototype),
    ...Object.getOwnPropertyNames(Function.prototype),
    '__proto__',
    'prototype',
  ];

  it('writes Object.prototype member names as literal strings, never as byte 0', () => {
    for (const name of prototypeNames) {
      const node = { tag: name, attrs: { [name]: name }, content: name };
      const encoded = encodeNode(node);
      expect(encoded[3]).not.toBe(0);
      const decoded = decodeNode(encoded);
      expect(decoded.tag).toBe(name);
      expect(Object.keys(decoded.attrs)).toEqual([name]);
      expect(Object.getPrototypeOf(decoded.attrs)).toBe(Object.prototype);
    }
  });

  it('keeps a __proto__ attribute as an own property through a round trip', () => {
    const attrs: Record<string, string> = {};
    Object.defineProperty(attrs, '__proto__', {
      value: 'x',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const decoded = decodeNode(encodeNode({ tag: 'a', attrs }));
    expect(Object.hasOwn(decoded.attrs, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(decoded.attrs, '__proto__')?.value).toBe('x');
  });

  it('round-trips any string, token or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...prototypeNames, ...SINGLE_BYTE_TOKENS.slice(1)),
          fc.string({ minLength: 1 }),
        ),
        (s) => {
          const decoded = decodeNode(encodeNode({ tag: 'a', attrs: { k: s } }));
          expect(decoded.attrs.k).toBe(s);
        },
      ),
    );
  });
});
