/**
 * The Reed–Solomon error correction codewords of one block, ISO/IEC 18004:2015 §7.5.2.
 *
 * The generator polynomial for n codewords is g(x) = (x − α^0)(x − α^1)…(x − α^(n−1)) (the
 * standard lists them in Annex A); the error correction codewords are the coefficients of the
 * remainder of data(x) · x^n divided by g(x), highest degree first.
 */
import { gfExp, gfMultiply } from './gf256';

const generators = new Map<number, Uint8Array>();

/**
 * The coefficients of g(x) for `degree` codewords, highest degree first, without the leading 1
 * (g is monic). Cached: a symbol uses one degree for all its blocks.
 */
function generatorPolynomial(degree: number): Uint8Array {
  const cached = generators.get(degree);
  if (cached) return cached;
  // Multiply out the factors one at a time; coefficients[0] is the x^(degree−1) term.
  const coefficients = new Uint8Array(degree);
  coefficients[degree - 1] = 1; // g(x) = 1, stored as the lowest term
  let root = 1; // α^0
  for (let i = 0; i < degree; i++) {
    // g(x) ← g(x) · (x − root): shift up by one degree, then add root · g(x). Minus is XOR in GF(2^8).
    for (let j = 0; j < degree; j++) {
      coefficients[j] = gfMultiply(coefficients[j], root) ^ (j + 1 < degree ? coefficients[j + 1] : 0);
    }
    root = gfExp(i + 1);
  }
  generators.set(degree, coefficients);
  return coefficients;
}

/**
 * The `count` error correction codewords for the data codewords `data`.
 *
 * @example
 * ```ts
 * reedSolomonRemainder(dataBlock, 10); // 10 EC codewords, as a version 1-M block has
 * ```
 */
export function reedSolomonRemainder(data: Uint8Array, count: number): Uint8Array {
  const generator = generatorPolynomial(count);
  const remainder = new Uint8Array(count);
  // Polynomial long division, one data codeword at a time (a linear feedback shift register).
  for (const codeword of data) {
    const factor = codeword ^ remainder[0];
    remainder.copyWithin(0, 1);
    remainder[count - 1] = 0;
    for (let j = 0; j < count; j++) remainder[j] ^= gfMultiply(generator[j], factor);
  }
  return remainder;
}
