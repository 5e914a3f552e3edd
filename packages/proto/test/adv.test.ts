import { describe, expect, it } from 'vitest';
import {
  ADVDeviceIdentitySchema,
  ADVEncryptionType,
  ADVKeyIndexListSchema,
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  ADVSignedKeyIndexListSchema,
  ClientPairingPropsSchema,
  fromBinary,
  toBinary,
} from '../src/index.ts';
import { arbitraryMessage } from './arbitrary.ts';
import { assertRoundTrip } from './round-trip.ts';
import { encodeHex, fromHex, loadVector, toHex } from './vectors.ts';

interface Identity {
  rawId: number;
  timestamp: number;
  keyIndex: number;
  accountType: number;
  deviceType: number;
}
interface Signed {
  details: string;
  accountSignatureKey?: string;
  accountSignature: string;
  deviceSignature?: string;
}
const vector = loadVector<{
  pair_success: {
    hex: string;
    ADVSignedDeviceIdentityHMAC: { details: string; hmac: string; accountType: number };
    ADVSignedDeviceIdentity: Signed;
    ADVDeviceIdentity: Identity;
  };
  pair_device_sign: { hex: string; ADVSignedDeviceIdentity: Signed; ADVDeviceIdentity: Identity };
}>('whatsapp-rust-bridge/device-identity.json');

function expectIdentity(detailsHex: string, expected: Identity): void {
  const identity = fromBinary(ADVDeviceIdentitySchema, fromHex(detailsHex));
  expect(identity.rawId).toBe(expected.rawId);
  expect(identity.timestamp).toBe(BigInt(expected.timestamp));
  expect(identity.keyIndex).toBe(expected.keyIndex);
  expect(identity.accountType).toBe(expected.accountType);
  expect(identity.deviceType).toBe(expected.deviceType);
  expect(toHex(toBinary(ADVDeviceIdentitySchema, identity))).toBe(detailsHex);
}

