/**
 * The three implementations the Signal benchmark runs, behind one small interface: wakit (this
 * package, node provider), libsignal@6.0.0 (libsignal-node, what Baileys runs; Baileys' own sender-
 * key port for groups, since libsignal-node has none) and whatsapp-rust-bridge@0.5.5 (whatsapp-rust's
 * libsignal in wasm). Each runs on two stores:
 * - in memory, its natural store: libsignal-node keeps record objects; the bridge and wakit keep the
 *   record bytes they hand over, and get the same array back;
 * - SQLite (`sqlite-stores.ts`), as a database keeps records: a copy in, a fresh copy out. wakit and
 *   the bridge store their record bytes; libsignal-node the JSON of `record.serialize()`, as Baileys'
 *   stores keep it.
 */
import { createRequire } from 'node:module';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  GroupCipher,
  GroupSessionBuilder,
  generateIdentityKeyPair,
  generateRegistrationId,
  generateSignedPreKey,
  MemorySignalStore,
  ProtocolAddress,
  SenderKeyName,
  SessionBuilder,
  SessionCipher,
  serializePublicKey,
} from '@wakit/signal';
import {
  GroupCipher as BaileysGroupCipher,
  GroupSessionBuilder as BaileysGroupSessionBuilder,
  SenderKeyName as BaileysSenderKeyName,
  SenderKeyRecord as BaileysSenderKeyRecord,
  SenderKeyDistributionMessage as BaileysSkdm,
} from 'baileys/lib/Signal/Group/index.js';
import * as bridge from 'whatsapp-rust-bridge';
import { type Records, SqliteSignalStore, SqliteTable } from './sqlite-stores';

/** Where an implementation keeps its records. */
export type StoreKind = 'memory' | 'sqlite';

/** The row name of an implementation on a store. */
function rowName(name: string, store: StoreKind): string {
  return store === 'memory' ? name : `${name}, SQLite`;
}

/** A two-party 1:1 conversation: send one message from `from` to the other side. */
export interface Conversation {
  /** Encrypts at `from` and decrypts at the other side; resolves to the decrypted plaintext. */
  send(from: 'alice' | 'bob', plaintext: Uint8Array): Promise<Uint8Array>;
}

/** One sender and one receiver in a group. */
export interface Group {
  send(plaintext: Uint8Array): Promise<Uint8Array>;
}

export interface Implementation {
  name: string;
  /** A session from Bob's bundle at Alice, already answered once by Bob (so both sides send `msg`). */
  conversation(): Promise<Conversation>;
  /** Returns a function that, each call, builds a session from a bundle, sends the first message and decrypts it. */
  sessionSetup(): Promise<() => Promise<Uint8Array>>;
  group(): Promise<Group>;
}

/** The first message of every session the benchmark sets up. */
export const HELLO = new TextEncoder().encode('hello');

// ---------------------------------------------------------------------------------------------
// wakit

/** Records of kind `kind` for one store: a Map, or `table` (a new one by default) under `prefix`. */
function records<T extends Uint8Array | string>(
  kind: StoreKind,
  table?: SqliteTable,
  prefix = '',
): Records<T> {
  return kind === 'memory' ? new Map<string, T>() : (table ?? new SqliteTable()).scope<T>(prefix);
}

function wakitStore(
  kind: StoreKind,
  identity: KeyPair,
  registrationId: number,
  table?: SqliteTable,
  prefix?: string,
): MemorySignalStore {
  return kind === 'memory'
    ? new MemorySignalStore(identity, registrationId)
    : new SqliteSignalStore(identity, registrationId, records(kind, table, prefix));
}

async function wakitParty(name: string, kind: StoreKind) {
  const identity = await generateIdentityKeyPair(crypto);
  const store = wakitStore(kind, identity, generateRegistrationId(crypto));
  const signed = await generateSignedPreKey(identity, 1, crypto);
  store.addSignedPreKey(1, signed.keyPair);
  const bundle = {
    registrationId: await store.getLocalRegistrationId(),
    identityKey: serializePublicKey(identity.publicKey),
    signedPreKey: {
      keyId: 1,
      publicKey: serializePublicKey(signed.keyPair.publicKey),
      signature: signed.signature,
    },
  };
  return { store, bundle, address: new ProtocolAddress(name, 1) };
}

