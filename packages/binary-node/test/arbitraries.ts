/**
 * fast-check generators for nodes. Two flavours:
 *
 * - `anyNode`: everything our codec must round-trip, including strings no reference handles
 *   (prototype names, near-JIDs, long JIDs, arbitrary Unicode). It avoids only lone surrogates,
 *   which the encoder refuses by design (they have no UTF-8 form; see utf8.ts).
 * - `wellFormedNode`: the stanzas real clients build, on which Baileys, whatsapp-rust-bridge and
 *   wakit must produce identical bytes. It leaves out, with the reason:
 *     - strings naming Object.prototype members (fast-check favours them): Baileys' token map is a
 *       plain object and writes them as byte 0;
 *     - near-JIDs (agent suffix, device 0, device on a group, non-numeric device, unknown server,
 *       more than one '@', JIDs over 48 bytes): each reference writes them differently and at
 *       least one loses data (test/encode.test.ts pins down what wakit writes for each);
 *     - FB_JID and INTEROP_JID strings: neither reference writes them from a string;
 *     - text containing '@': both references write any `user@anything` as a JID_PAIR (which the
 *       server then reads as a JID, not text, and which whatsapp-rust cannot even decode when the
 *       server part is unknown); wakit writes it as text.
 *   `wellFormedNodeForBridge` additionally leaves out two things whatsapp-rust-bridge@0.5.5 gets
 *   wrong (whatsapp-rust HEAD has fixed the second):
 *     - attribute values that are empty or all whitespace: its encoder drops the attribute
 *       (Baileys and wakit write the value);
 *     - JIDs on the `call` server: its decoder rejects them ("JID_PAIR unknown server: call").
 */
import fc from 'fast-check';
import { DOUBLE_BYTE_TOKENS, type NodeInput, SINGLE_BYTE_TOKENS } from '../src/index';

const singleTokens = SINGLE_BYTE_TOKENS.slice(1);
const doubleTokens = DOUBLE_BYTE_TOKENS.flat();
export const token = fc.constantFrom(...singleTokens, ...doubleTokens);

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
export const nibbleString = fc.stringMatching(/^[0-9.-]{1,140}$/);
export const hexString = fc.stringMatching(/^[0-9A-F]{1,140}$/);

const adServer = fc.constantFrom('s.whatsapp.net', 'lid', 'hosted', 'hosted.lid');
const anyServer = fc.constantFrom(
  's.whatsapp.net',
  'lid',
  'g.us',
  'broadcast',
  'newsletter',
  'c.us',
  'hosted',
  'hosted.lid',
  'bot',
  'call',
);
const jidUser = fc.oneof(
  digits(1, 20),
  fc.constant('status'),
  fc.tuple(digits(5, 12), digits(5, 12)).map(([a, b]) => `${a}-${b}`),
);

/** Canonical JIDs both references write the way wakit does. */
export const wellFormedJid = fc
  .oneof(
    fc.tuple(jidUser, anyServer).map(([u, s]) => `${u}@${s}`),
    fc.tuple(digits(1, 20), fc.integer({ min: 1, max: 255 }), adServer).map(([u, d, s]) => `${u}:${d}@${s}`),
    anyServer.map((s) => `@${s}`),
  )
  .filter((jid) => jid.length <= 48);

const prototypeNames = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype']);

/** Text without '@' and without prototype member names (see the file comment). */
const plainText = fc
  .string({ unit: 'grapheme', minLength: 0, maxLength: 40 })
  .filter((s) => !s.includes('@') && !prototypeNames.has(s));

export const wellFormedString = fc.oneof(token, nibbleString, hexString, wellFormedJid, plainText);

const prototypeName = fc.constantFrom(...prototypeNames);
const nearJid = fc.oneof(
  fc
    .tuple(digits(1, 15), fc.integer({ min: 0, max: 70_000 }), anyServer)
    .map(([u, d, s]) => `${u}:${d}@${s}`),
  fc
    .tuple(digits(1, 15), digits(1, 3), fc.integer({ min: 1, max: 99 }), adServer)
    .map(([u, a, d, s]) => `${u}_${a}:${d}@${s}`),
  fc.tuple(digits(1, 15), fc.integer({ min: 0, max: 70_000 })).map(([u, d]) => `${u}:${d}@msgr`),
  fc
    .tuple(fc.integer({ min: 0, max: 70_000 }), digits(1, 15), fc.integer({ min: 0, max: 70_000 }))
    .map(([i, u, d]) => `${i}-${u}:${d}@interop`),
  fc
    .tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 12 }))
    .map(([u, s]) => `${u}@${s}`),
  fc.tuple(digits(30, 60), anyServer).map(([u, s]) => `${u}@${s}`),
);
const unicodeText = fc.string({ unit: 'binary', maxLength: 60 });

export const anyString = fc.oneof(
  token,
  nibbleString,
  hexString,
  wellFormedJid,
  nearJid,
  prototypeName,
  unicodeText,
);

function nodeArbitrary(
  string: fc.Arbitrary<string>,
  maxDepth: number,
  attrValue: fc.Arbitrary<string> = string,
): fc.Arbitrary<NodeInput> {
  const tag = string.filter((s) => s !== '');
  const attrs = fc.dictionary(string, attrValue, { maxKeys: 6, noNullPrototype: true });
  const bytes = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 250, maxLength: 300 }));
  const { node } = fc.letrec<{ node: NodeInput }>((tie) => ({
    node: fc.record(
      {
        tag,
        attrs,
        content: fc.oneof(
          { depthSize: 'small', maxDepth },
          bytes,
          string,
          fc.array(tie('node'), { maxLength: 4 }),
        ),
      },
      { requiredKeys: ['tag', 'attrs'] },
    ),
  }));
  return node;
}

export const anyNode = nodeArbitrary(anyString, 4);
export const wellFormedNode = nodeArbitrary(wellFormedString, 4);
const bridgeString = wellFormedString.filter((s) => !s.endsWith('@call'));
export const wellFormedNodeForBridge = nodeArbitrary(
  bridgeString,
  4,
  bridgeString.filter((s) => s.trim() !== ''),
);
