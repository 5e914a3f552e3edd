/**
 * Regression (issue 10, finding 3): an archived session that decrypted a message stayed archived,
 * so our next message still went out on the newer session. libsignal (Java `SessionCipher.decrypt`,
 * Rust `decrypt_message_with_record` -> `promote_old_session`) makes it the open session again: the
 * peer is evidently still on it. We now do the same, in the one `storeSession` of the decrypt.
 *
 * The interop half runs the same scenario with each implementation as the side that holds the
 * archived session: a session is set up and answered, that side starts a second one from a new
 * bundle (archiving the first), then reads a late message the peer sent on the first one, and
 * sends. whatsapp-rust-bridge 0.5.5 (libsignal's Rust port, in wasm) and we send a `msg` on the
 * promoted session, which the peer reads. libsignal-node 6.0.0 keeps it archived and sends a
 * `pkmsg` on the second session, which no peer can read: it tried the late message on that session
 * first, and its failed attempt (a DH ratchet step) was stored with the successful decrypt.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as bridge from 'whatsapp-rust-bridge';
import { ProtocolAddress } from '../../src/address';
import { BadMacError, DuplicateMessageError } from '../../src/errors';
import { generateIdentityKeyPair, generatePreKeys, generateSignedPreKey } from '../../src/keys';
import { serializePublicKey } from '../../src/public-key';
import { decryptWithRecord } from '../../src/record-cipher';
import { SessionBuilder } from '../../src/session-builder';
import { SessionCipher } from '../../src/session-cipher';
import { SessionRecord } from '../../src/session-record';
import { libsignal, NodeStore } from '../libsignal-node';
import {
  deliver,
  hex,
  type Party,
  partiesIn,
  RecordingStore,
  SESSION_SETUPS,
  storedSession,
  text,
  utf8,
} from '../session-helpers';

/** A bundle as all three implementations take it: 33-byte keys, a one-time prekey. */
interface Bundle {
  registrationId: number;
  identityKey: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array };
  preKey: { keyId: number; publicKey: Uint8Array };
}

interface Wire {
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
}

/** One device of one implementation, talking to the device named `peer` (device id 1). */
interface Side {
  bundle(): Promise<Bundle>;
  startWith(bundle: Bundle): Promise<void>;
  encrypt(plaintext: Uint8Array): Promise<Wire>;
  decrypt(message: Wire): Promise<Uint8Array>;
}

type MakeSide = (self: string, peer: string) => Promise<Side>;

function wakitSide(crypto: CryptoProvider): MakeSide {
  return async (_self, peer) => {
    const identity = await generateIdentityKeyPair(crypto);
    const store = new RecordingStore(identity, 4321);
    const address = new ProtocolAddress(peer, 1);
    const cipher = new SessionCipher(store, address, { crypto });
    let nextId = 1;
    return {
      async bundle() {
        const id = nextId++;
        const signed = await generateSignedPreKey(identity, id, crypto);
        const [preKey] = await generatePreKeys(id, 1, crypto);
        store.addSignedPreKey(id, signed.keyPair);
        store.addPreKey(id, preKey!.keyPair);
        return {
          registrationId: 4321,
          identityKey: serializePublicKey(identity.publicKey),
          signedPreKey: {
            keyId: id,
            publicKey: serializePublicKey(signed.keyPair.publicKey),
            signature: signed.signature,
          },
          preKey: { keyId: id, publicKey: serializePublicKey(preKey!.keyPair.publicKey) },
        };
      },
      startWith: async (bundle) => {
        await new SessionBuilder(store, address, { crypto }).processPreKeyBundle(bundle);
      },
      encrypt: (plaintext) => cipher.encrypt(plaintext),
      decrypt: async (message) =>
        (message.type === 'pkmsg'
          ? await cipher.decryptPreKeyMessage(message.ciphertext)
          : await cipher.decryptMessage(message.ciphertext)
        ).plaintext,
    };
  };
}

