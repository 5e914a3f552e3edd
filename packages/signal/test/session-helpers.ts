/**
 * Shared pieces of the session suites: providers, hex, a provider whose key generation pops a
 * queue (deterministic vectors), a store that records and can fail writes, and two-party setup.
 */
import { readFileSync } from 'node:fs';
import { type CryptoProvider, type KeyPair, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { ProtocolAddress } from '../src/address';
import {
  generateIdentityKeyPair,
  generatePreKeys,
  generateRegistrationId,
  generateSignedPreKey,
} from '../src/keys';
import { MemorySignalStore } from '../src/memory-store';
import { serializePublicKey } from '../src/public-key';
import type { PreKeyBundle } from '../src/session-builder';
import { SessionBuilder } from '../src/session-builder';
import { SessionCipher } from '../src/session-cipher';
import type { SessionOptions } from '../src/session-options';

/** Both providers: every behaviour must hold on each (identical results are their contract). */
export const PROVIDERS: readonly (readonly [string, CryptoProvider])[] = [
  [nobleCrypto.name, nobleCrypto],
  [nodeCrypto.name, nodeCrypto],
];

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A vector file of `test/vectors/`; a missing file fails the suite (never a skip). */
export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

/** The key pair of a private key, public key computed by `crypto`. */
export async function keyPairOf(privateKeyHex: string, crypto: CryptoProvider): Promise<KeyPair> {
  const privateKey = unhex(privateKeyHex);
  return { privateKey, publicKey: await crypto.publicKeyOf(privateKey) };
}

/**
 * `base` with `generateKeyPair` taking its private keys from a FIFO queue (the libsignal-js vector
 * convention); it throws when the queue is empty, so an extra key generation fails the test.
 */
export class KeyQueue {
  private readonly queue: string[] = [];
  readonly crypto: CryptoProvider;

  constructor(base: CryptoProvider) {
    this.crypto = {
      ...base,
      name: `${base.name}+queue`,
      generateKeyPair: async () => {
        const next = this.queue.shift();
        if (next === undefined) throw new Error('generateKeyPair called with an empty key queue');
        return keyPairOf(next, base);
      },
    };
  }

  push(...privateKeysHex: string[]): void {
    this.queue.push(...privateKeysHex);
  }

  get remaining(): number {
    return this.queue.length;
  }
}

/** A MemorySignalStore that logs every write and fails them while `failWrites` is set. */
export class RecordingStore extends MemorySignalStore {
  readonly log: string[] = [];
  failWrites = false;

  override async storeSession(address: string, record: Uint8Array): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    this.log.push(`storeSession ${address}`);
    return super.storeSession(address, record);
  }

  override async saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean> {
    if (this.failWrites) throw new Error('disk full');
    this.log.push(`saveIdentity ${address}`);
    return super.saveIdentity(address, identityKey);
  }

  override async removePreKey(id: number): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    this.log.push(`removePreKey ${id}`);
    return super.removePreKey(id);
  }
}

/**
 * A RecordingStore that keeps and hands out copies of session records, as a database does: every
 * load is an array the package has never seen, so every load decodes the record.
 */
export class CopyingStore extends RecordingStore {
  override async loadSession(address: string): Promise<Uint8Array | undefined> {
    const record = await super.loadSession(address);
    return record && new Uint8Array(record);
  }

  override async storeSession(address: string, record: Uint8Array): Promise<void> {
    return super.storeSession(address, new Uint8Array(record));
  }
}

/** Which store a party keeps its sessions in. */
export type StoreKind = 'memory' | 'copying';

/**
 * What the session suites run on: both providers with the memory store, and the node provider with
 * a store that copies (records decoded on every load, archived sessions only when used).
 */
export const SESSION_SETUPS: readonly (readonly [string, CryptoProvider, StoreKind])[] = [
  [nobleCrypto.name, nobleCrypto, 'memory'],
  [nodeCrypto.name, nodeCrypto, 'memory'],
  [`${nodeCrypto.name}, copying store`, nodeCrypto, 'copying'],
];

/** `createParty` with stores of `kind`. */
export function partiesIn(kind: StoreKind): typeof createParty {
  return (name, crypto, preKeyCount, storeKind = kind) => createParty(name, crypto, preKeyCount, storeKind);
}

/** One device with a store full of keys, able to hand out bundles. */
export interface Party {
  name: string;
  address: ProtocolAddress;
  store: RecordingStore;
  identity: KeyPair;
  registrationId: number;
  crypto: CryptoProvider;
  /** A bundle using the signed prekey and, unless `withPreKey` is false, an unused one-time prekey. */
  bundle(withPreKey?: boolean): PreKeyBundle;
  cipherFor(peer: Party, options?: SessionOptions): SessionCipher;
  builderFor(peer: Party, options?: SessionOptions): SessionBuilder;
}

/** A party with `preKeyCount` one-time prekeys (ids from 1) and signed prekey 1. */
export async function createParty(
  name: string,
  crypto: CryptoProvider,
  preKeyCount = 4,
  storeKind: StoreKind = 'memory',
): Promise<Party> {
  const identity = await generateIdentityKeyPair(crypto);
  const registrationId = generateRegistrationId(crypto);
  const store =
    storeKind === 'copying'
      ? new CopyingStore(identity, registrationId)
      : new RecordingStore(identity, registrationId);
  const preKeys = await generatePreKeys(1, preKeyCount, crypto);
  for (const preKey of preKeys) store.addPreKey(preKey.keyId, preKey.keyPair);
  const signed = await generateSignedPreKey(identity, 1, crypto);
  store.addSignedPreKey(signed.keyId, signed.keyPair);
  let nextPreKey = 0;
  const party: Party = {
    name,
    address: new ProtocolAddress(name, 1),
    store,
    identity,
    registrationId,
    crypto,
    bundle(withPreKey = true) {
      const preKey = withPreKey ? preKeys[nextPreKey++] : undefined;
      if (withPreKey && preKey === undefined) throw new Error(`${name} ran out of prekeys`);
      return {
        registrationId,
        deviceId: 1,
        identityKey: serializePublicKey(identity.publicKey),
        signedPreKey: {
          keyId: signed.keyId,
          publicKey: serializePublicKey(signed.keyPair.publicKey),
          signature: signed.signature,
        },
        preKey: preKey && { keyId: preKey.keyId, publicKey: serializePublicKey(preKey.keyPair.publicKey) },
      };
    },
    cipherFor: (peer, options) => new SessionCipher(store, peer.address, { crypto, ...options }),
    builderFor: (peer, options) => new SessionBuilder(store, peer.address, { crypto, ...options }),
  };
  return party;
}

/** Decrypts `message` from `from` at `to`, by its type. */
export async function deliver(
  to: Party,
  from: Party,
  message: { type: 'pkmsg' | 'msg'; ciphertext: Uint8Array },
  options?: SessionOptions,
): Promise<Uint8Array> {
  const cipher = to.cipherFor(from, options);
  const result =
    message.type === 'pkmsg'
      ? await cipher.decryptPreKeyMessage(message.ciphertext)
      : await cipher.decryptMessage(message.ciphertext);
  return result.plaintext;
}

/** A copy of the stored session bytes of `owner` for `peer` (undefined when none). */
export function storedSession(owner: Party, peer: Party): Uint8Array | undefined {
  return owner.store.sessions.get(peer.address.toString())?.slice();
}
