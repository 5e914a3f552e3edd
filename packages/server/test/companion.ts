/**
 * A companion's key material and its side of pairing, written from docs/protocol.md §2.5 and §5 for the
 * tests (independently of @wakit/client, which is being written in parallel): the registration and
 * login ClientPayloads, the QR string, and the checks and signature a companion makes on pair-success.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  ADVDeviceIdentitySchema,
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  ClientPayload_DevicePairingRegistrationDataSchema,
  ClientPayloadSchema,
  create,
  fromBinary,
  toBinary,
} from '@wakit/proto';
import { generateRegistrationId, generateSignedPreKey, type SignedPreKey } from '@wakit/signal';
import { concatBytes, constantTimeEqual, toBase64, uintToBytes } from '../src/_bytes';
import { child, contentBytes } from '../src/nodes';

export interface Companion {
  noiseKey: KeyPair;
  identity: KeyPair;
  signedPreKey: SignedPreKey;
  registrationId: number;
  advSecret: Uint8Array;
}

export async function makeCompanion(): Promise<Companion> {
  const identity = await crypto.generateKeyPair();
  return {
    noiseKey: await crypto.generateKeyPair(),
    identity,
    signedPreKey: await generateSignedPreKey(identity, 1, crypto),
    registrationId: generateRegistrationId(crypto),
    advSecret: crypto.randomBytes(32),
  };
}

export function registrationPayload(c: Companion): Uint8Array {
  return toBinary(
    ClientPayloadSchema,
    create(ClientPayloadSchema, {
      passive: false,
      pull: false,
      devicePairingData: create(ClientPayload_DevicePairingRegistrationDataSchema, {
        eRegid: uintToBytes(c.registrationId, 4),
        eKeytype: Uint8Array.of(5),
        eIdent: c.identity.publicKey,
        eSkeyId: uintToBytes(c.signedPreKey.keyId, 3),
        eSkeyVal: c.signedPreKey.keyPair.publicKey,
        eSkeySig: c.signedPreKey.signature,
      }),
    }),
  );
}

export function loginPayload(jid: string): Uint8Array {
  const [user, rest] = jid.split(':') as [string, string];
  return toBinary(
    ClientPayloadSchema,
    create(ClientPayloadSchema, {
      username: BigInt(user),
      device: Number(rest.split('@')[0]),
      passive: true,
      pull: true,
    }),
  );
}

export function qrString(c: Companion, ref: string, prefix = true): string {
  const data = [
    ref,
    toBase64(c.noiseKey.publicKey),
    toBase64(c.identity.publicKey),
    toBase64(c.advSecret),
    '1',
  ].join(',');
  return prefix ? `https://wa.me/settings/linked_devices#${data}` : data;
}

/** What a companion learns from pair-success, after checking it as Baileys/whatsmeow do. */
export interface CheckedPairSuccess {
  jid: string;
  lid: string;
  platform: string | undefined;
  accountSignatureKey: Uint8Array;
  keyIndex: number;
  /** The pair-device-sign reply, ready to send. */
  reply: BinaryNode;
}

export interface SignOptions {
  /** Keep accountSignatureKey in the reply (whatsapp-rust) instead of clearing it (whatsmeow, Baileys). */
  keepAccountKey?: boolean;
  /** Flip a byte of the device signature. */
  tamperSignature?: boolean;
  /** Re-encode the details with another timestamp. */
  tamperDetails?: boolean;
}

/** Verifies pair-success as a companion must (HMAC, account signature) and builds pair-device-sign. */
export async function checkPairSuccess(
  c: Companion,
  iq: BinaryNode,
  options: SignOptions = {},
): Promise<CheckedPairSuccess> {
  const success = child(iq, 'pair-success');
  const container = fromBinary(
    ADVSignedDeviceIdentityHMACSchema,
    contentBytes(child(success, 'device-identity'))!,
  );
  const hmac = await crypto.hmac('sha256', c.advSecret, container.details);
  if (!constantTimeEqual(hmac, container.hmac)) throw new Error('pair-success HMAC does not verify');
  const account = fromBinary(ADVSignedDeviceIdentitySchema, container.details);
  const accountMessage = concatBytes(Uint8Array.of(6, 0), account.details, c.identity.publicKey);
  if (!(await crypto.verify(account.accountSignatureKey, accountMessage, account.accountSignature))) {
    throw new Error('pair-success account signature does not verify');
  }
  const identity = fromBinary(ADVDeviceIdentitySchema, account.details);
  let details = account.details;
  if (options.tamperDetails) {
    details = toBinary(ADVDeviceIdentitySchema, { ...identity, timestamp: identity.timestamp + 1n });
  }
  const deviceSignature = await crypto.sign(
    c.identity.privateKey,
    concatBytes(Uint8Array.of(6, 1), details, c.identity.publicKey, account.accountSignatureKey),
  );
  if (options.tamperSignature) deviceSignature[5] ^= 1;
  const signed = create(ADVSignedDeviceIdentitySchema, {
    details,
    accountSignature: account.accountSignature,
    deviceSignature,
    ...(options.keepAccountKey ? { accountSignatureKey: account.accountSignatureKey } : {}),
  });
  const device = child(success, 'device')!;
  return {
    jid: device.attrs.jid!,
    lid: device.attrs.lid!,
    platform: child(success, 'platform')?.attrs.name,
    accountSignatureKey: account.accountSignatureKey,
    keyIndex: identity.keyIndex,
    reply: {
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'result', id: iq.attrs.id! },
      content: [
        {
          tag: 'pair-device-sign',
          attrs: {},
          content: [
            {
              tag: 'device-identity',
              attrs: { 'key-index': String(identity.keyIndex) },
              content: toBinary(ADVSignedDeviceIdentitySchema, signed),
            },
          ],
        },
      ],
    },
  };
}
