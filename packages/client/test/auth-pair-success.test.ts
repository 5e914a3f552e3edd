import { createHmac } from 'node:crypto';
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import { nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import {
  ADVEncryptionType,
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  create,
  fromBinary,
  toBinary,
} from '@wakit/proto';
import { configureSuccessfulPairing } from 'baileys/lib/Utils/validate-connection.js';
import * as curve from 'libsignal/src/curve.js';
import { describe, expect, it } from 'vitest';
import { generateCredentials } from '../src/auth/credentials';
import { handlePairSuccess } from '../src/auth/pair-success';
import { isPairingError, PairingError } from '../src/errors';
import type { DeviceCredentials } from '../src/store/store';
import { buildPairSuccess, bytes, child, PHONE_JID, PHONE_LID } from './auth-helpers';

const crypto = nodeCrypto;

function verifyDeviceSignature(
  signature: Uint8Array,
  details: Uint8Array,
  companion: DeviceCredentials,
  accountKey: Uint8Array,
): boolean {
  const message = Buffer.concat([Uint8Array.of(6, 1), details, companion.identityKey.publicKey, accountKey]);
  return curve.verifySignature(
    Buffer.concat([Uint8Array.of(5), companion.identityKey.publicKey]),
    message,
    signature,
  );
}

async function expectRefusal(
  iq: BinaryNode,
  credentials: DeviceCredentials,
  reason: string,
  code: string,
): Promise<PairingError> {
  const error = await handlePairSuccess(iq, credentials, crypto).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PairingError);
  const pairingError = error as PairingError;
  expect(isPairingError(pairingError)).toBe(true);
  expect(pairingError.reason).toBe(reason);
  expect(pairingError.kind).toBe('remote');
  expect(pairingError.reply).toEqual({
    tag: 'iq',
    attrs: { to: '@s.whatsapp.net', type: 'error', id: iq.attrs.id },
    content: [{ tag: 'error', attrs: { code, text: reason } }],
  });
  return pairingError;
}

