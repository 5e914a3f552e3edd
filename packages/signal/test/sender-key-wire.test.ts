/**
 * The two sender-key wire messages: bytes identical to Baileys' (protobufjs over WAProto) for any
 * field values, the exact layout, and the decoders' refusals. Signatures made by one side verify on
 * the other (Baileys signs through libsignal-node's curve25519).
 */

import { SenderKeyDistributionMessage as BaileysSkdm } from 'baileys/lib/Signal/Group/sender-key-distribution-message.js';
import { SenderKeyMessage as BaileysSenderKeyMessage } from 'baileys/lib/Signal/Group/sender-key-message.js';
import { proto } from 'baileys/WAProto/index.js';
import fc from 'fast-check';
import * as libsignalCurve from 'libsignal/src/curve.js';
import { describe, expect, it } from 'vitest';
import { InvalidMessageError, isSignalError, UnsupportedVersionError } from '../src/errors';
import {
  decodeSenderKeyDistributionMessage,
  encodeSenderKeyDistributionMessage,
} from '../src/sender-key-distribution-message';
import { decodeSenderKeyMessage, encodeSenderKeyMessage } from '../src/sender-key-message';
import { PROVIDERS } from './sender-key-helpers';

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const prefixed = (raw: Uint8Array) => new Uint8Array([0x05, ...raw]);

describe('SenderKeyDistributionMessage', () => {
  it('lays out 0x33, then id, iteration, chainKey and signingKey in field order, with no trailer', () => {
    const bytes = encodeSenderKeyDistributionMessage({
      keyId: 300,
      iteration: 0,
      chainKey: new Uint8Array(32).fill(0xaa),
      signingKey: new Uint8Array(32).fill(0xbb),
    });
    expect(hex(bytes)).toBe(
      `33 08ac02 1000 1a20${'aa'.repeat(32)} 2221 05${'bb'.repeat(32)}`.replaceAll(' ', ''),
    );
  });

  it("encodes any fields to Baileys' bytes, and decodes Baileys' bytes to the same fields", () => {
    fc.assert(
      fc.property(uint32, uint32, key32, key32, (keyId, iteration, chainKey, signingKey) => {
        const ours = encodeSenderKeyDistributionMessage({ keyId, iteration, chainKey, signingKey });
        const theirs = new BaileysSkdm(keyId, iteration, chainKey, prefixed(signingKey)).serialize();
        expect(hex(ours)).toBe(hex(theirs));
        // Baileys hands over Buffers: the decoded fields must be plain copies, not views into them.
        const decoded = decodeSenderKeyDistributionMessage(theirs);
        expect(decoded.chainKey.buffer).not.toBe(theirs.buffer);
        expect(decoded).toStrictEqual({
          keyId,
          iteration,
          chainKey,
          signingKey,
          serialized: new Uint8Array(theirs),
        });
        const back = new BaileysSkdm(null, null, null, null, ours);
        expect([back.getId(), back.getIteration()]).toEqual([keyId, iteration]);
      }),
    );
  });

  it.each([
    ['an empty message', '', InvalidMessageError],
    ['version 2', '22', UnsupportedVersionError],
    ['version 4', '44', UnsupportedVersionError],
    ['a missing signing key', `33 0801 1000 1a20${'aa'.repeat(32)}`, InvalidMessageError],
    [
      'a 31-byte chain key',
      `33 0801 1000 1a1f${'aa'.repeat(31)} 2221 05${'bb'.repeat(32)}`,
      InvalidMessageError,
    ],
    [
      'a signing key without 0x05',
      `33 0801 1000 1a20${'aa'.repeat(32)} 2220${'bb'.repeat(32)}`,
      InvalidMessageError,
    ],
    [
      'a signing key of type 0x06',
      `33 0801 1000 1a20${'aa'.repeat(32)} 2221 06${'bb'.repeat(32)}`,
      InvalidMessageError,
    ],
    ['a truncated protobuf', `33 0801 1000 1a20${'aa'.repeat(31)}`, InvalidMessageError],
  ])('refuses %s', (_, wire, error) => {
    expect(() => decodeSenderKeyDistributionMessage(Buffer.from(wire.replaceAll(' ', ''), 'hex'))).toThrow(
      error,
    );
  });

  it('reads the version from the high nibble only, as libsignal does', () => {
    const bytes = encodeSenderKeyDistributionMessage({
      keyId: 1,
      iteration: 2,
      chainKey: new Uint8Array(32),
      signingKey: new Uint8Array(32).fill(9),
    });
    bytes[0] = 0x32;
    expect(decodeSenderKeyDistributionMessage(bytes).iteration).toBe(2);
  });

  it('throws nothing but its own errors, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (tail, versioned) => {
        const bytes = versioned ? new Uint8Array([0x33, ...tail]) : tail;
        try {
          decodeSenderKeyDistributionMessage(bytes);
        } catch (error) {
          expect(isSignalError(error)).toBe(true);
        }
      }),
    );
  });
});

