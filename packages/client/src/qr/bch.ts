/**
 * The BCH codes that protect the format information (15,5) and the version information (18,6),
 * ISO/IEC 18004:2015 §7.9.1 and §7.10 (Annexes C and D work examples of both).
 */

/**
 * `data` followed by its BCH check bits: the remainder of data · x^checkBits divided by
 * `generator` (given with its leading term), computed bit by bit as polynomial division over GF(2).
 */
function bchEncode(data: number, checkBits: number, generator: number): number {
  let remainder = data << checkBits;
  for (let bit = 31 - Math.clz32(remainder); bit >= checkBits; bit--) {
    if ((remainder >>> bit) & 1) remainder ^= generator << (bit - checkBits);
  }
  return (data << checkBits) | remainder;
}

/** §7.9.1: G(x) = x^10 + x^8 + x^5 + x^4 + x^2 + x + 1. */
const FORMAT_GENERATOR = 0b101_0011_0111;
/**
 * §7.9.1: the format information is XORed with 101010000010010 so that no combination of level and
 * mask gives all-zero bits (an all-light format area would look like no symbol at all).
 */
const FORMAT_MASK = 0b101_0100_0001_0010;
/** §7.10: G(x) = x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1. */
const VERSION_GENERATOR = 0b1_1111_0010_0101;

/** The 15 format information bits for a 2-bit level indicator and a 3-bit mask pattern reference. */
export function formatInformationBits(levelIndicator: number, mask: number): number {
  return bchEncode((levelIndicator << 3) | mask, 10, FORMAT_GENERATOR) ^ FORMAT_MASK;
}

/** The 18 version information bits of `version` (7–40; smaller versions carry none). */
export function versionInformationBits(version: number): number {
  return bchEncode(version, 12, VERSION_GENERATOR);
}
