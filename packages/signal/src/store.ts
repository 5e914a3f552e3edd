/**
 * What @wakit/signal needs from persistence, as five small async interfaces (a store may implement
 * all of them; `SignalStore` is their union). Sessions and sender keys cross this boundary as opaque,
 * versioned bytes (see `session-record.ts` and `sender-key-record.ts` for the formats): a store only
 * keeps blobs under string keys, and every decrypt works on a fresh decoded copy, so a failed
 * decrypt can never leave half-updated state behind.
 *
 * Ordering contract (docs/architecture.md, Persistence): `SessionCipher.encrypt` stores the advanced session
 * before it returns the ciphertext, so a ciphertext never reaches the wire ahead of its state;
 * `decryptPreKeyMessage` stores the new session before it removes the one-time prekey it used.
 * A store whose writes can fail must throw: the operation then fails and nothing is returned.
 */
import type { KeyPair } from '@wakit/crypto';

/** Which way a message with this identity is going, for trust decisions. */
export type Direction = 'sending' | 'receiving';

/** Our identity and the identities of the devices we talk to. */
export interface IdentityKeyStore {
  /** Our identity key pair (raw 32-byte X25519 keys). */
  getIdentityKeyPair(): Promise<KeyPair>;
  /** Our registration id (14 bits, see `generateRegistrationId`). */
  getLocalRegistrationId(): Promise<number>;
  /**
   * The trust policy: may we use `identityKey` (33 bytes, 0x05-prefixed) for `address`? The usual
   * policy is trust on first use: true when no identity is stored yet or it is the same key.
   */
  isTrustedIdentity(address: string, identityKey: Uint8Array, direction: Direction): Promise<boolean>;
  /** Remember `identityKey` for `address`; true when it replaced a different key. */
  saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean>;
  /** The identity stored for `address`, if any. */
  getIdentity(address: string): Promise<Uint8Array | undefined>;
}

/** Session records, one per address (`ProtocolAddress#toString`). */
export interface SessionStore {
  loadSession(address: string): Promise<Uint8Array | undefined>;
  storeSession(address: string, record: Uint8Array): Promise<void>;
}

/** One-time prekeys by id (ids below 2^24). */
export interface PreKeyStore {
  loadPreKey(id: number): Promise<KeyPair | undefined>;
  removePreKey(id: number): Promise<void>;
}

/** Signed prekeys by id. */
export interface SignedPreKeyStore {
  loadSignedPreKey(id: number): Promise<KeyPair | undefined>;
}

/** Sender-key records, one per `SenderKeyName#toString`. */
export interface SenderKeyStore {
  loadSenderKey(name: string): Promise<Uint8Array | undefined>;
  storeSenderKey(name: string, record: Uint8Array): Promise<void>;
}

/** Everything the package uses. */
export interface SignalStore
  extends IdentityKeyStore,
    SessionStore,
    PreKeyStore,
    SignedPreKeyStore,
    SenderKeyStore {}