const bridgeSide: MakeSide = async (_self, peer) => {
  const identity = bridge.generateIdentityKeyPair();
  const sessions = new Map<string, Uint8Array>();
  const preKeys = new Map<number, bridge.KeyPair>();
  const signedPreKeys = new Map<number, bridge.SignedPreKey>();
  const storage: bridge.SignalStorage = {
    loadSession: (address) => sessions.get(address),
    storeSession: (address, record) => {
      sessions.set(address, record.serialize());
    },
    getOurIdentity: () => identity,
    getOurRegistrationId: () => 1234,
    isTrustedIdentity: () => true,
    loadPreKey: (id) => preKeys.get(id),
    removePreKey: (id) => {
      preKeys.delete(id);
    },
    loadSignedPreKey: (id) => signedPreKeys.get(id),
    loadSenderKey: () => undefined,
    storeSenderKey: () => {},
  };
  const address = new bridge.ProtocolAddress(peer, 1);
  const cipher = new bridge.SessionCipher(storage, address);
  let nextId = 1;
  return {
    async bundle() {
      const id = nextId++;
      const signed = bridge.generateSignedPreKey(identity, id);
      const preKey = bridge.generatePreKey(id);
      signedPreKeys.set(id, signed);
      preKeys.set(id, preKey.keyPair);
      return {
        registrationId: 1234,
        identityKey: identity.pubKey,
        signedPreKey: { keyId: id, publicKey: signed.keyPair.pubKey, signature: signed.signature },
        preKey: { keyId: id, publicKey: preKey.keyPair.pubKey },
      };
    },
    startWith: (bundle) => new bridge.SessionBuilder(storage, address).processPreKeyBundle(bundle),
    async encrypt(plaintext) {
      const { type, body } = await cipher.encrypt(plaintext);
      return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: body };
    },
    decrypt: (message) =>
      message.type === 'pkmsg'
        ? cipher.decryptPreKeyWhisperMessage(message.ciphertext)
        : cipher.decryptWhisperMessage(message.ciphertext),
  };
};

const libsignalNodeSide: MakeSide = async (_self, peer) => {
  const store = new NodeStore();
  const address = new libsignal.ProtocolAddress(peer, 1);
  const cipher = new libsignal.SessionCipher(store, address);
  return {
    bundle: async () => store.bundle(true) as Bundle,
    startWith: async (bundle) => {
      await new libsignal.SessionBuilder(store, address).initOutgoing({
        registrationId: bundle.registrationId,
        identityKey: Buffer.from(bundle.identityKey),
        signedPreKey: {
          keyId: bundle.signedPreKey.keyId,
          publicKey: Buffer.from(bundle.signedPreKey.publicKey),
          signature: Buffer.from(bundle.signedPreKey.signature),
        },
        preKey: { keyId: bundle.preKey.keyId, publicKey: Buffer.from(bundle.preKey.publicKey) },
      });
    },
    async encrypt(plaintext) {
      const { type, body } = await cipher.encrypt(Buffer.from(plaintext));
      return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: new Uint8Array(body) };
    },
    decrypt: async (message) =>
      new Uint8Array(
        message.type === 'pkmsg'
          ? await cipher.decryptPreKeyWhisperMessage(Buffer.from(message.ciphertext))
          : await cipher.decryptWhisperMessage(Buffer.from(message.ciphertext)),
      ),
  };
};

/**
 * Alice and Bob set up a session and answer it once; Alice starts a second session from a new
 * bundle of Bob's, then reads a message Bob sent on the first. Returns Alice's next message and
 * what Bob makes of it.
 */
async function afterLateMessage(
  makeAlice: MakeSide,
  makeBob: MakeSide,
): Promise<{ type: Wire['type']; read: Promise<Uint8Array> }> {
  const alice = await makeAlice('alice', 'bob');
  const bob = await makeBob('bob', 'alice');
  await alice.startWith(await bob.bundle());
  expect(text(await bob.decrypt(await alice.encrypt(utf8('hello'))))).toBe('hello');
  expect(text(await alice.decrypt(await bob.encrypt(utf8('hi'))))).toBe('hi');

  await alice.startWith(await bob.bundle());
  const late = await bob.encrypt(utf8('late, on the first session'));
  expect(late.type).toBe('msg');
  expect(text(await alice.decrypt(late))).toBe('late, on the first session');

  const next = await alice.encrypt(utf8('next'));
  return { type: next.type, read: bob.decrypt(next) };
}

/** The type of Alice's next message, after checking that Bob reads it. */
async function nextTypeAfterLateMessage(makeAlice: MakeSide, makeBob: MakeSide): Promise<Wire['type']> {
  const { type, read } = await afterLateMessage(makeAlice, makeBob);
  expect(text(await read)).toBe('next');
  return type;
}

