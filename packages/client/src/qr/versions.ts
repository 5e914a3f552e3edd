/**
 * The forty QR code versions (symbol sizes), ISO/IEC 18004:2015 §6.3.2, and what each one's layout
 * leaves for codewords.
 */

/** The smallest version: 21 × 21 modules. */
export const QR_MIN_VERSION = 1;
/** The largest version: 177 × 177 modules. */
export const QR_MAX_VERSION = 40;

/** Modules per side of a version's symbol: 21 for version 1, then 4 more per version (§6.3.2). */
export function symbolSize(version: number): number {
  return 17 + 4 * version;
}

/**
 * The row/column coordinates of the alignment pattern centres, by version (Annex E). Patterns sit
 * at every pairing of these, except the three pairings that fall on a finder pattern.
 */
export const ALIGNMENT_PATTERN_CENTRES: readonly (readonly number[])[] = [
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
  [6, 30, 54],
  [6, 32, 58],
  [6, 34, 62],
  [6, 26, 46, 66],
  [6, 26, 48, 70],
  [6, 26, 50, 74],
  [6, 30, 54, 78],
  [6, 30, 56, 82],
  [6, 30, 58, 86],
  [6, 34, 62, 90],
  [6, 28, 50, 72, 94],
  [6, 26, 50, 74, 98],
  [6, 30, 54, 78, 102],
  [6, 28, 54, 80, 106],
  [6, 32, 58, 84, 110],
  [6, 30, 58, 86, 114],
  [6, 34, 62, 90, 118],
  [6, 26, 50, 74, 98, 122],
  [6, 30, 54, 78, 102, 126],
  [6, 26, 52, 78, 104, 130],
  [6, 30, 56, 82, 108, 134],
  [6, 34, 60, 86, 112, 138],
  [6, 30, 58, 86, 114, 142],
  [6, 34, 62, 90, 118, 146],
  [6, 30, 54, 78, 102, 126, 150],
  [6, 24, 50, 76, 102, 128, 154],
  [6, 28, 54, 80, 106, 132, 158],
  [6, 32, 58, 84, 110, 136, 162],
  [6, 26, 54, 82, 110, 138, 166],
  [6, 30, 58, 86, 114, 142, 170],
];

/** The alignment pattern centre coordinates of `version` (empty for version 1). */
export function alignmentPatternCentres(version: number): readonly number[] {
  return ALIGNMENT_PATTERN_CENTRES[version - 1]!;
}

/**
 * How many 8-bit codewords (data and error correction together) a version holds: the modules
 * left once every function pattern and the format and version information are placed, divided
 * by 8. The 0, 3, 4 or 7 modules left over are the remainder bits (§7.7.3), always light before
 * masking.
 */
export function totalCodewords(version: number): number {
  const size = symbolSize(version);
  let functionModules = 3 * 8 * 8; // §6.3.3–6.3.4: the finder patterns with their separators
  functionModules += 2 * (size - 16); // §6.3.5: the timing row and column between the separators
  functionModules += 2 * 15 + 1; // §7.9.1: both copies of the format information, and the dark module
  const perAxis = alignmentPatternCentres(version).length;
  if (perAxis > 0) {
    // §6.3.6: 5 × 5 patterns, minus the three on the finders; those centred on row or column 6
    // cross the timing pattern, whose 5 modules there are already counted.
    const patterns = perAxis * perAxis - 3;
    const onTiming = 2 * (perAxis - 2);
    functionModules += 25 * patterns - 5 * onTiming;
  }
  if (version >= 7) functionModules += 2 * 18; // §7.10: two 6 × 3 blocks of version information
  return Math.floor((size * size - functionModules) / 8);
}
