/**
 * The crypto providers' decryptions and signature checks, fed what a peer controls: ciphertexts,
 * tags, signatures. Both providers are run, since the node one reaches OpenSSL through its own
 * checks and the portable one does everything in JavaScript.
 */
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import type { FuzzTarget } from '../target';

const KEY = new Uint8Array(32).fill(0x11);
const IV16 = new Uint8Array(16).fill(0x22);
const IV12 = new Uint8Array(12).fill(0x33);
const MESSAGE = new Uint8Array(100).fill(0x44);

function providerTargets(provider: CryptoProvider): FuzzTarget[] {
  return [
    {
      name: `crypto/${provider.name}/aes-cbc-decrypt`,
      async seeds() {
        return [await provider.aesCbcEncrypt(KEY, IV16, MESSAGE)];
      },
      run: (input) => provider.aesCbcDecrypt(KEY, IV16, input),
    },
    {
      name: `crypto/${provider.name}/aes-gcm-open`,
      async seeds() {
        return [await provider.aesGcmEncrypt(KEY, IV12, MESSAGE)];
      },
      run: (input) => provider.aesGcmDecrypt(KEY, IV12, input),
    },
    {
      // Input: 32-byte public key || 64-byte signature; a verify answers true or false, never throws.
      name: `crypto/${provider.name}/xeddsa-verify`,
      async seeds() {
        const pair = await provider.generateKeyPair();
        const signature = await provider.sign(pair.privateKey, MESSAGE);
        const seed = new Uint8Array(96);
        seed.set(pair.publicKey);
        seed.set(signature, 32);
        return [seed];
      },
      async run(input) {
        if (input.length !== 96) return;
        await provider.verify(input.subarray(0, 32), MESSAGE, input.subarray(32));
      },
    },
  ];
}

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [...providerTargets(nodeCrypto), ...providerTargets(nobleCrypto)];
