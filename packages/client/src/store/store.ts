/**
 * What the client keeps, as async interfaces (docs/architecture.md, Persistence). A `Store` is everything one
 * companion device needs: its credentials (keys and, once paired, its account) and the Signal
 * state @wakit/signal reads and writes. Two implementations ship: `MemoryStore` (tests, short-lived
 * bots) and `SqliteStore` (`@wakit/client/sqlite`, the embedded default). Other backends implement
 * these interfaces and run the same conformance suite (`test/store-conformance.ts`).
 *
 * Rules every implementation keeps:
 * - A write that resolved is durable (for SQLite: committed); a write that cannot be made throws.
 * - Values cross the boundary as copies: a caller mutating bytes it passed in or got back never
 *   changes what is stored.
 * - `getIdentityKeyPair`, `getLocalRegistrationId` and `loadSignedPreKey` answer from the stored
 *   credentials; before credentials exist they throw `NoCredentialsError`.
 * - One client at a time: `claim()` hands out one lease per store; a second claim while it is
 *   held rejects with `StoreInUseError` (a second `connect()` is refused, not raced).
 */
import type { KeyPair } from '@wakit/crypto';
import type { PreKey, SignalStore, SignedPreKey } from '@wakit/signal';

// The prekeys the store keeps are @wakit/signal's own records (one name, one meaning).
export type { PreKey, SignedPreKey };

/** The account a device was paired to (from `pair-success`). */
export interface PairedAccount {
  /** Own device JID, `phone:device@s.whatsapp.net`. */
  jid: string;
  /** Own LID device JID, `lid:device@lid`, when the server sent one. */
  lid?: string | undefined;
  /** The primary's platform name from `<platform name>`. */
  platform?: string | undefined;
  /** Business name from `<biz name>`, for business accounts. */
  businessName?: string | undefined;
  /** Display name, once known. */
  pushName?: string | undefined;
  /**
   * The encoded ADVSignedDeviceIdentity with our device signature and the account signature key
   * kept (messages carry it as `<device-identity>`); the pair-device-sign reply sends it without
   * the key.
   */
  signedDeviceIdentity: Uint8Array;
  /** The primary device's identity key (ADV account signature key), 32 bytes. */
  accountSignatureKey: Uint8Array;
  /** ADVDeviceIdentity.keyIndex. */
  keyIndex: number;
}

/** A companion device's own keys and state (whatsmeow `store.Device`, Baileys `creds`). */
export interface DeviceCredentials {
  /** Noise static key pair (the handshake's `s`). */
  noiseKey: KeyPair;
  /** Signal identity key pair. */
  identityKey: KeyPair;
  /** Signal registration id (14 bits). */
  registrationId: number;
  signedPreKey: SignedPreKey;
  /** HMAC key of the pair-success container (32 bytes); pair-code pairing replaces it. */
  advSecretKey: Uint8Array;
  /** The id the next generated one-time prekey gets (wraps below 2^24, skipping 0). */
  nextPreKeyId: number;
  /** Set once pairing succeeded; absent means "register" on the next connect. */
  account?: PairedAccount | undefined;
  /** Edge-routing info from the server's `<edge_routing>`, sent in the next connection's preamble. */
  routingInfo?: Uint8Array | undefined;
}

/** The device's credentials. */
export interface CredentialsStore {
  loadCredentials(): Promise<DeviceCredentials | undefined>;
  saveCredentials(credentials: DeviceCredentials): Promise<void>;
}

/** One-time prekeys beyond what @wakit/signal reads and removes. */
export interface PreKeyBatchStore {
  /** Stores a batch of freshly generated prekeys (all or none). */
  storePreKeys(preKeys: readonly PreKey[]): Promise<void>;
  /** How many one-time prekeys are stored. */
  countPreKeys(): Promise<number>;
}

/** Held while a client uses the store; `release()` is idempotent. */
export interface StoreLease {
  release(): Promise<void>;
}

/** Everything a client needs from persistence. */
export interface Store extends CredentialsStore, SignalStore, PreKeyBatchStore {
  /** Takes the store for one client; rejects with `StoreInUseError` while another lease is held. */
  claim(): Promise<StoreLease>;
  /** Deletes credentials and all Signal state (after logout or device removal). */
  clear(): Promise<void>;
  /** Releases resources (closes a database); the store is unusable afterwards. */
  close(): Promise<void>;
}