describe.each(PROVIDERS)('SenderKeyMessage with %s', (_, crypto) => {
  it('lays out 0x33, id, iteration and ciphertext in field order, then a 64-byte signature over them', async () => {
    const signer = await crypto.generateKeyPair();
    const bytes = await encodeSenderKeyMessage(7, 0, Uint8Array.of(1, 2, 3), signer.privateKey, crypto);
    expect(hex(bytes.subarray(0, bytes.length - 64))).toBe('33080710001a03010203');
    const parsed = decodeSenderKeyMessage(bytes);
    expect(parsed).toMatchObject({ keyId: 7, iteration: 0, ciphertext: Uint8Array.of(1, 2, 3) });
    expect(await crypto.verify(signer.publicKey, parsed.signed, parsed.signature)).toBe(true);
  });

  it("signs exactly the bytes Baileys signs, and each side's signature verifies on the other", async () => {
    const ours = await crypto.generateKeyPair();
    const theirs = libsignalCurve.generateKeyPair();
    await fc.assert(
      fc.asyncProperty(
        uint32,
        uint32,
        fc.uint8Array({ maxLength: 80 }),
        async (keyId, iteration, ciphertext) => {
          const mine = await encodeSenderKeyMessage(keyId, iteration, ciphertext, ours.privateKey, crypto);
          const baileys = new BaileysSenderKeyMessage(
            keyId,
            iteration,
            ciphertext,
            theirs.privKey,
          ).serialize();
          const unsigned = new Uint8Array([
            0x33,
            ...proto.SenderKeyMessage.encode({ id: keyId, iteration, ciphertext }).finish(),
          ]);
          expect(hex(mine.subarray(0, mine.length - 64))).toBe(hex(unsigned));
          expect(hex(baileys.subarray(0, baileys.length - 64))).toBe(hex(unsigned));
          // Baileys checks our signature with libsignal-node; we check theirs with our provider.
          new BaileysSenderKeyMessage(null, null, null, null, mine).verifySignature(
            Buffer.from(prefixed(ours.publicKey)),
          );
          const parsed = decodeSenderKeyMessage(baileys);
          expect(await crypto.verify(theirs.pubKey.subarray(1), parsed.signed, parsed.signature)).toBe(true);
          expect([parsed.keyId, parsed.iteration, hex(parsed.ciphertext)]).toEqual([
            keyId,
            iteration,
            hex(ciphertext),
          ]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it.each([
    ['a message shorter than a version byte and a signature', 64, InvalidMessageError],
    ['an empty message', 0, InvalidMessageError],
  ])('refuses %s', (_, length, error) => {
    expect(() => decodeSenderKeyMessage(new Uint8Array(length).fill(0x33))).toThrow(error);
  });

  it('refuses a version other than 3 and a protobuf without its fields', async () => {
    const signer = await crypto.generateKeyPair();
    const bytes = await encodeSenderKeyMessage(7, 0, Uint8Array.of(1), signer.privateKey, crypto);
    expect(() => decodeSenderKeyMessage(new Uint8Array([0x23, ...bytes.subarray(1)]))).toThrow(
      UnsupportedVersionError,
    );
    // 0x33, id = 7 only, then a signature: no iteration and no ciphertext.
    expect(() => decodeSenderKeyMessage(new Uint8Array([0x33, 0x08, 0x07, ...new Uint8Array(64)]))).toThrow(
      InvalidMessageError,
    );
  });

  it('throws nothing but its own errors, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), (tail) => {
        try {
          decodeSenderKeyMessage(new Uint8Array([0x33, ...tail]));
        } catch (error) {
          expect(isSignalError(error)).toBe(true);
        }
      }),
    );
  });
});
