/**
 * The three implementations the Signal benchmark runs, behind one small interface: wakit (this
 * package, node provider), libsignal@6.0.0 (libsignal-node, what Baileys runs; Baileys' own sender-
 * key port for groups, since libsignal-node has none) and whatsapp-rust-bridge@0.5.5 (whatsapp-rust's
 * libsignal in wasm). Each keeps its state in its natural in-memory store: libsignal-node keeps
 * record objects, the bridge and wakit keep serialized records (their store contracts are bytes).
 */
import { createRequire } from 'node:module';
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

async function wakitParty(name: string) {
  const identity = await generateIdentityKeyPair(crypto);
  const store = new MemorySignalStore(identity, generateRegistrationId(crypto));
  const signed = await generateSignedPreKey(identity, 1, crypto);
  store.addSignedPreKey(1, signed.keyPair);
  const bundle = {
    registrationId: await store.getLocalRegistrationId(),
    deviceId: 1,
    identityKey: serializePublicKey(identity.publicKey),
    signedPreKey: {
      keyId: 1,
      publicKey: serializePublicKey(signed.keyPair.publicKey),
      signature: signed.signature,
    },
  };
  return { store, bundle, address: new ProtocolAddress(name, 1) };
}

export const wakit: Implementation = {
  name: 'wakit',
  async conversation() {
    const alice = await wakitParty('alice');
    const bob = await wakitParty('bob');
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
    const bob = await wakitParty('bob');
    const alices = await Promise.all(Array.from({ length: 8 }, () => generateIdentityKeyPair(crypto)));
    let n = 0;
    return async () => {
      const identity = alices[n % alices.length]!;
      const store = new MemorySignalStore(identity, 1234);
      await new SessionBuilder(store, bob.address, { crypto }).processPreKeyBundle(bob.bundle);
      const { ciphertext } = await new SessionCipher(store, bob.address, { crypto }).encrypt(HELLO);
      const from = new ProtocolAddress(`alice${n++}`, 1);
      return (await new SessionCipher(bob.store, from, { crypto }).decryptPreKeyMessage(ciphertext))
        .plaintext;
    };
  },
  async group() {
    const name = new SenderKeyName('120363025246125486@g.us', new ProtocolAddress('alice', 1));
    const senderStore = new MemorySignalStore(await generateIdentityKeyPair(crypto), 1);
    const receiverStore = new MemorySignalStore(await generateIdentityKeyPair(crypto), 2);
    const skdm = await new GroupSessionBuilder(senderStore, { crypto }).create(name);
    await new GroupSessionBuilder(receiverStore, { crypto }).process(name, skdm.serialized);
    const sender = new GroupCipher(senderStore, name, { crypto });
    const receiver = new GroupCipher(receiverStore, name, { crypto });
    return { send: async (plaintext) => receiver.decrypt(await sender.encrypt(plaintext)) };
  },
};

// ---------------------------------------------------------------------------------------------
// libsignal@6.0.0 (libsignal-node)

interface NodeKeyPair {
  pubKey: Buffer;
  privKey: Buffer;
}
// biome-ignore lint/suspicious/noExplicitAny: libsignal-node ships no usable types
const libsignal = createRequire(import.meta.url)('libsignal') as any;

/**
 * libsignal-node's storage interface over maps. `serialized` keeps what Baileys keeps: its adapter
 * (`lib/Signal/libsignal.js`) stores `record.serialize()` and loads `SessionRecord.deserialize(...)`
 * on every call; otherwise the record objects are kept as they are (libsignal-node's fastest case).
 */
