/**
 * An in-memory `SignalStore`, for tests, tools and short-lived bots. Trust on first use: an
 * identity is trusted when none is stored for the address yet or it is the stored key.
 */

import type { KeyPair } from '@wakit/crypto';
import { copyBytes, equalBytes } from './_bytes';
import type { Direction, SignalStore } from './store';

/**
 * @example
 * const store = new MemorySignalStore(await generateIdentityKeyPair(crypto), generateRegistrationId(crypto));
 * for (const preKey of await generatePreKeys(1, 100, crypto)) store.addPreKey(preKey.keyId, preKey.keyPair);
 */
export class MemorySignalStore implements SignalStore {
  readonly identities = new Map<string, Uint8Array>();
  readonly sessions = new Map<string, Uint8Array>();
  readonly preKeys = new Map<number, KeyPair>();
  readonly signedPreKeys = new Map<number, KeyPair>();
  readonly senderKeys = new Map<string, Uint8Array>();

  constructor(
    private readonly identityKeyPair: KeyPair,
    private readonly registrationId: number,
  ) {}

  async getIdentityKeyPair(): Promise<KeyPair> {
    return this.identityKeyPair;
  }

  async getLocalRegistrationId(): Promise<number> {
    return this.registrationId;
  }

  async isTrustedIdentity(address: string, identityKey: Uint8Array, _direction: Direction): Promise<boolean> {
    const known = this.identities.get(address);
    return known === undefined || equalBytes(known, identityKey);
  }

  async saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean> {
    const known = this.identities.get(address);
    this.identities.set(address, copyBytes(identityKey));
    return known !== undefined && !equalBytes(known, identityKey);
  }

  async getIdentity(address: string): Promise<Uint8Array | undefined> {
    const known = this.identities.get(address);
    return known && copyBytes(known);
  }

  async loadSession(address: string): Promise<Uint8Array | undefined> {
    return this.sessions.get(address);
  }

  async storeSession(address: string, record: Uint8Array): Promise<void> {
    this.sessions.set(address, record);
  }

  async loadPreKey(id: number): Promise<KeyPair | undefined> {
    return this.preKeys.get(id);
  }

  async removePreKey(id: number): Promise<void> {
    this.preKeys.delete(id);
  }

  async loadSignedPreKey(id: number): Promise<KeyPair | undefined> {
    return this.signedPreKeys.get(id);
  }

  async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    return this.senderKeys.get(name);
  }

  async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    this.senderKeys.set(name, record);
  }

  /** Add a one-time prekey (what an upload to the server makes available). */
  addPreKey(id: number, keyPair: KeyPair): void {
    this.preKeys.set(id, keyPair);
  }

  /** Add a signed prekey. */
  addSignedPreKey(id: number, keyPair: KeyPair): void {
    this.signedPreKeys.set(id, keyPair);
  }
}