function wakitOn(kind: StoreKind): Implementation {
  return {
    name: rowName('wakit', kind),
    async conversation() {
      const alice = await wakitParty('alice', kind);
      const bob = await wakitParty('bob', kind);
      await new SessionBuilder(alice.store, bob.address, { crypto }).processPreKeyBundle(bob.bundle);
      const toBob = new SessionCipher(alice.store, bob.address, { crypto });
      const toAlice = new SessionCipher(bob.store, alice.address, { crypto });
      const first = await toBob.encrypt(HELLO);
      await toAlice.decryptPreKeyMessage(first.ciphertext);
      await toBob.decryptMessage((await toAlice.encrypt(HELLO)).ciphertext);
      return {
        async send(from, plaintext) {
          const [sender, receiver] = from === 'alice' ? [toBob, toAlice] : [toAlice, toBob];
          const { ciphertext } = await sender.encrypt(plaintext);
          return (await receiver.decryptMessage(ciphertext)).plaintext;
        },
      };
    },
    async sessionSetup() {
      const bob = await wakitParty('bob', kind);
      const alices = await Promise.all(Array.from({ length: 8 }, () => generateIdentityKeyPair(crypto)));
      // Each setup's fresh Alice gets her own keys in one shared table, not a database of her own.
      const table = new SqliteTable();
      let n = 0;
      return async () => {
        const identity = alices[n % alices.length]!;
        const store = wakitStore(kind, identity, 1234, table, `alice${n}:`);
        await new SessionBuilder(store, bob.address, { crypto }).processPreKeyBundle(bob.bundle);
        const { ciphertext } = await new SessionCipher(store, bob.address, { crypto }).encrypt(HELLO);
        const from = new ProtocolAddress(`alice${n++}`, 1);
        return (await new SessionCipher(bob.store, from, { crypto }).decryptPreKeyMessage(ciphertext))
          .plaintext;
      };
    },
    async group() {
      const name = new SenderKeyName('120363025246125486@g.us', new ProtocolAddress('alice', 1));
      const senderStore = wakitStore(kind, await generateIdentityKeyPair(crypto), 1);
      const receiverStore = wakitStore(kind, await generateIdentityKeyPair(crypto), 2);
      const skdm = await new GroupSessionBuilder(senderStore, { crypto }).create(name);
      await new GroupSessionBuilder(receiverStore, { crypto }).process(name, skdm.serialized);
      const sender = new GroupCipher(senderStore, name, { crypto });
      const receiver = new GroupCipher(receiverStore, name, { crypto });
      return { send: async (plaintext) => receiver.decrypt(await sender.encrypt(plaintext)) };
    },
  };
}

export const wakit = wakitOn('memory');
export const wakitSqlite = wakitOn('sqlite');

// ---------------------------------------------------------------------------------------------
// libsignal@6.0.0 (libsignal-node)

interface NodeKeyPair {
  pubKey: Buffer;
  privKey: Buffer;
}
// biome-ignore lint/suspicious/noExplicitAny: libsignal-node ships no usable types
const libsignal = createRequire(import.meta.url)('libsignal') as any;

/**
 * libsignal-node's storage interface. In memory it keeps the record objects as they are
 * (libsignal-node's fastest case); in SQLite it keeps what Baileys keeps, the JSON of
 * `record.serialize()` (its adapter, `lib/Signal/libsignal.js`, stores `serialize()` and loads
 * `SessionRecord.deserialize(...)` on every call; its stores write that as JSON).
 */
class NodeStore {
  readonly signedPreKeys = new Map<number, NodeKeyPair>();
  constructor(
    readonly kind: StoreKind,
    readonly identity: NodeKeyPair = libsignal.keyhelper.generateIdentityKeyPair(),
    readonly registrationId = 1234,
    private readonly sessions: Records<unknown> = kind === 'memory'
      ? new Map()
      : (new SqliteTable().scope() as Records<unknown>),
  ) {}
  async getOurIdentity() {
    return this.identity;
  }
  async getOurRegistrationId() {
    return this.registrationId;
  }
  async isTrustedIdentity() {
    return true;
  }
  async loadSession(id: string) {
    const stored = this.sessions.get(id);
    if (stored === undefined || this.kind === 'memory') return stored;
    return libsignal.SessionRecord.deserialize(JSON.parse(stored as string));
  }
  async storeSession(id: string, record: { serialize(): unknown }) {
    this.sessions.set(id, this.kind === 'memory' ? record : JSON.stringify(record.serialize()));
  }
  async loadPreKey() {
    return undefined;
  }
  async removePreKey() {}
  async loadSignedPreKey(id: number) {
    return this.signedPreKeys.get(id);
  }
  bundle() {
    const signed = libsignal.keyhelper.generateSignedPreKey(this.identity, 1);
    this.signedPreKeys.set(1, signed.keyPair);
    return {
      registrationId: this.registrationId,
      identityKey: this.identity.pubKey,
      signedPreKey: { keyId: 1, publicKey: signed.keyPair.pubKey, signature: signed.signature },
    };
  }
}

