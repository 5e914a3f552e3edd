/**
 * Device credentials for a store the tests pretend is linked. The keys are placeholders: only the
 * fake client reads them, and it only asks whether an account is there.
 */
import type { DeviceCredentials } from '@wakit/client';

const bytes = (fill: number, length = 32) => new Uint8Array(length).fill(fill);
const keyPair = (fill: number) => ({ publicKey: bytes(fill), privateKey: bytes(fill + 1) });

/** Credentials of an unlinked device, or of one linked as `jid`. */
export function credentials(jid?: string): DeviceCredentials {
  return {
    noiseKey: keyPair(1),
    identityKey: keyPair(3),
    registrationId: 1234,
    signedPreKey: { keyId: 1, keyPair: keyPair(5), signature: bytes(7, 64) },
    advSecretKey: bytes(8),
    nextPreKeyId: 1,
    account:
      jid === undefined
        ? undefined
        : { jid, signedDeviceIdentity: bytes(9, 10), accountSignatureKey: bytes(10), keyIndex: 1 },
  };
}
