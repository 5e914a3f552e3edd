import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  create,
  ExternalBlobReferenceSchema,
  HistorySync_HistorySyncType,
  HistorySyncSchema,
  SyncActionDataSchema,
  SyncdMutation_SyncdOperation,
  SyncdMutationSchema,
  SyncdPatchSchema,
  SyncdRecordSchema,
  SyncdSnapshotSchema,
} from '../src/index.ts';
import { arbitraryMessage } from './arbitrary.ts';
import { assertRoundTrip } from './round-trip.ts';
import { encodeHex } from './vectors.ts';

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

// A patch as the server sends it (docs/protocol.md §8.3-8.4): each mutation's value blob is
// IV(16) || AES-CBC ciphertext || value MAC(32), its index a 32-byte HMAC, all under one key id.
const mutation = fc
  .record({
    operation: fc.constantFrom(SyncdMutation_SyncdOperation.SET, SyncdMutation_SyncdOperation.REMOVE),
    index: bytes(32),
    value: fc.uint8Array({ minLength: 64, maxLength: 256 }),
    keyId: bytes(6),
  })
  .map(({ operation, index, value, keyId }) => ({
    operation,
    record: { index: { blob: index }, value: { blob: value }, keyId: { id: keyId } },
  }));
const realisticPatch = fc
  .record({
    version: fc.bigInt({ min: 1n, max: 1n << 40n }),
    mutations: fc.array(mutation, { maxLength: 5 }),
    snapshotMac: bytes(32),
    patchMac: bytes(32),
    keyId: bytes(6),
    deviceIndex: fc.nat(20),
  })
  .map(({ version, mutations, snapshotMac, patchMac, keyId, deviceIndex }) =>
    create(SyncdPatchSchema, {
      version: { version },
      mutations,
      snapshotMac,
      patchMac,
      keyId: { id: keyId },
      deviceIndex,
    }),
  );

describe('app-state sync protos (docs/protocol.md §8.5)', () => {
  it('round-trips a realistic SyncdPatch', () => {
    assertRoundTrip(SyncdPatchSchema, realisticPatch);
  });

  it.each([
    ['SyncdPatch', SyncdPatchSchema],
    ['SyncdSnapshot', SyncdSnapshotSchema],
    ['SyncdMutation', SyncdMutationSchema],
    ['ExternalBlobReference', ExternalBlobReferenceSchema],
    ['SyncActionData', SyncActionDataSchema],
  ] as const)('round-trips any %s', (_name, schema) => {
    assertRoundTrip(schema, arbitraryMessage(schema));
  });

  it.each([
    ['SyncdPatch.version = 1', encodeHex(SyncdPatchSchema, { version: { version: 1n } }), '0a020801'],
    ['SyncdPatch.mutations = 2', encodeHex(SyncdPatchSchema, { mutations: [{}] }), '1200'],
    ['SyncdPatch.externalMutations = 3', encodeHex(SyncdPatchSchema, { externalMutations: {} }), '1a00'],
    ['SyncdPatch.snapshotMac = 4', encodeHex(SyncdPatchSchema, { snapshotMac: new Uint8Array(1) }), '220100'],
    ['SyncdPatch.patchMac = 5', encodeHex(SyncdPatchSchema, { patchMac: new Uint8Array(1) }), '2a0100'],
    ['SyncdPatch.keyId = 6', encodeHex(SyncdPatchSchema, { keyId: { id: new Uint8Array(1) } }), '32030a0100'],
    [
      'SyncdPatch.exitCode = 7',
      encodeHex(SyncdPatchSchema, { exitCode: { code: 1n, text: 'x' } }),
      '3a050801120178',
    ],
    ['SyncdPatch.deviceIndex = 8', encodeHex(SyncdPatchSchema, { deviceIndex: 1 }), '4001'],
    [
      'SyncdPatch.clientDebugData = 9',
      encodeHex(SyncdPatchSchema, { clientDebugData: new Uint8Array(1) }),
      '4a0100',
    ],
    ['SyncdSnapshot.records = 2', encodeHex(SyncdSnapshotSchema, { records: [{}] }), '1200'],
    ['SyncdSnapshot.mac = 3', encodeHex(SyncdSnapshotSchema, { mac: new Uint8Array(1) }), '1a0100'],
    ['SyncdSnapshot.keyId = 4', encodeHex(SyncdSnapshotSchema, { keyId: {} }), '2200'],
    [
      'SyncdMutation.operation = 1 (REMOVE = 1)',
      encodeHex(SyncdMutationSchema, { operation: SyncdMutation_SyncdOperation.REMOVE }),
      '0801',
    ],
    ['SyncdMutation.record = 2', encodeHex(SyncdMutationSchema, { record: {} }), '1200'],
    [
      'SyncdRecord.index = 1, value = 2, keyId = 3',
      encodeHex(SyncdRecordSchema, { index: {}, value: {}, keyId: {} }),
      '0a0012001a00',
    ],
    [
      'ExternalBlobReference.directPath = 2',
      encodeHex(ExternalBlobReferenceSchema, { directPath: '/' }),
      '12012f',
    ],
    [
      'ExternalBlobReference.fileSizeBytes = 4',
      encodeHex(ExternalBlobReferenceSchema, { fileSizeBytes: 1n }),
      '2001',
    ],
    [
      'ExternalBlobReference.fileEncSha256 = 6',
      encodeHex(ExternalBlobReferenceSchema, { fileEncSha256: new Uint8Array(1) }),
      '320100',
    ],
  ])('encodes %s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('HistorySync', () => {
  it('round-trips any HistorySync, always with its required syncType', () => {
    assertRoundTrip(HistorySyncSchema, arbitraryMessage(HistorySyncSchema, { maxFields: 4 }), {
      numRuns: 50,
    });
  });

  it('refuses to encode a HistorySync without its required syncType', () => {
    const missing = create(HistorySyncSchema, { progress: 1 });
    expect(() => encodeHex(HistorySyncSchema, missing)).toThrow(/required field not set/);
    expect(encodeHex(HistorySyncSchema, { syncType: HistorySync_HistorySyncType.INITIAL_BOOTSTRAP })).toBe(
      '0800',
    );
  });
});
