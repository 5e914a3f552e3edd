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
 *   changes what is stored. Bytes handed out are plain `Uint8Array`s owning their memory, except
 *   session and sender-key records, which may be views into a buffer holding only other records
 *   (`MemoryStore` cuts them from one, as every message loads and stores them): read them through
 *   `byteOffset`/`byteLength`, never `.buffer` alone.
 * - Values are checked when written: one of the wrong type throws `TypeError` (or `RangeError`)
 *   at that call, in every backend and inside transactions alike, and nothing is stored.
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

/** A user's devices as the server last listed them (usync `devices`, docs/protocol.md §6.8). */
export interface DeviceList {
  /** The user's JID without a device: `user@lid` or `user@s.whatsapp.net`. */
  user: string;
  /** Device ids, 0 (the phone) first; companions carry their ADV key index when the server sent it. */
  devices: { id: number; keyIndex?: number | undefined }[];
  /** The server's device-list hash (`2:…`), when it sent one. */
  hash?: string | undefined;
  /** When it was fetched, in ms since the epoch (client clock): the cache's age. */
  fetchedAt: number;
}

/** Device lists per user (a cache: deleting one only costs a usync query). */
export interface DeviceListStore {
  get(user: string): Promise<DeviceList | undefined>;
  put(list: DeviceList): Promise<void>;
  delete(user: string): Promise<void>;
}

/**
 * Which LID user is which phone-number user (`123@lid` <-> `1555@s.whatsapp.net`, no devices).
 * One LID per PN and one PN per LID: `put` replaces a mapping either side had.
 */
export interface LidMappingStore {
  put(lid: string, pn: string): Promise<void>;
  getLid(pn: string): Promise<string | undefined>;
  getPn(lid: string): Promise<string | undefined>;
}

/** A received message's identity for deduplication: chat, sender device and message id. */
export interface MessageKey {
  /** The chat in its canonical form (docs: client README, "one chat per peer"). */
  chat: string;
  /** The sender's device JID in canonical form (own device JID for own messages). */
  sender: string;
  id: string;
}

/** The keys of messages already processed, so a redelivery is acked but not emitted twice. */
export interface ReceivedMessageStore {
  has(key: MessageKey): Promise<boolean>;
  /**
   * Records `key` as processed at `at` (ms, an integer); resolves false when it already was. A key
   * keeps the time it was first recorded (also when two transactions both added it).
   */
  add(key: MessageKey, at: number): Promise<boolean>;
  /** Forgets keys recorded before `before` (ms); resolves with how many. Not in transactions. */
  prune(before: number): Promise<number>;
}

/** A message this device sent, kept to answer retry receipts (docs/protocol.md §7.5). */
export interface SentMessage {
  /** The chat in its canonical form. */
  chat: string;
  id: string;
  /** The encoded `Message` protobuf as sent to the peer (before padding). */
  message: Uint8Array;
  /** When it was sent, in ms since the epoch. */
  at: number;
}

/** Recently sent messages, by (chat, id). */
export interface SentMessageStore {
  get(chat: string, id: string): Promise<SentMessage | undefined>;
  put(message: SentMessage): Promise<void>;
  /** Forgets messages sent before `before` (ms); resolves with how many. Not in transactions. */
  prune(before: number): Promise<number>;
}

/**
 * Remote identities and sessions by user, beyond @wakit/signal's per-address methods: what an
 * identity change (drop every session of the user) and a PN -> LID move need. `name` is the
 * Signal address name (`ProtocolAddress.name`), every device of it at once: exactly the addresses
 * `name.<deviceId>` (not `name2.1`, not `nam.1`). A name that cannot be one (empty, or holding `.`)
 * throws `TypeError`.
 */
export interface SignalUserStore {
  /** The device ids that have a stored session under `name`, ascending. */
  sessionDevices(name: string): Promise<number[]>;
  /** Deletes every session of `name`; resolves with how many. */
  deleteSessions(name: string): Promise<number>;
  /** Deletes the stored identity of every device of `name`; resolves with how many. */
  deleteIdentities(name: string): Promise<number>;
  /**
   * Renames every session and identity of `from` to `to`, and moves every sender key whose sender is
   * `from` (`group::from::device`, in any group) to `group::to::device` (a peer first reached by PN
   * whose LID became known). Entries `to` already has are kept and `from`'s copies dropped.
   */
  moveUser(from: string, to: string): Promise<void>;
}

/**
 * Which devices hold our current sender key for a group (docs/protocol.md §6.7): a group send gives
 * the sender-key distribution message pairwise to the participant devices not marked yet, and marks
 * them in the transaction that stores the advanced sender key. A new sender key (a participant
 * left) clears the group's marks, so the next send distributes it to every device. Groups and
 * devices are JID strings (`…@g.us`, `user:device@server`).
 */
export interface SenderKeyDeviceStore {
  /** The devices of `group` marked as holding our sender key, sorted by code point. */
  get(group: string): Promise<string[]>;
  /** Marks `devices` of `group`; a device marked already stays marked. */
  add(group: string, devices: readonly string[]): Promise<void>;
  /** Forgets every mark of `group`. */
  clear(group: string): Promise<void>;
}

/** Opaque values in namespaces, for client modules that keep their own state (see `ModuleStore`). */
export interface KeyValueStore {
  get(namespace: string, key: string): Promise<Uint8Array | undefined>;
  put(namespace: string, key: string, value: Uint8Array): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  /** Every key of `namespace`, sorted by code point (the UTF-8 byte order, the same in every backend). */
  keys(namespace: string): Promise<string[]>;
}

/**
 * Everything a client reads and writes, without the lifecycle methods: what `Store.transaction`
 * hands its callback, and what code that works both inside and outside a transaction takes.
 */
export interface StoreView extends CredentialsStore, SignalStore, PreKeyBatchStore {
  readonly devices: DeviceListStore;
  readonly lids: LidMappingStore;
  readonly received: ReceivedMessageStore;
  readonly sent: SentMessageStore;
  readonly signalUsers: SignalUserStore;
  readonly senderKeyDevices: SenderKeyDeviceStore;
  readonly kv: KeyValueStore;
}

/** Held while a client uses the store; `release()` is idempotent. */
export interface StoreLease {
  release(): Promise<void>;
}

/** Everything a client needs from persistence. */
export interface Store extends StoreView {
  /**
   * Runs `work` with a view whose writes are committed together when it resolves, or not at all
   * when it rejects (the rejection is passed on). Reads through the view see its own writes; others
   * see none of them until the commit. A ratchet step of a fan-out and the sent message are one
   * transaction, committed before the stanza reaches the wire. Transactions do not lock keys: two
   * that write the same key both commit and the last commit wins, so callers serialize work on the
   * same session (the client does, per peer). `prune` inside a transaction, and any use of the view
   * after the transaction settled, throws `StoreTransactionError`.
   */
  transaction<T>(work: (tx: StoreView) => Promise<T>): Promise<T>;
  /** Takes the store for one client; rejects with `StoreInUseError` while another lease is held. */
  claim(): Promise<StoreLease>;
  /** Deletes credentials and all state (after logout or device removal). */
  clear(): Promise<void>;
  /** Releases resources (closes a database); the store is unusable afterwards. */
  close(): Promise<void>;
}
