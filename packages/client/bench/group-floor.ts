/**
 * The floor of a group send (`group-send.bench.ts`): the cryptography it cannot avoid on Node, done
 * directly, with no protocol around it (no records, no store, no encoding, no stanza, no promises),
 * the way packages/signal/bench/floor.ts floors its workloads:
 * - warm: one sender-key step (two chain HMACs, the 48-byte message-key HKDF), AES-256-CBC of the
 *   padded message, and one Ed25519 signature on OpenSSL with its key imported once (XEdDSA needs
 *   that and a little more);
 * - cold: the same, plus per device one Double Ratchet step (two chain HMACs, the 80-byte HKDF),
 *   AES-256-CBC of the padded distribution message, and the message MAC over both identities.
 * HMAC and HKDF run on @wakit/crypto's synchronous ones, the fastest HMAC-SHA256 found on Node for
 * these sizes (see the signal floor), AES and Ed25519 on OpenSSL. No code on these primitives beats
 * it.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, generateKeyPairSync, randomFillSync, sign } from 'node:crypto';
import { HmacSha256Key, hkdfSha256 } from '@wakit/crypto';

const ZERO_SALT = new Uint8Array(32);
const MESSAGE_KEYS = new TextEncoder().encode('WhisperMessageKeys');
const SENDER_KEYS = new TextEncoder().encode('WhisperGroup');
const ONE = Uint8Array.of(1);
const TWO = Uint8Array.of(2);
/** A text message padded, and a distribution message padded, about their sizes on the wire. */
const MESSAGE = randomFillSync(new Uint8Array(32));
const DISTRIBUTION = randomFillSync(new Uint8Array(150));
const IDENTITY = randomFillSync(new Uint8Array(33));
const signingKey = generateKeyPairSync('ed25519').privateKey;

/** One chain step and its message keys; the AES-CBC of `plaintext` under them; returns its length. */
function step(chainKey: Uint8Array, plaintext: Uint8Array, hkdfLength: number, info: Uint8Array): Buffer {
  const chain = new HmacSha256Key(chainKey);
  const seed = chain.mac(ONE);
  chain.mac(TWO);
  const keys = hkdfSha256(seed, hkdfLength, { salt: ZERO_SALT, info });
  const iv = hkdfLength === 48 ? keys.subarray(0, 16) : keys.subarray(64, 80);
  const key = hkdfLength === 48 ? keys.subarray(16, 48) : keys.subarray(0, 32);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

const chainKey = randomFillSync(new Uint8Array(32));

/** The warm send's floor: the sender-key step and the signature. */
export function warmFloor(): number {
  const body = step(chainKey, MESSAGE, 48, SENDER_KEYS);
  return sign(null, body, signingKey).length;
}

/** The cold send's floor for `devices` devices: the warm one, and a ratchet step and MAC per device. */
export function coldFloor(devices: number): number {
  let total = warmFloor();
  for (let i = 0; i < devices; i++) {
    const body = step(chainKey, DISTRIBUTION, 80, MESSAGE_KEYS);
    total += new HmacSha256Key(chainKey).macParts([IDENTITY, IDENTITY, body]).length;
  }
  return total;
}
