/**
 * Credentials and byte values for the store tests: fixed fixtures for readable examples and
 * fast-check arbitraries for the round-trip properties.
 *
 * What the arbitraries avoid, and why:
 * - Strings are well-formed Unicode (`unit: 'grapheme'`): lone surrogates cannot be stored as
 *   UTF-8 TEXT, and nothing the client stores (JIDs, names from the server) contains them.
 * - Key lengths are the real ones (32-byte keys, 64-byte signatures); the store treats them as
 *   opaque bytes, so other lengths would test nothing more. Opaque records (sessions, sender keys,
 *   routing info, signed device identity) take any length, empty included.
 */

import type { KeyPair } from '@wakit/crypto';
import fc from 'fast-check';
import type {
  DeviceCredentials,
  DeviceList,
  MessageKey,
  PairedAccount,
  PreKey,
  SentMessage,
} from '../src/store/store';

/** `length` bytes counting up from `start` (distinct fixtures stay distinguishable in diffs). */
export function bytes(length: number, start = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
}

/** A key pair whose bytes start at `seed`. */
export function keyPair(seed: number): KeyPair {
  return { publicKey: bytes(32, seed), privateKey: bytes(32, seed + 100) };
}

/** An account with every optional field set (a fresh object each call: tests mutate them). */
export function fullAccount(): PairedAccount {
  return {
    jid: '15551234567:3@s.whatsapp.net',
    lid: '123456789012345:3@lid',
    platform: 'android',
    businessName: 'Acme Bakery',
    pushName: 'Ada ✨',
    signedDeviceIdentity: bytes(180, 7),
    accountSignatureKey: bytes(32, 9),
    keyIndex: 4,
  };
}

/** Credentials of a device that never paired: no account, no routing info. */
export function unpairedCredentials(): DeviceCredentials {
  return {
    noiseKey: keyPair(1),
    identityKey: keyPair(2),
    registrationId: 12_345,
    signedPreKey: { keyId: 1, keyPair: keyPair(3), signature: bytes(64, 4) },
    advSecretKey: bytes(32, 5),
    nextPreKeyId: 31,
  };
}

/** Credentials with every field, optional ones included. */
export function pairedCredentials(): DeviceCredentials {
  return {
    ...unpairedCredentials(),
    account: fullAccount(),
    routingInfo: bytes(12, 6),
  };
}

/** `count` one-time prekeys with ids `first..first+count-1`. */
export function preKeys(first: number, count: number): PreKey[] {
  return Array.from({ length: count }, (_, i) => ({ keyId: first + i, keyPair: keyPair(first + i) }));
}

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
const keyPairArb = fc.record({ publicKey: key, privateKey: key });
const text = fc.string({ unit: 'grapheme', maxLength: 24 });

/** Any byte string, empty included. */
export const recordArb = fc.uint8Array({ maxLength: 200 });

/** A Signal address or sender-key name: any well-formed string, empty included. */
export const addressArb = fc.string({ unit: 'grapheme', maxLength: 30 });

/** A one-time prekey id (3 bytes on the wire, 0 unused). */
export const preKeyIdArb = fc.integer({ min: 1, max: 2 ** 24 - 1 });

/** Paired accounts, each optional field present or absent (absent, not `undefined`). */
export const accountArb: fc.Arbitrary<PairedAccount> = fc.record(
  {
    jid: text,
    lid: text,
    platform: text,
    businessName: text,
    pushName: text,
    signedDeviceIdentity: recordArb,
    accountSignatureKey: key,
    keyIndex: fc.nat({ max: 2 ** 32 - 1 }),
  },
  { requiredKeys: ['jid', 'signedDeviceIdentity', 'accountSignatureKey', 'keyIndex'] },
);

/** Credentials over the whole range of every field, optional ones present or absent. */
export const credentialsArb: fc.Arbitrary<DeviceCredentials> = fc.record(
  {
    noiseKey: keyPairArb,
    identityKey: keyPairArb,
    registrationId: fc.integer({ min: 1, max: 16_380 }),
    signedPreKey: fc.record({
      keyId: preKeyIdArb,
      keyPair: keyPairArb,
      signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    }),
    advSecretKey: key,
    nextPreKeyId: preKeyIdArb,
    account: accountArb,
    routingInfo: recordArb,
  },
  {
    requiredKeys: [
      'noiseKey',
      'identityKey',
      'registrationId',
      'signedPreKey',
      'advSecretKey',
      'nextPreKeyId',
    ],
  },
);

/** A device list with every optional field on some device (a fresh object each call). */
export function deviceList(user = '15551234567@s.whatsapp.net'): DeviceList {
  return {
    user,
    devices: [{ id: 0 }, { id: 3, keyIndex: 2 }, { id: 7, keyIndex: 0 }],
    hash: '2:abcdEFGH',
    fetchedAt: 1_700_000_000_000,
  };
}

/** A received message's key. */
export function messageKey(id = '3EB0ABCDEF'): MessageKey {
  return { chat: '15551234567@s.whatsapp.net', sender: '15551234567:3@s.whatsapp.net', id };
}

/** A sent message (a fresh object each call). */
export function sentMessage(id = '3EB0FEDCBA', at = 1_700_000_000_500): SentMessage {
  return { chat: '15551234567@s.whatsapp.net', id, message: bytes(40, 11), at };
}