describe('handlePairSuccess', () => {
  it.each([
    ['node', nodeCrypto],
    ['noble', nobleCrypto],
  ])('accepts a genuine pair-success and countersigns it (%s provider)', async (_, provider) => {
    const companion = await generateCredentials(provider);
    const before = structuredClone(companion);
    const { iq, primary, details } = buildPairSuccess(companion, { keyIndex: 7 });

    const { reply, credentials, clientProps } = await handlePairSuccess(iq, companion, provider);

    expect(companion).toEqual(before); // input untouched
    expect(credentials).not.toBe(companion);
    expect(credentials.account).toMatchObject({
      jid: PHONE_JID,
      lid: PHONE_LID,
      platform: 'android',
      businessName: 'Acme',
      keyIndex: 7,
      accountSignatureKey: primary.publicKey,
    });
    expect({ ...credentials, account: undefined }).toEqual({ ...companion, account: undefined });
    expect(clientProps?.isChatDbLidMigrated).toBe(true);

    expect(reply.tag).toBe('iq');
    expect(reply.attrs).toEqual({ to: '@s.whatsapp.net', type: 'result', id: 'pair-1' });
    const sign = child(reply, 'pair-device-sign');
    const identityNode = child(sign, 'device-identity');
    expect(identityNode.attrs).toEqual({ 'key-index': '7' });
    const sent = fromBinary(ADVSignedDeviceIdentitySchema, bytes(identityNode));
    expect(sent.details).toEqual(details);
    expect(sent.accountSignatureKey).toHaveLength(0); // left out, as whatsmeow and Baileys do
    expect(sent.deviceSignature).toHaveLength(64);
    expect(verifyDeviceSignature(sent.deviceSignature, details, companion, primary.publicKey)).toBe(true);

    // The stored copy keeps the account key and carries the same device signature.
    const stored = fromBinary(ADVSignedDeviceIdentitySchema, credentials.account!.signedDeviceIdentity);
    expect(stored.accountSignatureKey).toEqual(primary.publicKey);
    expect(stored.deviceSignature).toEqual(sent.deviceSignature);

    // And the reply survives the binary codec (the server JID goes out as a JID pair).
    const wire = encodeNode(reply);
    expect(decodeNode(wire)).toEqual(reply);
  });

  it('accepts a hosted account: HMAC and account signature prefixed 06 05, device signature still 06 01', async () => {
    const companion = await generateCredentials(crypto);
    const { iq, primary, details } = buildPairSuccess(companion, {
      containerType: ADVEncryptionType.HOSTED,
      deviceType: ADVEncryptionType.HOSTED,
    });
    const { reply } = await handlePairSuccess(iq, companion, crypto);
    const sent = fromBinary(
      ADVSignedDeviceIdentitySchema,
      bytes(child(child(reply, 'pair-device-sign'), 'device-identity')),
    );
    expect(verifyDeviceSignature(sent.deviceSignature, details, companion, primary.publicKey)).toBe(true);
  });

  it('rejects a hosted container whose HMAC was computed without the 06 05 prefix', async () => {
    const companion = await generateCredentials(crypto);
    const { iq } = buildPairSuccess(companion, {
      containerType: ADVEncryptionType.HOSTED,
      hmacPrefix: new Uint8Array(0),
    });
    await expectRefusal(iq, companion, 'hmac-mismatch', '401');
  });

  it('rejects a hosted device identity signed with the ordinary 06 00 prefix', async () => {
    const companion = await generateCredentials(crypto);
    const { iq } = buildPairSuccess(companion, {
      deviceType: ADVEncryptionType.HOSTED,
      accountPrefix: Uint8Array.of(6, 0),
    });
    await expectRefusal(iq, companion, 'signature-mismatch', '401');
  });

  it('rejects an HMAC made with another ADV secret (401 hmac-mismatch) and changes nothing', async () => {
    const companion = await generateCredentials(crypto);
    const { iq } = buildPairSuccess(companion, { hmacKey: crypto.randomBytes(32) });
    const error = await expectRefusal(iq, companion, 'hmac-mismatch', '401');
    expect(error.message).toMatch(/HMAC/);
    expect(companion.account).toBeUndefined();
  });

  it('rejects an account signature over another identity key (401 signature-mismatch)', async () => {
    const companion = await generateCredentials(crypto);
    const other = await generateCredentials(crypto);
    const { iq } = buildPairSuccess(companion, { signedIdentity: other.identityKey.publicKey });
    await expectRefusal(iq, companion, 'signature-mismatch', '401');
  });

  it('rejects an account signature with a wrong prefix (401 signature-mismatch)', async () => {
    const companion = await generateCredentials(crypto);
    const { iq } = buildPairSuccess(companion, { accountPrefix: Uint8Array.of(6, 1) });
    await expectRefusal(iq, companion, 'signature-mismatch', '401');
  });

  it('refuses a pair-success meant for another companion (its ADV secret)', async () => {
    const companion = await generateCredentials(crypto);
    const other = await generateCredentials(crypto);
    const { iq } = buildPairSuccess(other);
    await expectRefusal(iq, companion, 'hmac-mismatch', '401');
  });

  describe('malformed stanzas are PairingErrors (500 internal-error), never crashes', () => {
    const cases: [string, (iq: BinaryNode) => BinaryNode][] = [
      ['no <pair-success>', (iq) => ({ ...iq, content: [] })],
      ['string content instead of children', (iq) => ({ ...iq, content: 'pair-success' })],
      [
        'no <device-identity>',
        (iq) => withPairSuccess(iq, (c) => c.filter((n) => n.tag !== 'device-identity')),
      ],
      [
        '<device-identity> holding a string',
        (iq) =>
          withPairSuccess(iq, (c) =>
            c.map((n) => (n.tag === 'device-identity' ? { ...n, content: 'x' } : n)),
          ),
      ],
      [
        '<device-identity> holding bytes that are not a protobuf',
        (iq) =>
          withPairSuccess(iq, (c) =>
            c.map((n) =>
              n.tag === 'device-identity' ? { ...n, content: Uint8Array.of(0xff, 0xff, 0xff) } : n,
            ),
          ),
      ],
      [
        'an empty container',
        (iq) =>
          withPairSuccess(iq, (c) =>
            c.map((n) => (n.tag === 'device-identity' ? { ...n, content: new Uint8Array(0) } : n)),
          ),
      ],
      ['no <device>', (iq) => withPairSuccess(iq, (c) => c.filter((n) => n.tag !== 'device'))],
      [
        'a <device jid> on another server',
        (iq) =>
          withPairSuccess(iq, (c) =>
            c.map((n) => (n.tag === 'device' ? { ...n, attrs: { jid: '123:4@g.us' } } : n)),
          ),
      ],
      [
        'a <device jid> without a device number',
        (iq) =>
          withPairSuccess(iq, (c) =>
            c.map((n) => (n.tag === 'device' ? { ...n, attrs: { jid: '123@s.whatsapp.net' } } : n)),
          ),
      ],
      [
        'a <device lid> that is not a LID',
        (iq) =>
          withPairSuccess(iq, (c) =>
            c.map((n) => (n.tag === 'device' ? { ...n, attrs: { jid: PHONE_JID, lid: 'nonsense' } } : n)),
          ),
      ],
    ];
    it.each(cases)('%s', async (_, mutate) => {
      const companion = await generateCredentials(crypto);
      const { iq } = buildPairSuccess(companion);
      await expectRefusal(mutate(iq), companion, 'internal-error', '500');
    });

    it('an iq without an id: no reply can be addressed', async () => {
      const companion = await generateCredentials(crypto);
      const { iq } = buildPairSuccess(companion, { id: undefined });
      const error = await handlePairSuccess(iq, companion, crypto).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PairingError);
      expect((error as PairingError).reply).toBeUndefined();
    });

    it('a signed identity whose account key is not 32 bytes is a signature mismatch (whatsmeow)', async () => {
      const companion = await generateCredentials(crypto);
      const { iq } = buildPairSuccess(companion);
      // A container whose account key is truncated, with a valid HMAC, so only the key is wrong.
      const container = fromBinary(
        ADVSignedDeviceIdentityHMACSchema,
        bytes(child(child(iq, 'pair-success'), 'device-identity')),
      );
      const signed = fromBinary(ADVSignedDeviceIdentitySchema, container.details);
      signed.accountSignatureKey = signed.accountSignatureKey.subarray(0, 31);
      const details = toBinary(ADVSignedDeviceIdentitySchema, signed);
      const hmac = createHmac('sha256', companion.advSecretKey).update(details).digest();
      const forged = toBinary(
        ADVSignedDeviceIdentityHMACSchema,
        create(ADVSignedDeviceIdentityHMACSchema, { details, hmac }),
      );
      const mutated = withPairSuccess(iq, (c) =>
        c.map((n) => (n.tag === 'device-identity' ? { ...n, content: forged } : n)),
      );
      await expectRefusal(mutated, companion, 'signature-mismatch', '401');
    });
  });

  it('agrees with Baileys: configureSuccessfulPairing accepts the same stanza and both countersignatures verify', async () => {
    const companion = await generateCredentials(crypto);
    const { iq, primary, details } = buildPairSuccess(companion, { keyIndex: 12 });
    const ours = await handlePairSuccess(iq, companion, crypto);

    // Baileys wants Buffers for byte content and a base64 ADV secret.
    const baileysIq = decodeNode(encodeNode(iq)) as Parameters<typeof configureSuccessfulPairing>[0];
    const pairSuccess = (baileysIq.content as BinaryNode[])[0]!;
    for (const node of pairSuccess.content as BinaryNode[]) {
      if (node.content instanceof Uint8Array) node.content = Buffer.from(node.content);
    }
    const theirs = configureSuccessfulPairing(baileysIq, {
      advSecretKey: Buffer.from(companion.advSecretKey).toString('base64'),
      signedIdentityKey: {
        public: Buffer.from(companion.identityKey.publicKey),
        private: Buffer.from(companion.identityKey.privateKey),
      },
      signalIdentities: [],
    });
    expect(theirs.creds.me).toEqual({ id: PHONE_JID, name: 'Acme', lid: PHONE_LID });
    expect(theirs.reply.attrs).toEqual(ours.reply.attrs);
    const theirIdentity = child(child(theirs.reply as BinaryNode, 'pair-device-sign'), 'device-identity');
    const ourIdentity = child(child(ours.reply, 'pair-device-sign'), 'device-identity');
    expect(theirIdentity.attrs).toEqual(ourIdentity.attrs);
    const theirSent = fromBinary(ADVSignedDeviceIdentitySchema, new Uint8Array(bytes(theirIdentity)));
    const ourSent = fromBinary(ADVSignedDeviceIdentitySchema, bytes(ourIdentity));
    // XEdDSA signatures are randomized; everything else is byte-identical.
    expect({ ...ourSent, deviceSignature: undefined }).toEqual({ ...theirSent, deviceSignature: undefined });
    expect(verifyDeviceSignature(theirSent.deviceSignature, details, companion, primary.publicKey)).toBe(
      true,
    );
    expect(verifyDeviceSignature(ourSent.deviceSignature, details, companion, primary.publicKey)).toBe(true);
  });
});

function withPairSuccess(iq: BinaryNode, edit: (children: BinaryNode[]) => BinaryNode[]): BinaryNode {
  const pairSuccess = child(iq, 'pair-success');
  return { ...iq, content: [{ ...pairSuccess, content: edit(pairSuccess.content as BinaryNode[]) }] };
}
