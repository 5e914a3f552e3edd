/** A new companion device's keys (docs/protocol.md §5.1). */
import type { CryptoProvider } from '@wakit/crypto';
import { generateIdentityKeyPair, generateRegistrationId, generateSignedPreKey } from '@wakit/signal';
import type { DeviceCredentials } from '../store/store';

/** The signed prekey id every fresh device starts with (whatsmeow, Baileys and whatsapp-rust all use 1). */
export const INITIAL_SIGNED_PREKEY_ID = 1;

/** Length of the ADV secret, the HMAC key of the pair-success container. */
export const ADV_SECRET_LENGTH = 32;

/**
 * Fresh credentials for a device that has never paired: a Noise static key, a Signal identity,
 * a 14-bit registration id, signed prekey 1, a random ADV secret, and no account, so the next
 * connection registers (shows a QR code or asks for a pair code).
 *
 * @example
 * const credentials = await generateCredentials(nodeCrypto);
 * await store.saveCredentials(credentials);
 */
export async function generateCredentials(crypto: CryptoProvider): Promise<DeviceCredentials> {
  const noiseKey = await crypto.generateKeyPair();
  const identityKey = await generateIdentityKeyPair(crypto);
  const signedPreKey = await generateSignedPreKey(identityKey, INITIAL_SIGNED_PREKEY_ID, crypto);
  return {
    noiseKey,
    identityKey,
    registrationId: generateRegistrationId(crypto),
    signedPreKey,
    advSecretKey: crypto.randomBytes(ADV_SECRET_LENGTH),
    nextPreKeyId: 1,
  };
}
