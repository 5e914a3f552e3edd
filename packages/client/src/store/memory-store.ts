/**
 * An in-memory `Store`: for tests, tools and short-lived bots. Everything is lost with the process.
 * Trust on first use: an identity is trusted when none is stored for the address yet or it is the
 * stored key.
 */
import type { KeyPair } from '@wakit/crypto';
import type { Direction } from '@wakit/signal';
import { copyBytes, equalBytes } from '../_bytes';
import { NoCredentialsError, StoreClosedError, StoreInUseError } from '../errors';
import { cloneCredentials, copyKeyPair } from './_copy';
import type { DeviceCredentials, PreKey, Store, StoreLease } from './store';

/**
 * @example
 * const store = new MemoryStore();
 * const client = createClient({ store });
 */
export class MemoryStore implements Store {
  #credentials: DeviceCredentials | undefined;
  readonly #identities = new Map<string, Uint8Array>();
  readonly #sessions = new Map<string, Uint8Array>();
  readonly #preKeys = new Map<number, KeyPair>();
  readonly #senderKeys = new Map<string, Uint8Array>();
  #claimed = false;
  #closed = false;

  async claim(): Promise<StoreLease> {
    this.#open();
    if (this.#claimed) throw new StoreInUseError('this store is in use by another client');
    this.#claimed = true;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.#claimed = false;
      },
    };
  }

  async loadCredentials(): Promise<DeviceCredentials | undefined> {
    this.#open();
    return this.#credentials && cloneCredentials(this.#credentials);
  }

  async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    this.#open();
    this.#credentials = cloneCredentials(credentials);
  }

  async getIdentityKeyPair(): Promise<KeyPair> {
    return copyKeyPair(this.#requireCredentials().identityKey);
  }

  async getLocalRegistrationId(): Promise<number> {
    return this.#requireCredentials().registrationId;
  }

  async loadSignedPreKey(id: number): Promise<KeyPair | undefined> {
    const signed = this.#requireCredentials().signedPreKey;
    return signed.keyId === id ? copyKeyPair(signed.keyPair) : undefined;
  }

  async isTrustedIdentity(address: string, identityKey: Uint8Array, _direction: Direction): Promise<boolean> {
    this.#open();
    const known = this.#identities.get(address);
    return known === undefined || equalBytes(known, identityKey);
  }

  async saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean> {
    this.#open();
    const known = this.#identities.get(address);
    this.#identities.set(address, copyBytes(identityKey));
    return known !== undefined && !equalBytes(known, identityKey);
  }

  async getIdentity(address: string): Promise<Uint8Array | undefined> {
    this.#open();
    const known = this.#identities.get(address);
    return known && copyBytes(known);
  }

  async loadSession(address: string): Promise<Uint8Array | undefined> {
    this.#open();
    const record = this.#sessions.get(address);
    return record && copyBytes(record);
  }

  async storeSession(address: string, record: Uint8Array): Promise<void> {
    this.#open();
    this.#sessions.set(address, copyBytes(record));
  }

  async loadPreKey(id: number): Promise<KeyPair | undefined> {
    this.#open();
    const keyPair = this.#preKeys.get(id);
    return keyPair && copyKeyPair(keyPair);
  }

  async removePreKey(id: number): Promise<void> {
    this.#open();
    this.#preKeys.delete(id);
  }

  async storePreKeys(preKeys: readonly PreKey[]): Promise<void> {
    this.#open();
    // All or none: copy (and so check) the whole batch before anything is stored.
    const copies = preKeys.map(({ keyId, keyPair }) => [keyId, copyKeyPair(keyPair)] as const);
    for (const [keyId, keyPair] of copies) this.#preKeys.set(keyId, keyPair);
  }

  async countPreKeys(): Promise<number> {
    this.#open();
    return this.#preKeys.size;
  }

  async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    this.#open();
    const record = this.#senderKeys.get(name);
    return record && copyBytes(record);
  }

  async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    this.#open();
    this.#senderKeys.set(name, copyBytes(record));
  }

  async clear(): Promise<void> {
    this.#open();
    this.#credentials = undefined;
    this.#identities.clear();
    this.#sessions.clear();
    this.#preKeys.clear();
    this.#senderKeys.clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError('the store is closed');
  }

  #requireCredentials(): DeviceCredentials {
    this.#open();
    if (this.#credentials === undefined) throw new NoCredentialsError('the store has no device credentials');
    return this.#credentials;
  }
}
