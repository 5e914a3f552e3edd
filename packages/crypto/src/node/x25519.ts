/**
 * X25519 on node:crypto (OpenSSL) from raw 32-byte keys. node:crypto only takes keys as
 * `KeyObject`s, so raw keys are imported (and cached, see key-cache.ts).
 *
 * Private keys are imported as JWK, ~13x faster than PKCS#8 DER on Node 20. Node's JWK import
 * insists that `x` is a string but ignores it for private keys (the public key is derived from
 * `d`), so a placeholder is passed instead of computing the public key first. Because that is Node
 * behaviour rather than documented API, the first import checks it once against RFC 7748 §6.1 and
 * falls back to DER for good if a future Node validates or trusts `x`.
 */
import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { isAllZero } from '../_bytes';
import type { KeyCache } from '../_key-cache';
import { MESSAGES } from '../_messages';
import { InvalidKeyError } from '../index';
import { toUint8 } from './_buffers';

/** RFC 8410 PKCS#8 header of an X25519 private key, followed by the 32 raw bytes. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
/** A syntactically valid `x` for JWK import; ignored by Node for private keys (checked below). */
const PLACEHOLDER_X = Buffer.alloc(32).toString('base64url');
/** RFC 7748 §6.1: Alice's private and public key, for the one-time import check. */
const RFC7748_PRIVATE = Buffer.from(
  '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  'hex',
);
const RFC7748_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';

const base64url = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

function importPrivateJwk(privateKey: Uint8Array): KeyObject {
  const jwk = { kty: 'OKP', crv: 'X25519', d: base64url(privateKey), x: PLACEHOLDER_X };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function importPrivateDer(privateKey: Uint8Array): KeyObject {
  const der = Buffer.concat([PKCS8_PREFIX, privateKey]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function publicBytesOf(privateKey: KeyObject): Uint8Array {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  // base64url decoding allocates from Buffer's shared pool: copy out.
  return new Uint8Array(Buffer.from(x!, 'base64url'));
}

function jwkImportIgnoresX(): boolean {
  try {
    return Buffer.from(publicBytesOf(importPrivateJwk(RFC7748_PRIVATE))).toString('hex') === RFC7748_PUBLIC;
  } catch {
    return false;
  }
}

let importPrivate = (privateKey: Uint8Array): KeyObject => {
  importPrivate = privateKeyImportFormat() === 'jwk' ? importPrivateJwk : importPrivateDer;
  return importPrivate(privateKey);
};

/** Which import this Node allows (internal; tests assert the fast one is in use). */
export function privateKeyImportFormat(): 'jwk' | 'der' {
  return jwkImportIgnoresX() ? 'jwk' : 'der';
}

function importPublic(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(publicKey) }, format: 'jwk' });
}

/** The caches X25519 operations share; one per provider instance. */
export interface X25519Caches {
  privateKeys: KeyCache<KeyObject>;
  publicKeys: KeyCache<KeyObject>;
}

/** The X25519 public key of `privateKey` (clamped by OpenSSL on use, like RFC 7748 says). */
export function x25519PublicKey(caches: X25519Caches, privateKey: Uint8Array): Uint8Array {
  return publicBytesOf(caches.privateKeys.get(privateKey, () => importPrivate(privateKey)));
}

/** X25519(privateKey, publicKey); an all-zero result is refused with InvalidKeyError. */
export function x25519Agree(caches: X25519Caches, privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const privateObject = caches.privateKeys.get(privateKey, () => importPrivate(privateKey));
  const publicObject = caches.publicKeys.get(publicKey, () => importPublic(publicKey));
  let shared: Uint8Array;
  try {
    shared = toUint8(diffieHellman({ privateKey: privateObject, publicKey: publicObject }));
  } catch (cause) {
    // OpenSSL refuses to return an all-zero X25519 result (ERR_OSSL_FAILED_DURING_DERIVATION);
    // with well-formed 32-byte keys that is the only way derivation fails.
    throw new InvalidKeyError(MESSAGES.zeroShared, { cause });
  }
  if (isAllZero(shared)) throw new InvalidKeyError(MESSAGES.zeroShared);
  return shared;
}
