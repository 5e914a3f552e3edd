import fc from 'fast-check';
import type { BitMatrix } from 'qrcode';
import { getPenaltyN1, getPenaltyN2, getPenaltyN3, getPenaltyN4 } from 'qrcode/lib/core/mask-pattern.js';
import { describe, expect, it } from 'vitest';
import {
  encodeQr,
  QR_ERROR_CORRECTION_LEVELS,
  QR_MAX_VERSION,
  type QrErrorCorrectionLevel,
  type QrMask,
  qrByteCapacity,
} from '../src/qr/index';
import { penaltyScores } from '../src/qr/penalty';
import { firstDifference, peerModules, peerQr, randomPairingString } from './qr-helpers';

const MASKS: readonly QrMask[] = [0, 1, 2, 3, 4, 5, 6, 7];
const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * Rule 4 of ISO/IEC 18004:2015 Table 11 as its NOTE 4 words it: 10 points for each whole 5 % step
 * the dark proportion lies away from 50 % (0 for 45–55 %, 10 for 40–60 %). Written here in
 * floating point from the note, not from src/qr/penalty.ts's integer form.
 */
function standardN4(matrix: BitMatrix): number {
  const dark = matrix.data.reduce((sum, bit) => sum + (bit ? 1 : 0), 0);
  const percent = (dark * 100) / matrix.data.length;
  return 10 * Math.floor(Math.abs(percent - 50) / 5);
}

/** The index of the first smallest value: the mask both encoders keep on a tie. */
function firstMinimum(values: readonly number[]): number {
  return values.indexOf(Math.min(...values));
}

/**
 * Checks `encodeQr(bytes)` against `qrcode` and returns whether qrcode chose the same mask.
 *
 * Version and every masked symbol must be identical. The mask choice is checked rule by rule:
 * qrcode's rules 1–3 on each of its masked symbols, plus rule 4 either as qrcode computes it
 * (whose first minimum must be qrcode's own choice, proving the model of qrcode right) or as the
 * standard words it (whose first minimum must be ours). The two differ only where qrcode's rule 4
 * charges a step too many above 50 % dark (soldair/node-qrcode#412; see src/qr/penalty.ts).
 */
function expectSameAsQrcode(bytes: Uint8Array, level: QrErrorCorrectionLevel): boolean {
  const ours = encodeQr(bytes, { errorCorrectionLevel: level });
  const peer = peerQr(bytes, level);
  expect(ours.version).toBe(peer.version);
  expect(ours.size).toBe(peer.modules.size);

  const peerTotals: number[] = [];
  const standardTotals: number[] = [];
  for (const mask of MASKS) {
    const fixed = peerQr(bytes, level, { version: ours.version, mask }).modules;
    const oursFixed = encodeQr(bytes, { errorCorrectionLevel: level, mask });
    expect(firstDifference(oursFixed.modules, peerModules(fixed), fixed.size), `mask ${mask}`).toBeNull();
    const shared = { n1: getPenaltyN1(fixed), n2: getPenaltyN2(fixed), n3: getPenaltyN3(fixed) };
    const grid = { size: oursFixed.size, dark: oursFixed.modules, reserved: new Uint8Array(0) };
    expect(penaltyScores(grid), `mask ${mask}`).toEqual({ ...shared, n4: standardN4(fixed) });
    peerTotals.push(shared.n1 + shared.n2 + shared.n3 + getPenaltyN4(fixed));
    standardTotals.push(shared.n1 + shared.n2 + shared.n3 + standardN4(fixed));
  }
  expect(peer.maskPattern).toBe(firstMinimum(peerTotals));
  expect(ours.mask).toBe(firstMinimum(standardTotals));
  if (ours.mask !== peer.maskPattern) return false;
  expect(firstDifference(ours.modules, peerModules(peer.modules), ours.size)).toBeNull();
  return true;
}

