/**
 * Synchronous HKDF-SHA256 (RFC 5869) on the package's own SHA-256. Synchronous for the same reason
 * as `hmac-sha256.ts` (see there): it expands secrets derived a moment earlier, many times per
 * message, where node:crypto's `hkdfSync` spends ~20–40 µs on per-call overhead (a KeyObject for
 * every input key) and this ~10 µs on Signal's 80-byte message keys.
 */
import { assertBytes, assertInteger, LIMITS } from './_assert';
import {
  beginMac,
  finishMac,
  type HmacMidstates,
  macUpdate,
  macUpdateByte,
  newMidstates,
  setKey,
  setKeyFromDigest,
  writeDigest,
} from './_sha256';
import type { HkdfOptions } from './provider';

/** Bytes of one expand block T(i) (HashLen). */
const HASH_LENGTH = 32;
const NO_INFO = new Uint8Array(0);

/** Scratch midstates of a caller's salt and of the PRK: nothing here keeps them between calls. */
const saltKey = newMidstates();
const prkKey = newMidstates();
/**
 * The extract key of the default salt, computed on first use and kept: Signal's message keys, its
 * sender keys and X3DH all extract with it, so their extract costs two compressions, not four.
 */
let zeroSaltKey: HmacMidstates | undefined;

/**
 * True when `salt` is the default salt in disguise. HMAC zero-pads a key to 64 bytes (RFC 2104
 * §2), so an empty salt, RFC 5869's HashLen zeros and any all-zero salt up to 64 bytes are the same
 * key. Constant time in the contents (the root key is a secret salt); only the verdict shows.
 */
function isZeroKey(salt: Uint8Array): boolean {
  if (salt.length > 64) return false;
  let acc = 0;
  for (let i = 0; i < salt.length; i++) acc |= salt[i]!;
  return acc === 0;
}

function extractKey(salt: Uint8Array | undefined): HmacMidstates {
  if (salt === undefined || isZeroKey(salt)) {
    if (zeroSaltKey === undefined) {
      zeroSaltKey = newMidstates();
      setKey(new Uint8Array(HASH_LENGTH), zeroSaltKey);
    }
    return zeroSaltKey;
  }
  setKey(salt, saltKey);
  return saltKey;
}

/**
 * HKDF-SHA256 (RFC 5869), synchronously: `length` bytes (0 to 8160 = 255 × 32) of output keying
 * material from `ikm`. Salt defaults to 32 zero bytes (§2.2; an empty salt is the same), info to
 * empty. Gives the same bytes as the providers' `hkdf` and throws the same `TypeError`/`RangeError`
 * for the same misuse.
 *
 * @example
 * ```ts
 * // Signal's message keys: cipher key 32 || MAC key 32 || IV 16
 * const okm = hkdfSha256(messageKeySeed, 80, { info: new TextEncoder().encode('WhisperMessageKeys') });
 * ```
 */
export function hkdfSha256(ikm: Uint8Array, length: number, options: HkdfOptions = {}): Uint8Array {
  assertBytes('ikm', ikm);
  assertInteger('length', length, 0, LIMITS.HKDF_MAX_LENGTH);
  const salt = options.salt === undefined ? undefined : assertBytes('salt', options.salt);
  const info = options.info === undefined ? NO_INFO : assertBytes('info', options.info);

  // §2.2 extract: PRK = HMAC(salt, IKM), left in the hash state and keyed from there as words.
  const extract = extractKey(salt);
  beginMac(extract);
  macUpdate(ikm);
  finishMac(extract);
  setKeyFromDigest(prkKey);

  // §2.3 expand: T(i) = HMAC(PRK, T(i-1) || info || i), written straight into the output, where
  // T(i-1) is then read back from (every T but the last is whole there).
  const okm = new Uint8Array(length);
  for (let offset = 0, i = 1; offset < length; offset += HASH_LENGTH, i++) {
    beginMac(prkKey);
    if (offset > 0) macUpdate(okm, offset - HASH_LENGTH, offset);
    macUpdate(info);
    macUpdateByte(i);
    writeDigest(finishMac(prkKey), okm, offset, Math.min(HASH_LENGTH, length - offset));
  }
  return okm;
}
