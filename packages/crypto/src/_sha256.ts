/**
 * SHA-256 (FIPS 180-4 §5–6: padding, parsing, hash computation) and the HMAC midstate steps
 * (RFC 2104 §2) for the synchronous HMAC and HKDF, tuned for the tiny inputs of Signal's key
 * derivations. The compression function is in `_sha256-compress.ts`. Internal.
 *
 * One hash runs at a time, in module scratch: the block's words `W`, the pending partial block and
 * the working state `H`. So hashing allocates nothing, and an HMAC's key can enter as a midstate
 * (the state after its 64-byte pad block) rather than being hashed again on every call. This is
 * safe because every caller runs begin -> absorb* -> finish synchronously and calls no code of
 * anyone else's in between: no second hash can start while one is half absorbed.
 */
import { compress } from './_sha256-compress';

/** FIPS 180-4 §5.3.3: the initial hash value H(0). */
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** Bytes in one SHA-256 block (and so in an HMAC pad). */
const BLOCK_LENGTH = 64;
/** RFC 2104 §2: ipad is 0x36 repeated, opad 0x5c; `IPAD ^ OPAD_FROM_IPAD` is the opad word. */
const IPAD = 0x36363636;
const OPAD_FROM_IPAD = 0x36363636 ^ 0x5c5c5c5c;

// Words live in Int32Arrays: whatever is read back is a 32-bit integer, which V8 keeps unboxed.
const W = new Int32Array(16);
const H = new Int32Array(8);
const pendingBlock = new Uint8Array(BLOCK_LENGTH);
let pendingLength = 0;
/** Bytes hashed so far, counting a midstate's pad block: FIPS 180-4 §5.1.1 pads with the total. */
let totalLength = 0;