/** Deterministic bytes (a linear congruential generator), so a failure names its input. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

describe('encodeQr against qrcode', () => {
  it('draws the same symbol as qrcode for every version and level, filled to capacity', () => {
    for (let version = 1; version <= QR_MAX_VERSION; version++) {
      for (const level of QR_ERROR_CORRECTION_LEVELS) {
        const bytes = pseudoRandomBytes(qrByteCapacity(level, version), version * 4 + level.charCodeAt(0));
        const ours = encodeQr(bytes, { errorCorrectionLevel: level });
        expect(ours.version, `version ${version}-${level}`).toBe(version);
        const peer = peerQr(bytes, level, { version, mask: ours.mask });
        expect(
          firstDifference(ours.modules, peerModules(peer.modules), ours.size),
          `${version}-${level}`,
        ).toBeNull();
      }
    }
  });

  it('chooses the version, the masks and the mask choice as qrcode does for pairing strings', () => {
    const agreed: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const bytes = utf8(randomPairingString());
      for (const level of QR_ERROR_CORRECTION_LEVELS) agreed.push(expectSameAsQrcode(bytes, level));
    }
    // Rule 4's difference moves the choice in a few percent of symbols only.
    expect(agreed.filter(Boolean).length).toBeGreaterThan(agreed.length / 2);
  });

  // Any text, including astral characters and lone surrogates (TextEncoder turns those into
  // U+FFFD for both encoders), up to 400 UTF-16 units: at most 1,200 bytes, within level H's 1,273.
  it('draws what qrcode draws for arbitrary text at every level, up to the rule 4 difference', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.constantFrom(...QR_ERROR_CORRECTION_LEVELS),
        (text, level) => {
          expectSameAsQrcode(utf8(text), level);
        },
      ),
      { numRuns: 60 },
    );
  });

  // The same property over text shaped like what WhatsApp puts in its QR codes: base64 fields
  // joined by commas, 180–260 characters.
  it('draws what qrcode draws for WhatsApp-shaped pairing strings at every level', () => {
    const base64 = fc.stringMatching(/^[A-Za-z0-9+/]{40,60}={0,2}$/);
    fc.assert(
      fc.property(
        fc.tuple(base64, base64, base64, base64),
        fc.constantFrom(...QR_ERROR_CORRECTION_LEVELS),
        ([ref, noise, identity, adv], level) => {
          expectSameAsQrcode(utf8(`2@${ref},${noise},${identity},${adv},1`), level);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the standard mask where qrcode rule 4 charges a 50–55 % symbol (the input "aa" at M)', () => {
    // soldair/node-qrcode#412 names this input. qrcode picks mask 3; mask 0 scores lower once a
    // symbol with just over 50 % dark modules is not charged 10 points.
    const bytes = utf8('aa');
    expect(expectSameAsQrcode(bytes, 'M')).toBe(false);
    expect(encodeQr(bytes, { errorCorrectionLevel: 'M' }).mask).toBe(0);
    expect(peerQr(bytes, 'M').maskPattern).toBe(3);
  });
});

describe('encodeQr limits', () => {
  it('holds 2953, 2331, 1663 and 1273 bytes at L, M, Q and H at most', () => {
    expect(QR_ERROR_CORRECTION_LEVELS.map((level) => qrByteCapacity(level))).toEqual([
      2953, 2331, 1663, 1273,
    ]);
    for (const level of QR_ERROR_CORRECTION_LEVELS) {
      const max = qrByteCapacity(level);
      expect(encodeQr(new Uint8Array(max), { errorCorrectionLevel: level }).version).toBe(40);
    }
  });

  it('rejects text one byte too long with a RangeError that names the maximum', () => {
    expect(() => encodeQr(new Uint8Array(2954), { errorCorrectionLevel: 'L' })).toThrow(
      new RangeError(
        '"data" expected at most 2953 bytes for a QR code at error correction level L (version 40), got 2954 bytes',
      ),
    );
    // Counted in UTF-8 bytes, not characters: 1,000 × 'é' is 2,000 bytes, over level Q's 1,663.
    expect(() => encodeQr('é'.repeat(1000), { errorCorrectionLevel: 'Q' })).toThrow(
      /at most 1663 bytes .* level Q .*got 2000 bytes/,
    );
  });

  it('rejects data that does not fit a requested version', () => {
    expect(encodeQr(new Uint8Array(17), { errorCorrectionLevel: 'L', version: 1 }).version).toBe(1);
    expect(() => encodeQr(new Uint8Array(18), { errorCorrectionLevel: 'L', version: 1 })).toThrow(
      new RangeError(
        '"data" expected at most 17 bytes for a version 1 QR code at error correction level L, got 18 bytes',
      ),
    );
  });

  it('encodes in a larger version when asked', () => {
    const qr = encodeQr('wakit', { version: 5 });
    expect([qr.version, qr.size, qr.modules.length]).toEqual([5, 37, 37 * 37]);
  });

  it('rejects a version, mask, level or data that is out of range or of the wrong type', () => {
    expect(() => encodeQr('x', { version: 0 })).toThrow('"version" expected an integer from 1 to 40, got 0');
    expect(() => encodeQr('x', { version: 41 })).toThrow(RangeError);
    expect(() => qrByteCapacity('L', 2.5)).toThrow(RangeError);
    expect(() => encodeQr('x', { mask: 8 as QrMask })).toThrow(
      '"mask" expected an integer from 0 to 7, got 8',
    );
    expect(() => encodeQr('x', { errorCorrectionLevel: 'X' as QrErrorCorrectionLevel })).toThrow(
      '"errorCorrectionLevel" expected one of L, M, Q, H, got "X"',
    );
    expect(() => encodeQr(42 as unknown as string)).toThrow(TypeError);
  });

  it('encodes empty data, which the standard allows (a count of zero)', () => {
    const qr = encodeQr('', { errorCorrectionLevel: 'H' });
    expect(qr.version).toBe(1);
    const peer = peerQr(new Uint8Array(0), 'H', { version: 1, mask: qr.mask });
    expect(firstDifference(qr.modules, peerModules(peer.modules), qr.size)).toBeNull();
  });
});
