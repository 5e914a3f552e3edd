/**
 * Shared pieces of the sender-key suites: the providers every suite runs on, names, and a store that
 * records its writes and can be told to fail.
 */
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { ProtocolAddress, SenderKeyName } from '../src/address';
import type { SenderKeyStore } from '../src/store';

/** Both providers: the contract is identical results, so every behaviour must hold on each. */
export const PROVIDERS: readonly (readonly [string, CryptoProvider])[] = [
  [nobleCrypto.name, nobleCrypto],
  [nodeCrypto.name, nodeCrypto],
];

export const GROUP = '120363025246125486@g.us';

/** The sender key name of `user`'s device `device` in GROUP. */
export function senderKeyName(user = '15551234567', device = 0, group = GROUP): SenderKeyName {
  return new SenderKeyName(group, new ProtocolAddress(user, device));
}

/** A map-backed SenderKeyStore that logs every write and fails writes while `failWrites` is set. */
export class RecordingSenderKeyStore implements SenderKeyStore {
  readonly records = new Map<string, Uint8Array>();
  readonly writes: string[] = [];
  failWrites = false;

  async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    return this.records.get(name);
  }

  async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    this.writes.push(name);
    this.records.set(name, record);
  }
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Shuffled copy of `items` under a permutation given as sort keys (fast-check friendly). */
export function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => [keys[i] ?? i, i, item] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, , item]) => item);
}