/** Loads `count` big-endian words from `bytes` at `offset` into W[0..count-1]. */
function loadWords(bytes: Uint8Array, offset: number, count: number): void {
  for (let i = 0; i < count; i++, offset += 4) {
    W[i] =
      (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  }
}

/** Copies a state; a loop, because `TypedArray#set` costs more than eight assignments here. */
function copyState(from: Int32Array, to: Int32Array): void {
  for (let i = 0; i < 8; i++) to[i] = from[i]!;
}

/**
 * Starts a hash from `state`: the IV with `prefixLength` 0, or a midstate with the 64 bytes it
 * has already absorbed.
 */
function begin(state: Int32Array, prefixLength: number): void {
  copyState(state, H);
  pendingLength = 0;
  totalLength = prefixLength;
}

/** Absorbs `data[start..end)`: whole blocks straight from `data`, the rest into the pending block. */
function absorb(data: Uint8Array, start: number, end: number): void {
  totalLength += end - start;
  let i = start;
  if (pendingLength > 0) {
    while (pendingLength < BLOCK_LENGTH && i < end) pendingBlock[pendingLength++] = data[i++]!;
    if (pendingLength < BLOCK_LENGTH) return;
    loadWords(pendingBlock, 0, 16);
    compress(H, W);
    pendingLength = 0;
  }
  for (; end - i >= BLOCK_LENGTH; i += BLOCK_LENGTH) {
    loadWords(data, i, 16);
    compress(H, W);
  }
  while (i < end) pendingBlock[pendingLength++] = data[i++]!;
}

/** Absorbs one byte (HKDF's block counter) without an array for it. */
function absorbByte(byte: number): void {
  totalLength++;
  pendingBlock[pendingLength++] = byte;
  if (pendingLength === BLOCK_LENGTH) {
    loadWords(pendingBlock, 0, 16);
    compress(H, W);
    pendingLength = 0;
  }
}

/** FIPS 180-4 §5.1.1 padding: 0x80, zeros, then the length in bits as 64 bits. The digest is in H. */
function finish(): void {
  pendingBlock[pendingLength++] = 0x80;
  if (pendingLength > BLOCK_LENGTH - 8) {
    pendingBlock.fill(0, pendingLength);
    loadWords(pendingBlock, 0, 16);
    compress(H, W);
    pendingLength = 0;
  }
  pendingBlock.fill(0, pendingLength, BLOCK_LENGTH - 8);
  loadWords(pendingBlock, 0, 14);
  // Bits = bytes * 8, split into 32-bit halves; `<< 3` keeps exactly the low 32 bits.
  W[14] = Math.floor(totalLength / 0x20000000);
  W[15] = totalLength << 3;
  compress(H, W);
}

/** Writes the first `length` (at most 32) bytes of the digest in `words`, big-endian, at `offset`. */
export function writeDigest(words: Int32Array, out: Uint8Array, offset: number, length: number): void {
  for (let i = 0; i < length; i++) out[offset + i] = words[i >> 2]! >>> (24 - 8 * (i & 3));
}

/** SHA-256 of `data` in a new 32-byte array (HMAC hashes keys longer than a block with it). */
export function sha256(data: Uint8Array): Uint8Array {
  begin(IV, 0);
  absorb(data, 0, data.length);
  finish();
  const out = new Uint8Array(32);
  writeDigest(H, out, 0, 32);
  return out;
}

/**
 * An HMAC-SHA256 key as its two midstates: SHA-256's state after the block K0 ^ ipad, and after
 * K0 ^ opad (RFC 2104 §2 steps 1–2 and 5, K0 being the key zero-padded to a block). Every MAC
 * under the key then starts from them instead of compressing the pad blocks again.
 */
export interface HmacMidstates {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/** A pair of midstate arrays to fill with {@link setKey} or {@link setKeyFromDigest}. */
export function newMidstates(): HmacMidstates {
  return { inner: new Int32Array(8), outer: new Int32Array(8) };
}

/** Compresses W[0..15] (K0 ^ ipad) into `into.inner`, flips it to K0 ^ opad, compresses into `into.outer`. */
function padMidstates(into: HmacMidstates): void {
  copyState(IV, into.inner);
  compress(into.inner, W);
  for (let i = 0; i < 16; i++) W[i] ^= OPAD_FROM_IPAD;
  copyState(IV, into.outer);
  compress(into.outer, W);
}

/** The midstates of `key`, of any length (RFC 2104 §3: a key longer than a block is hashed first). */
export function setKey(key: Uint8Array, into: HmacMidstates): void {
  const k0 = key.length > BLOCK_LENGTH ? sha256(key) : key;
  pendingBlock.fill(0);
  pendingBlock.set(k0);
  loadWords(pendingBlock, 0, 16);
  for (let i = 0; i < 16; i++) W[i] ^= IPAD;
  padMidstates(into);
}

/**
 * The midstates of the 32-byte key that is the digest now in H (HKDF's PRK), taken as words: no
 * round trip through bytes.
 */
export function setKeyFromDigest(into: HmacMidstates): void {
  for (let i = 0; i < 8; i++) W[i] = H[i]! ^ IPAD;
  for (let i = 8; i < 16; i++) W[i] = IPAD;
  padMidstates(into);
}

/** Starts the inner hash of an HMAC under `key`: what is absorbed next is the message. */
export function beginMac(key: HmacMidstates): void {
  begin(key.inner, BLOCK_LENGTH);
}

/** Absorbs `data[start..end)` into the MAC begun with {@link beginMac}. */
export function macUpdate(data: Uint8Array, start = 0, end = data.length): void {
  absorb(data, start, end);
}

/** Absorbs one byte into the MAC begun with {@link beginMac}. */
export function macUpdateByte(byte: number): void {
  absorbByte(byte);
}

/**
 * Finishes the inner hash and runs the outer one (RFC 2104 §2 steps 6–9). Its only block is the
 * 32-byte inner digest, padding and the length (64 + 32 bytes), so it is loaded as words directly.
 * Returns the tag's words (module scratch: read it with {@link writeDigest} before the next hash).
 */
export function finishMac(key: HmacMidstates): Int32Array {
  finish();
  for (let i = 0; i < 8; i++) W[i] = H[i]!;
  W[8] = 0x80000000 | 0;
  for (let i = 9; i < 15; i++) W[i] = 0;
  W[15] = (BLOCK_LENGTH + 32) * 8;
  copyState(key.outer, H);
  compress(H, W);
  return H;
}
