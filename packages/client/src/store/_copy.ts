/** Copies that keep stored values independent of the caller's (STORE rule: values cross as copies). */
import type { KeyPair } from '@wakit/crypto';
import { copyBytes } from '../_bytes';
import type { DeviceCredentials } from './store';

/** A copy of both halves of `keyPair`. */
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
