/** Copies that keep stored values independent of the caller's (STORE rule: values cross as copies). */
import type { KeyPair } from '@wakit/crypto';
import type { DeviceCredentials } from './store';

export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function copyKeyPair(keyPair: KeyPair): KeyPair {
  return { publicKey: copyBytes(keyPair.publicKey), privateKey: copyBytes(keyPair.privateKey) };
}

/** A deep copy: every byte array copied, nothing shared with `credentials`. */
export function cloneCredentials(credentials: DeviceCredentials): DeviceCredentials {
  const { account, routingInfo } = credentials;
  return {
    ...credentials,
    noiseKey: copyKeyPair(credentials.noiseKey),
    identityKey: copyKeyPair(credentials.identityKey),
    signedPreKey: {
      ...credentials.signedPreKey,
      keyPair: copyKeyPair(credentials.signedPreKey.keyPair),
      signature: copyBytes(credentials.signedPreKey.signature),
    },
    advSecretKey: copyBytes(credentials.advSecretKey),
    account: account && {
      ...account,
      signedDeviceIdentity: copyBytes(account.signedDeviceIdentity),
      accountSignatureKey: copyBytes(account.accountSignatureKey),
    },
    routingInfo: routingInfo && copyBytes(routingInfo),
  };
}
