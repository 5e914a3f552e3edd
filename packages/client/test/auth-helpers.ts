/**
 * The primary (phone) side of pairing, written for the tests from the protocol description rather
 * than from src/auth: libsignal (npm, what Baileys runs) signs and verifies, node:crypto does the
 * HMACs, so a mistake in src/auth cannot cancel out against the same mistake here.
 */
import { createHmac } from 'node:crypto';
import type { BinaryNode } from '@wakit/binary-node';
import {
  ADVDeviceIdentitySchema,
  ADVEncryptionType,
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  ClientPairingPropsSchema,
  create,
  toBinary,
} from '@wakit/proto';
import * as curve from 'libsignal/src/curve.js';
import type { DeviceCredentials } from '../src/store/store';

export const PHONE_JID = '15550102000:7@s.whatsapp.net';
export const PHONE_LID = '81234567890123:7@lid';

/** A primary's identity: raw 32-byte public key and its libsignal private key. */
export interface PrimaryIdentity {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export function newPrimaryIdentity(): PrimaryIdentity {
  const pair = curve.generateKeyPair();
  return { publicKey: new Uint8Array(pair.pubKey.subarray(1)), privateKey: new Uint8Array(pair.privKey) };
}

/** Knobs for building deliberately wrong pair-success stanzas. */
export interface PairSuccessOptions {
  primary?: PrimaryIdentity;
  keyIndex?: number;
  /** Container accountType (HMAC prefix) and ADVDeviceIdentity.deviceType (account signature prefix). */
  containerType?: ADVEncryptionType;
  deviceType?: ADVEncryptionType;
  /** Override the HMAC key (default: the companion's ADV secret). */
  hmacKey?: Uint8Array;
  /** Override the HMAC prefix (default 06 05 for a HOSTED container, none otherwise). */
  hmacPrefix?: Uint8Array;
  /** Override the account-signature prefix (default 06 05 for a HOSTED device type, 06 00 otherwise). */
  accountPrefix?: Uint8Array;
  /** Sign over this identity instead of the companion's. */
  signedIdentity?: Uint8Array;
  id?: string | undefined;
  deviceAttrs?: Record<string, string>;
}

export interface BuiltPairSuccess {
  iq: BinaryNode;
  primary: PrimaryIdentity;
  /** Encoded ADVDeviceIdentity. */
  details: Uint8Array;
}

export function buildPairSuccess(
  companion: DeviceCredentials,
  options: PairSuccessOptions = {},
): BuiltPairSuccess {
  const primary = options.primary ?? newPrimaryIdentity();
  const deviceType = options.deviceType ?? ADVEncryptionType.E2EE;
  const containerType = options.containerType ?? ADVEncryptionType.E2EE;
  const details = toBinary(
    ADVDeviceIdentitySchema,
    create(ADVDeviceIdentitySchema, {
      rawId: 987654321,
      timestamp: 1_700_000_000n,
      keyIndex: options.keyIndex ?? 3,
      accountType: ADVEncryptionType.E2EE,
      deviceType,
    }),
  );
  const accountPrefix =
    options.accountPrefix ?? Uint8Array.of(6, deviceType === ADVEncryptionType.HOSTED ? 5 : 0);
  // libsignal checks for Buffer keys specifically.
  const accountSignature = curve.calculateSignature(
    Buffer.from(primary.privateKey),
    Buffer.concat([accountPrefix, details, options.signedIdentity ?? companion.identityKey.publicKey]),
  );
  const signed = toBinary(
    ADVSignedDeviceIdentitySchema,
    create(ADVSignedDeviceIdentitySchema, {
      details,
      accountSignatureKey: primary.publicKey,
      accountSignature: new Uint8Array(accountSignature),
    }),
  );
  const hmacPrefix =
    options.hmacPrefix ??
    (containerType === ADVEncryptionType.HOSTED ? Uint8Array.of(6, 5) : new Uint8Array(0));
  const hmac = createHmac('sha256', options.hmacKey ?? companion.advSecretKey)
    .update(hmacPrefix)
    .update(signed)
    .digest();
  const container = toBinary(
    ADVSignedDeviceIdentityHMACSchema,
    create(ADVSignedDeviceIdentityHMACSchema, {
      details: signed,
      hmac: new Uint8Array(hmac),
      ...(containerType === ADVEncryptionType.E2EE ? {} : { accountType: containerType }),
    }),
  );
  const id = 'id' in options ? options.id : 'pair-1';
  const iq: BinaryNode = {
    tag: 'iq',
    attrs: { from: '@s.whatsapp.net', type: 'result', ...(id === undefined ? {} : { id }), t: '1700000000' },
    content: [
      {
        tag: 'pair-success',
        attrs: {},
        content: [
          { tag: 'device-identity', attrs: {}, content: container },
          { tag: 'platform', attrs: { name: 'android' } },
          { tag: 'device', attrs: options.deviceAttrs ?? { jid: PHONE_JID, lid: PHONE_LID } },
          { tag: 'biz', attrs: { name: 'Acme' } },
          {
            tag: 'client-props',
            attrs: {},
            content: toBinary(
              ClientPairingPropsSchema,
              create(ClientPairingPropsSchema, { isChatDbLidMigrated: true }),
            ),
          },
        ],
      },
    ],
  };
  return { iq, primary, details };
}

/** The first child with `tag` (test shorthand; fails loudly when absent). */
export function child(node: BinaryNode, tag: string): BinaryNode {
  const found = Array.isArray(node.content) ? node.content.find((c) => c.tag === tag) : undefined;
  if (found === undefined) throw new Error(`<${node.tag}> has no <${tag}>`);
  return found;
}

/** The byte content of a node (test shorthand). */
export function bytes(node: BinaryNode): Uint8Array {
  if (!(node.content instanceof Uint8Array)) throw new Error(`<${node.tag}> has no byte content`);
  return node.content;
}