beforeAll(() => {
  // libsignal-node narrates session changes on the console.
  vi.spyOn(console, 'info').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

for (const [name, crypto, storeKind] of SESSION_SETUPS) {
  const createParty = partiesIn(storeKind);
  const wakit = wakitSide(crypto);

  describe(`an archived session that decrypts a message becomes the open one (${name})`, () => {
    it('as in whatsapp-rust: the next message goes out on it as a msg, with either implementation on either side', async () => {
      expect(await nextTypeAfterLateMessage(bridgeSide, wakit)).toBe('msg');
      expect(await nextTypeAfterLateMessage(wakit, bridgeSide)).toBe('msg');
      expect(await nextTypeAfterLateMessage(wakit, wakit)).toBe('msg');
    });

    it('libsignal-node as the peer reads what we send on the promoted session', async () => {
      expect(await nextTypeAfterLateMessage(wakit, libsignalNodeSide)).toBe('msg');
    });

    it('differs from libsignal-node, which keeps it archived and sends a pkmsg on the newer session that cannot be read', async () => {
      const { type, read } = await afterLateMessage(libsignalNodeSide, wakit);
      expect(type).toBe('pkmsg');
      await expect(read).rejects.toThrow(BadMacError);
    });

    /** Alice and Bob with an answered session S1, then Alice's second session S2 (S1 archived). */
    async function archivedAtAlice() {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('hello')));
      await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8('hi')));
      const first = baseKey(alice, bob);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      return { alice, bob, first, second: baseKey(alice, bob) };
    }

    function baseKey(owner: Party, peer: Party): string {
      return hex(SessionRecord.deserialize(storedSession(owner, peer)!).current!.baseKey);
    }

    it('stores the promotion with the ratchet step in one write, and nothing when that write fails', async () => {
      const { alice, bob, first, second } = await archivedAtAlice();
      const late = await bob.cipherFor(alice).encrypt(utf8('late'));

      const before = storedSession(alice, bob)!;
      alice.store.failWrites = true;
      await expect(deliver(alice, bob, late)).rejects.toThrow('disk full');
      alice.store.failWrites = false;
      expect(hex(storedSession(alice, bob)!)).toBe(hex(before));

      alice.store.log.length = 0;
      expect(text(await deliver(alice, bob, late))).toBe('late');
      expect(alice.store.log).toEqual(['storeSession bob.1']);
      const record = SessionRecord.deserialize(storedSession(alice, bob)!);
      expect(hex(record.current!.baseKey)).toBe(first);
      expect(record.previousStates.map((state) => hex(state.baseKey))).toEqual([second]);
      // The write holds the ratchet step too: the message is now a duplicate.
      await expect(deliver(alice, bob, late)).rejects.toThrow(DuplicateMessageError);
    });

    it('gives the pure layer the promoted record and the record with the session advanced in place', async () => {
      const { alice, bob, first, second } = await archivedAtAlice();
      const late = await bob.cipherFor(alice).encrypt(utf8('late'));
      const record = SessionRecord.deserialize(storedSession(alice, bob)!);
      const result = await decryptWithRecord(record, late.ciphertext, { crypto });
      expect(result.usedArchivedState).toBe(true);
      expect(hex(result.record.current!.baseKey)).toBe(first);
      expect(result.record.previousStates.map((state) => hex(state.baseKey))).toEqual([second]);
      expect(hex(result.unpromotedRecord!.current!.baseKey)).toBe(second);
      expect(result.unpromotedRecord!.previousStates.map((state) => hex(state.baseKey))).toEqual([first]);
      // Both hold the advanced session: neither opens the message again.
      for (const next of [result.record, result.unpromotedRecord!]) {
        await expect(decryptWithRecord(next, late.ciphertext, { crypto })).rejects.toThrow(
          DuplicateMessageError,
        );
      }
      const open = await decryptWithRecord(
        result.record,
        (await bob.cipherFor(alice).encrypt(utf8('on the open one'))).ciphertext,
        { crypto },
      );
      expect(open.usedArchivedState).toBe(false);
      expect(open.unpromotedRecord).toBeUndefined();
    });

    it('promotes an archived session that a pkmsg names by its base key', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      const firstPkmsg = await alice.cipherFor(bob).encrypt(utf8('one'));
      const secondPkmsg = await alice.cipherFor(bob).encrypt(utf8('two'));
      expect(text(await deliver(bob, alice, firstPkmsg))).toBe('one');
      const aliceSession = baseKey(bob, alice);
      // Bob starts a session of his own before answering: Alice's is archived at Bob.
      await bob.builderFor(alice).processPreKeyBundle(alice.bundle());
      expect(baseKey(bob, alice)).not.toBe(aliceSession);

      expect(text(await deliver(bob, alice, secondPkmsg))).toBe('two');
      expect(baseKey(bob, alice)).toBe(aliceSession);
      const reply = await bob.cipherFor(alice).encrypt(utf8('answer'));
      expect(reply.type).toBe('msg');
      expect(text(await deliver(alice, bob, reply))).toBe('answer');
    });
  });
}