class NodeStore {
  readonly sessions = new Map<string, unknown>();
  readonly signedPreKeys = new Map<number, NodeKeyPair>();
  constructor(
    readonly serialized: boolean,
    readonly identity: NodeKeyPair = libsignal.keyhelper.generateIdentityKeyPair(),
    readonly registrationId = 1234,
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
    return this.serialized && stored !== undefined ? libsignal.SessionRecord.deserialize(stored) : stored;
  }
  async storeSession(id: string, record: { serialize(): unknown }) {
    this.sessions.set(id, this.serialized ? record.serialize() : record);
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

function libsignalImplementation(serialized: boolean): Implementation {
  return {
    name: serialized ? 'libsignal@6.0.0 (records serialized, as Baileys stores them)' : 'libsignal@6.0.0',
    async conversation() {
      const alice = new NodeStore(serialized);
      const bob = new NodeStore(serialized);
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
      const bob = new NodeStore(serialized);
      const bundle = bob.bundle();
      const bobAddress = new libsignal.ProtocolAddress('bob', 1);
      const alices = Array.from({ length: 8 }, () => libsignal.keyhelper.generateIdentityKeyPair());
      let n = 0;
      return async () => {
        const store = new NodeStore(serialized, alices[n % alices.length]);
        await new libsignal.SessionBuilder(store, bobAddress).initOutgoing(bundle);
        const { body } = await new libsignal.SessionCipher(store, bobAddress).encrypt(Buffer.from(HELLO));
        const from = new libsignal.ProtocolAddress(`alice${n++}`, 1);
        return new libsignal.SessionCipher(bob, from).decryptPreKeyWhisperMessage(body);
      };
    },
    async group() {
      // libsignal-node has no sender keys; Baileys' port (lib/Signal/Group) is what its users run.
      const store = () => {
        const records = new Map<string, BaileysSenderKeyRecord | unknown>();
        return {
          loadSenderKey: async (n: BaileysSenderKeyName) => {
            const stored = records.get(n.toString());
            if (stored === undefined) return new BaileysSenderKeyRecord();
            return serialized
              ? BaileysSenderKeyRecord.deserialize(stored as never)
              : (stored as BaileysSenderKeyRecord);
          },
          storeSenderKey: async (n: BaileysSenderKeyName, r: BaileysSenderKeyRecord) => {
            // Exactly Baileys' adapter (lib/Signal/libsignal.js): JSON of serialize(), as UTF-8 bytes.
            records.set(n.toString(), serialized ? Buffer.from(JSON.stringify(r.serialize()), 'utf-8') : r);
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

export const libsignalNode = libsignalImplementation(false);
export const libsignalSerialized = libsignalImplementation(true);

// ---------------------------------------------------------------------------------------------
// whatsapp-rust-bridge@0.5.5

function bridgeStore(identity = bridge.generateIdentityKeyPair()) {
  const sessions = new Map<string, Uint8Array>();
  const senderKeys = new Map<string, Uint8Array>();
  const signedPreKeys = new Map<number, bridge.SignedPreKey>();
  const storage: bridge.SignalStorage = {
    loadSession: (address) => sessions.get(address),
    storeSession: (address, record) => {
      sessions.set(address, record.serialize());
    },
    getOurIdentity: () => identity,
    getOurRegistrationId: () => 1234,
    isTrustedIdentity: () => true,
    loadPreKey: () => undefined,
    removePreKey: () => {},
    loadSignedPreKey: (id) => signedPreKeys.get(id),
    loadSenderKey: (name) => senderKeys.get(name),
    storeSenderKey: (name, record) => {
      senderKeys.set(name, record);
    },
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

export const rustBridge: Implementation = {
  name: 'whatsapp-rust-bridge@0.5.5',
  async conversation() {
    const alice = bridgeStore();
    const bob = bridgeStore();
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
    const bob = bridgeStore();
    const bundle = bob.bundle();
    const bobAddress = new bridge.ProtocolAddress('bob', 1);
    const alices = Array.from({ length: 8 }, () => bridge.generateIdentityKeyPair());
    let n = 0;
    return async () => {
      const alice = bridgeStore(alices[n % alices.length]);
      await new bridge.SessionBuilder(alice.storage, bobAddress).processPreKeyBundle(bundle);
      const { body } = await new bridge.SessionCipher(alice.storage, bobAddress).encrypt(HELLO);
      const from = new bridge.ProtocolAddress(`alice${n++}`, 1);
      return new bridge.SessionCipher(bob.storage, from).decryptPreKeyWhisperMessage(body);
    };
  },
  async group() {
    const sender = bridgeStore();
    const receiver = bridgeStore();
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
