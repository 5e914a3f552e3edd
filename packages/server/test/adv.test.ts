import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { ADVSignedDeviceIdentitySchema, create, toBinary } from '@wakit/proto';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../src/_bytes';
import { ADV_DEVICE_SIGNATURE_PREFIX, issueDeviceIdentity, verifyDeviceSign } from '../src/adv';

async function setup() {
  const account = await crypto.generateKeyPair();
  const companion = await crypto.generateKeyPair();
  const issued = await issueDeviceIdentity({
    crypto,
    account,
    companionIdentity: companion.publicKey,
    advSecret: crypto.randomBytes(32),
    keyIndex: 3,
  });
  const sign = async (details = issued.details, key = account.publicKey) =>
    toBinary(
      ADVSignedDeviceIdentitySchema,
      create(ADVSignedDeviceIdentitySchema, {
        details,
        deviceSignature: await crypto.sign(
          companion.privateKey,
          concatBytes(ADV_DEVICE_SIGNATURE_PREFIX, details, companion.publicKey, key),
        ),
      }),
    );
  const verify = (signed: Uint8Array, keyIndexAttr: string | undefined = '3') =>
    verifyDeviceSign({
      crypto,
      signed,
      keyIndexAttr,
      issued,
      companionIdentity: companion.publicKey,
      accountSignatureKey: account.publicKey,
    });
  return { account, companion, issued, sign, verify };
}

describe('the device signature check', () => {
  it('accepts the signature a companion makes over 06 01 || details || identity || account key', async () => {
    const { sign, verify } = await setup();
    expect(await verify(await sign())).toHaveLength(64);
  });

  it('rejects a signature over another account key, a wrong key-index and changed details', async () => {
    const { sign, verify, issued } = await setup();
    await expect(verify(await sign(issued.details, new Uint8Array(32).fill(7)))).rejects.toMatchObject({
      reason: 'device-signature',
    });
    await expect(verify(await sign(), '4')).rejects.toMatchObject({ reason: 'details-changed' });
    const changed = issued.details.slice();
    changed[changed.length - 1] ^= 1;
    await expect(verify(await sign(changed))).rejects.toMatchObject({ reason: 'details-changed' });
    await expect(verify(Uint8Array.of(0xff, 0xff))).rejects.toMatchObject({ reason: 'rejected' });
  });
});
