/**
 * Synchronous SHA-256 on the package's own implementation (`_sha256.ts`), for small inputs on hot
 * paths: a WhatsApp message id hashes ~50 bytes on every send, where the provider's promise and a
 * native call cost more than the hash (and @noble/hashes' one-shot, with its per-call hasher
 * object, about twice as much as this).
 */
import { assertBytes } from './_assert';
import { sha256 as digest } from './_sha256';

/**
 * The SHA-256 digest of `data` (32 bytes, a new array).
 *
 * @example
 * ```ts
 * const id = sha256(new TextEncoder().encode('abc')); // ba7816bf…
 * ```
 */
export function sha256(data: Uint8Array): Uint8Array {
  return digest(assertBytes('data', data));
}