function libsignalOn(kind: StoreKind): Implementation {
  return {
    name: rowName('libsignal@6.0.0', kind),
    async conversation() {
      const alice = new NodeStore(kind);
      const bob = new NodeStore(kind);
      const bobAddress = new libsignal.ProtocolAddress('bob', 1);
      const aliceAddress = new libsignal.ProtocolAddress('alice', 1);
      await new libsignal.SessionBuilder(alice, bobAddress).initOutgoing(bob.bundle());
      const toBob = new libsignal.SessionCipher(alice, bobAddress);
      const toAlice = new libsignal.SessionCipher(bob, aliceAddress);
      await toAlice.decryptPreKeyWhisperMessage((await toBob.encrypt(Buffer.from(HELLO))).body);
      await toBob.decryptWhisperMessage((await toAlice.encrypt(Buffer.from(HELLO))).body);
      return {
        async send(from, plaintext) {
          const [sender, receiver] = from === 'alice' ? [toBob, toAlice] : [toAlice, toBob];
          const { body } = await sender.encrypt(Buffer.from(plaintext));
          return receiver.decryptWhisperMessage(body);
        },
      };
    },
    async sessionSetup() {
      const bob = new NodeStore(kind);
      const bundle = bob.bundle();
      const bobAddress = new libsignal.ProtocolAddress('bob', 1);
      const alices = Array.from({ length: 8 }, () => libsignal.keyhelper.generateIdentityKeyPair());
      const table = new SqliteTable();
      let n = 0;
      return async () => {
        const sessions = records<string>(kind, table, `alice${n}:`) as Records<unknown>;
        const store = new NodeStore(kind, alices[n % alices.length], 1234, sessions);
        await new libsignal.SessionBuilder(store, bobAddress).initOutgoing(bundle);
        const { body } = await new libsignal.SessionCipher(store, bobAddress).encrypt(Buffer.from(HELLO));
        const from = new libsignal.ProtocolAddress(`alice${n++}`, 1);
        return new libsignal.SessionCipher(bob, from).decryptPreKeyWhisperMessage(body);
      };
    },
    async group() {
      // libsignal-node has no sender keys; Baileys' port (lib/Signal/Group) is what its users run.
      const store = () => {
        const stored = records<string>(kind) as Records<unknown>;
        return {
          loadSenderKey: async (n: BaileysSenderKeyName) => {
            const record = stored.get(n.toString());
            if (record === undefined) return new BaileysSenderKeyRecord();
            return kind === 'memory'
              ? (record as BaileysSenderKeyRecord)
              : BaileysSenderKeyRecord.deserialize(Buffer.from(record as string, 'utf-8'));
          },
          storeSenderKey: async (n: BaileysSenderKeyName, r: BaileysSenderKeyRecord) => {
            // Baileys' adapter (lib/Signal/libsignal.js) writes the JSON of serialize().
            stored.set(n.toString(), kind === 'memory' ? r : JSON.stringify(r.serialize()));
          },
        };
      };
      const name = new BaileysSenderKeyName(
        '120363025246125486@g.us',
        new libsignal.ProtocolAddress('alice', 1),
      );
      const senderStore = store();
      const receiverStore = store();
      const skdm = await new BaileysGroupSessionBuilder(senderStore).create(name);
      await new BaileysGroupSessionBuilder(receiverStore).process(
        name,
        new BaileysSkdm(null, null, null, null, skdm.serialize()),
      );
      const sender = new BaileysGroupCipher(senderStore, name);
      const receiver = new BaileysGroupCipher(receiverStore, name);
      return { send: async (plaintext) => receiver.decrypt(await sender.encrypt(Buffer.from(plaintext))) };
    },
  };
}

export const libsignalNode = libsignalOn('memory');
export const libsignalSqlite = libsignalOn('sqlite');

// ---------------------------------------------------------------------------------------------
// whatsapp-rust-bridge@0.5.5

/**
 * The bridge's storage. Sessions go through `storeSessionRaw(address, bytes)`, which the bridge
 * calls instead of `storeSession` when a storage has it (0.5.5's runtime does; its typings do not
 * declare it): `storeSession` hands over a wasm `SessionRecord` that stays alive until garbage
 * collection, which slows the bridge down as a run goes on, so its rows would understate it.
 */
