/**
 * Arithmetic in GF(2^8), the field the QR code's Reed–Solomon code works in.
 *
 * ISO/IEC 18004:2015 §7.5.2: the field is built with the primitive polynomial
 * x^8 + x^4 + x^3 + x^2 + 1 (0x11d), and α = 2 generates its multiplicative group. Addition is XOR;
 * multiplication goes through logarithm tables, built once at module load (512 + 256 bytes).
 */

/** The field's primitive polynomial with the x^8 term, §7.5.2. */
const PRIMITIVE_POLYNOMIAL = 0x11d;

/** `EXP[i]` = α^i. Doubled to 510 entries so that `EXP[LOG[a] + LOG[b]]` needs no `% 255`. */
const EXP = new Uint8Array(510);
/** `LOG[a]` = i with α^i = a, for a ≠ 0 (`LOG[0]` is unused). */
const LOG = new Uint8Array(256);

let x = 1;
for (let i = 0; i < 255; i++) {
  EXP[i] = x;
  EXP[i + 255] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= PRIMITIVE_POLYNOMIAL;
}

/** The product of two field elements (bytes). */
export function gfMultiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a] + LOG[b]];
}

/** α^i for 0 ≤ i < 255. */
export function gfExp(i: number): number {
  return EXP[i];
}