describe('ADV device identity (docs/protocol.md §5.3)', () => {
  it('decodes a recorded pair-success device-identity through all three layers', () => {
    const { pair_success: v } = vector;
    const hmac = fromBinary(ADVSignedDeviceIdentityHMACSchema, fromHex(v.hex));
    expect(toHex(hmac.details)).toBe(v.ADVSignedDeviceIdentityHMAC.details);
    expect(toHex(hmac.hmac)).toBe(v.ADVSignedDeviceIdentityHMAC.hmac);
    expect(hmac.hmac).toHaveLength(32);
    expect(hmac.accountType).toBe(ADVEncryptionType.E2EE);

    const signed = fromBinary(ADVSignedDeviceIdentitySchema, hmac.details);
    expect(toHex(signed.details)).toBe(v.ADVSignedDeviceIdentity.details);
    expect(toHex(signed.accountSignatureKey)).toBe(v.ADVSignedDeviceIdentity.accountSignatureKey);
    expect(toHex(signed.accountSignature)).toBe(v.ADVSignedDeviceIdentity.accountSignature);
    expect(signed.accountSignatureKey).toHaveLength(32);
    expect(signed.accountSignature).toHaveLength(64);
    expect(signed.deviceSignature).toHaveLength(0);

    expectIdentity(toHex(signed.details), v.ADVDeviceIdentity);
  });

  it('re-encodes every layer of the pair-success identity to identical bytes', () => {
    const hmac = fromBinary(ADVSignedDeviceIdentityHMACSchema, fromHex(vector.pair_success.hex));
    expect(toHex(toBinary(ADVSignedDeviceIdentityHMACSchema, hmac))).toBe(vector.pair_success.hex);
    const signed = fromBinary(ADVSignedDeviceIdentitySchema, hmac.details);
    expect(toHex(toBinary(ADVSignedDeviceIdentitySchema, signed))).toBe(
      vector.pair_success.ADVSignedDeviceIdentityHMAC.details,
    );
  });

  it('decodes and re-encodes the companion pair-device-sign reply (no key, device signature added)', () => {
    const { pair_device_sign: v } = vector;
    const signed = fromBinary(ADVSignedDeviceIdentitySchema, fromHex(v.hex));
    expect(toHex(signed.details)).toBe(v.ADVSignedDeviceIdentity.details);
    expect(signed.accountSignatureKey).toHaveLength(0);
    expect(toHex(signed.accountSignature)).toBe(v.ADVSignedDeviceIdentity.accountSignature);
    expect(toHex(signed.deviceSignature)).toBe(v.ADVSignedDeviceIdentity.deviceSignature);
    expect(toHex(toBinary(ADVSignedDeviceIdentitySchema, signed))).toBe(v.hex);
    expectIdentity(v.ADVSignedDeviceIdentity.details, v.ADVDeviceIdentity);
  });

  it.each([
    ['ADVSignedDeviceIdentityHMAC', ADVSignedDeviceIdentityHMACSchema],
    ['ADVSignedDeviceIdentity', ADVSignedDeviceIdentitySchema],
    ['ADVDeviceIdentity', ADVDeviceIdentitySchema],
    ['ADVSignedKeyIndexList', ADVSignedKeyIndexListSchema],
    ['ADVKeyIndexList', ADVKeyIndexListSchema],
    ['ClientPairingProps', ClientPairingPropsSchema],
  ] as const)('round-trips any %s', (_name, schema) => {
    assertRoundTrip(schema, arbitraryMessage(schema));
  });

  it.each([
    [
      'HMAC.details = 1',
      encodeHex(ADVSignedDeviceIdentityHMACSchema, { details: new Uint8Array(1) }),
      '0a0100',
    ],
    ['HMAC.hmac = 2', encodeHex(ADVSignedDeviceIdentityHMACSchema, { hmac: new Uint8Array(1) }), '120100'],
    [
      'HMAC.accountType = 3 (HOSTED = 1)',
      encodeHex(ADVSignedDeviceIdentityHMACSchema, { accountType: ADVEncryptionType.HOSTED }),
      '1801',
    ],
    [
      'SignedDeviceIdentity.accountSignatureKey = 2',
      encodeHex(ADVSignedDeviceIdentitySchema, { accountSignatureKey: new Uint8Array(1) }),
      '120100',
    ],
    [
      'SignedDeviceIdentity.accountSignature = 3',
      encodeHex(ADVSignedDeviceIdentitySchema, { accountSignature: new Uint8Array(1) }),
      '1a0100',
    ],
    [
      'SignedDeviceIdentity.deviceSignature = 4',
      encodeHex(ADVSignedDeviceIdentitySchema, { deviceSignature: new Uint8Array(1) }),
      '220100',
    ],
    ['DeviceIdentity.rawId = 1', encodeHex(ADVDeviceIdentitySchema, { rawId: 1 }), '0801'],
    ['DeviceIdentity.timestamp = 2', encodeHex(ADVDeviceIdentitySchema, { timestamp: 1n }), '1001'],
    ['DeviceIdentity.keyIndex = 3', encodeHex(ADVDeviceIdentitySchema, { keyIndex: 19 }), '1813'],
    [
      'DeviceIdentity.accountType = 4 (HOSTED = 1)',
      encodeHex(ADVDeviceIdentitySchema, { accountType: ADVEncryptionType.HOSTED }),
      '2001',
    ],
    [
      'DeviceIdentity.deviceType = 5 (NON_E2EE = 2)',
      encodeHex(ADVDeviceIdentitySchema, { deviceType: ADVEncryptionType.NON_E2EE }),
      '2802',
    ],
    ['KeyIndexList.currentIndex = 3', encodeHex(ADVKeyIndexListSchema, { currentIndex: 1 }), '1801'],
    // validIndexes is [packed = true]: one length-delimited field 4, not one tag per value.
    [
      'KeyIndexList.validIndexes = 4, packed',
      encodeHex(ADVKeyIndexListSchema, { validIndexes: [1, 2] }),
      '22020102',
    ],
    [
      'KeyIndexList.accountType = 5',
      encodeHex(ADVKeyIndexListSchema, { accountType: ADVEncryptionType.HOSTED }),
      '2801',
    ],
    [
      'SignedKeyIndexList.accountSignature = 2',
      encodeHex(ADVSignedKeyIndexListSchema, { accountSignature: new Uint8Array(1) }),
      '120100',
    ],
    [
      'SignedKeyIndexList.accountSignatureKey = 3',
      encodeHex(ADVSignedKeyIndexListSchema, { accountSignatureKey: new Uint8Array(1) }),
      '1a0100',
    ],
    [
      'ClientPairingProps.isChatDbLidMigrated = 1',
      encodeHex(ClientPairingPropsSchema, { isChatDbLidMigrated: true }),
      '0801',
    ],
    [
      'ClientPairingProps.isSyncdPureLidSession = 2',
      encodeHex(ClientPairingPropsSchema, { isSyncdPureLidSession: true }),
      '1001',
    ],
    [
      'ClientPairingProps.subscriptionSyncPayload = 5',
      encodeHex(ClientPairingPropsSchema, { subscriptionSyncPayload: new Uint8Array(1) }),
      '2a0100',
    ],
  ])('encodes %s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