function bridgeStore(
  kind: StoreKind,
  identity = bridge.generateIdentityKeyPair(),
  sessions: Records<Uint8Array> = records(kind),
) {
  const senderKeys = records<Uint8Array>(kind);
  const signedPreKeys = new Map<number, bridge.SignedPreKey>();
  const storage: bridge.SignalStorage & { storeSessionRaw(address: string, record: Uint8Array): void } = {
    loadSession: (address) => sessions.get(address),
    storeSessionRaw: (address, record) => sessions.set(address, record),
    storeSession: (address, record) => sessions.set(address, record.serialize()),
    getOurIdentity: () => identity,
    getOurRegistrationId: () => 1234,
    isTrustedIdentity: () => true,
    loadPreKey: () => undefined,
    removePreKey: () => {},
    loadSignedPreKey: (id) => signedPreKeys.get(id),
    loadSenderKey: (name) => senderKeys.get(name),
    storeSenderKey: (name, record) => senderKeys.set(name, record),
  };
  const bundle = (): bridge.PreKeyBundleInput => {
    const signed = bridge.generateSignedPreKey(identity, 1);
    signedPreKeys.set(1, signed);
    return {
      registrationId: 1234,
      identityKey: identity.pubKey,
      signedPreKey: { keyId: 1, publicKey: signed.keyPair.pubKey, signature: signed.signature },
    };
  };
  return { storage, bundle };
}

function rustBridgeOn(kind: StoreKind): Implementation {
  return {
    name: rowName('whatsapp-rust-bridge@0.5.5', kind),
    async conversation() {
      const alice = bridgeStore(kind);
      const bob = bridgeStore(kind);
      const bobAddress = new bridge.ProtocolAddress('bob', 1);
      const aliceAddress = new bridge.ProtocolAddress('alice', 1);
      await new bridge.SessionBuilder(alice.storage, bobAddress).processPreKeyBundle(bob.bundle());
      const toBob = new bridge.SessionCipher(alice.storage, bobAddress);
      const toAlice = new bridge.SessionCipher(bob.storage, aliceAddress);
      await toAlice.decryptPreKeyWhisperMessage((await toBob.encrypt(HELLO)).body);
      await toBob.decryptWhisperMessage((await toAlice.encrypt(HELLO)).body);
      return {
        async send(from, plaintext) {
          const [sender, receiver] = from === 'alice' ? [toBob, toAlice] : [toAlice, toBob];
          return receiver.decryptWhisperMessage((await sender.encrypt(plaintext)).body);
        },
      };
    },
    async sessionSetup() {
      const bob = bridgeStore(kind);
      const bundle = bob.bundle();
      const bobAddress = new bridge.ProtocolAddress('bob', 1);
      const alices = Array.from({ length: 8 }, () => bridge.generateIdentityKeyPair());
      const table = new SqliteTable();
      let n = 0;
      return async () => {
        const alice = bridgeStore(kind, alices[n % alices.length], records(kind, table, `alice${n}:`));
        await new bridge.SessionBuilder(alice.storage, bobAddress).processPreKeyBundle(bundle);
        const { body } = await new bridge.SessionCipher(alice.storage, bobAddress).encrypt(HELLO);
        const from = new bridge.ProtocolAddress(`alice${n++}`, 1);
        return new bridge.SessionCipher(bob.storage, from).decryptPreKeyWhisperMessage(body);
      };
    },
    async group() {
      const sender = bridgeStore(kind);
      const receiver = bridgeStore(kind);
      const address = new bridge.ProtocolAddress('alice', 1);
      const name = new bridge.SenderKeyName('120363025246125486@g.us', address);
      const skdm = await new bridge.GroupSessionBuilder(sender.storage).create(name);
      await new bridge.GroupSessionBuilder(receiver.storage).process(
        new bridge.SenderKeyName('120363025246125486@g.us', address),
        bridge.SenderKeyDistributionMessage.deserialize(skdm.serialize()),
      );
      const senderCipher = new bridge.GroupCipher(sender.storage, '120363025246125486@g.us', address);
      const receiverCipher = new bridge.GroupCipher(receiver.storage, '120363025246125486@g.us', address);
      return { send: async (plaintext) => receiverCipher.decrypt(await senderCipher.encrypt(plaintext)) };
    },
  };
}

export const rustBridge = rustBridgeOn('memory');
export const rustBridgeSqlite = rustBridgeOn('sqlite');
