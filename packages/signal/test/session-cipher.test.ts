/**
 * SessionBuilder and SessionCipher behaviour: X3DH with and without a one-time prekey, pkmsg until
 * answered, signature and trust checks, the identity-change policy, closing and archiving, the
 * persistence order, and errors. Every case runs on both providers.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  BadMacError,
  DuplicateMessageError,
  InvalidMessageError,
  InvalidSignatureError,
  isSignalError,
  MissingPreKeyError,
  NoSessionError,
  UnsupportedVersionError,
  UntrustedIdentityError,
} from '../src/errors';
import { generateIdentityKeyPair } from '../src/keys';
import { serializePublicKey } from '../src/public-key';
import { decryptWithRecord, encryptWithRecord } from '../src/record-cipher';
import { SessionRecord } from '../src/session-record';
import {
  deliver,
  hex,
  type Party,
  partiesIn,
  SESSION_SETUPS,
  storedSession,
  text,
  utf8,
} from './session-helpers';

/** Alice starts a session with Bob's bundle and they exchange one message each way. */
async function established(alice: Party, bob: Party): Promise<void> {
  await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
  await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('hello')));
  await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8('hi')));
}

for (const [name, crypto, storeKind] of SESSION_SETUPS) {
  const createParty = partiesIn(storeKind);
  describe(`sessions (${name})`, () => {
    it('sends pkmsg until the peer answers, then msg, both ways', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      const first = await alice.cipherFor(bob).encrypt(utf8('one'));
      const second = await alice.cipherFor(bob).encrypt(utf8('two'));
      expect([first.type, second.type]).toEqual(['pkmsg', 'pkmsg']);
      expect(first.registrationId).toBe(bob.registrationId);
      expect(text(await deliver(bob, alice, first))).toBe('one');
      expect(bob.store.preKeys.has(1)).toBe(false);
      expect(text(await deliver(bob, alice, second))).toBe('two');

      const reply = await bob.cipherFor(alice).encrypt(utf8('three'));
      expect(reply.type).toBe('msg');
      expect(reply.registrationId).toBe(alice.registrationId);
      expect(text(await deliver(alice, bob, reply))).toBe('three');
      const next = await alice.cipherFor(bob).encrypt(utf8('four'));
      expect(next.type).toBe('msg');
      expect(text(await deliver(bob, alice, next))).toBe('four');
    });

    it('runs X3DH without a one-time prekey when the bundle has none', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle(false));
      const message = await alice.cipherFor(bob).encrypt(utf8('no opk'));
      const record = SessionRecord.deserialize(storedSession(alice, bob)!);
      expect(record.current?.pendingPreKey?.preKeyId).toBeUndefined();
      expect(text(await deliver(bob, alice, message))).toBe('no opk');
      expect(bob.store.preKeys.size).toBe(4);
      expect(bob.store.log).not.toContain('removePreKey 1');
    });

    it('refuses a bundle whose signed prekey signature does not verify, storing nothing', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      const bundle = bob.bundle();
      const badSignature = bundle.signedPreKey.signature.slice();
      badSignature[10]! ^= 1;
      await expect(
        alice.builderFor(bob).processPreKeyBundle({
          ...bundle,
          signedPreKey: { ...bundle.signedPreKey, signature: badSignature },
        }),
      ).rejects.toThrow(InvalidSignatureError);
      // A signature by another identity is as bad.
      const mallory = await generateIdentityKeyPair(crypto);
      await expect(
        alice
          .builderFor(bob)
          .processPreKeyBundle({ ...bundle, identityKey: serializePublicKey(mallory.publicKey) }),
      ).rejects.toThrow(InvalidSignatureError);
      expect(alice.store.sessions.size).toBe(0);
      expect(alice.store.identities.size).toBe(0);
    });

    it('refuses a malformed bundle before asking the store anything', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      const bundle = bob.bundle();
      const asked = vi.spyOn(alice.store, 'isTrustedIdentity');
      const builder = alice.builderFor(bob);
      await expect(
        builder.processPreKeyBundle({ ...bundle, identityKey: bundle.identityKey.subarray(1) }),
      ).rejects.toThrow(InvalidMessageError);
      await expect(
        builder.processPreKeyBundle({
          ...bundle,
          signedPreKey: { ...bundle.signedPreKey, publicKey: new Uint8Array(33) },
        }),
      ).rejects.toThrow(InvalidMessageError);
      await expect(builder.processPreKeyBundle({ ...bundle, registrationId: -1 })).rejects.toThrow(
        RangeError,
      );
      await expect(
        builder.processPreKeyBundle({
          ...bundle,
          preKey: { keyId: 1, publicKey: 'key' as unknown as Uint8Array },
        }),
      ).rejects.toThrow(TypeError);
      expect(asked).not.toHaveBeenCalled();
      expect(alice.store.sessions.size).toBe(0);
    });

    it('refuses a bundle whose identity the trust policy rejects, unless told to accept and report it', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      const bobAgain = await createParty('bob', crypto); // reinstalled: same address, new identity
      await established(alice, bob);
      const before = storedSession(alice, bob);

      await expect(alice.builderFor(bobAgain).processPreKeyBundle(bobAgain.bundle())).rejects.toThrow(
        UntrustedIdentityError,
      );
      expect(hex(storedSession(alice, bob)!)).toBe(hex(before!));

      const accepted = await alice
        .builderFor(bobAgain, { onUntrustedIdentity: 'accept' })
        .processPreKeyBundle(bobAgain.bundle());
      expect(accepted.identityChanged).toBe(true);
      expect(hex(alice.store.identities.get(bob.address.toString())!)).toBe(
        hex(serializePublicKey(bobAgain.identity.publicKey)),
      );
      const message = await alice.cipherFor(bobAgain).encrypt(utf8('new you'));
      expect(text(await deliver(bobAgain, alice, message))).toBe('new you');
    });

    it('refuses a pkmsg from a changed identity by default, and accepts and reports it on request', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const aliceAgain = await createParty('alice', crypto); // reinstalled
      await aliceAgain.builderFor(bob).processPreKeyBundle(bob.bundle());
      const message = await aliceAgain.cipherFor(bob).encrypt(utf8('it is me'));
      const before = storedSession(bob, alice);
      const preKeysBefore = bob.store.preKeys.size;

      const error = await deliver(bob, aliceAgain, message).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UntrustedIdentityError);
      expect((error as UntrustedIdentityError).address).toBe('alice.1');
      expect(hex((error as UntrustedIdentityError).identityKey)).toBe(
        hex(serializePublicKey(aliceAgain.identity.publicKey)),
      );
      expect(hex(storedSession(bob, alice)!)).toBe(hex(before!));
      expect(bob.store.preKeys.size).toBe(preKeysBefore);

      const result = await bob
        .cipherFor(aliceAgain, { onUntrustedIdentity: 'accept' })
        .decryptPreKeyMessage(message.ciphertext);
      expect(text(result.plaintext)).toBe('it is me');
      expect(result.identityChanged).toBe(true);
      const record = SessionRecord.deserialize(storedSession(bob, alice)!);
      expect(hex(record.remoteIdentityKey!)).toBe(hex(serializePublicKey(aliceAgain.identity.publicKey)));
      expect(record.previousStates).toHaveLength(1);
      // Bob answers the new Alice; the old one's session is archived.
      expect(
        text(await deliver(aliceAgain, bob, await bob.cipherFor(alice).encrypt(utf8('welcome back')))),
      ).toBe('welcome back');
    });

    it('checks a late message of an archived session against the policy, and neither saves its old identity back nor promotes it', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const late = await alice.cipherFor(bob).encrypt(utf8('sent before the reinstall'));
      const aliceAgain = await createParty('alice', crypto);
      await aliceAgain.builderFor(bob).processPreKeyBundle(bob.bundle());
      await bob
        .cipherFor(alice, { onUntrustedIdentity: 'accept' })
        .decryptPreKeyMessage((await aliceAgain.cipherFor(bob).encrypt(utf8('new install'))).ciphertext);
      const newIdentity = hex(serializePublicKey(aliceAgain.identity.publicKey));
      expect(hex(bob.store.identities.get('alice.1')!)).toBe(newIdentity);

      await expect(bob.cipherFor(alice).decryptMessage(late.ciphertext)).rejects.toThrow(
        UntrustedIdentityError,
      );
      const result = await bob
        .cipherFor(alice, { onUntrustedIdentity: 'accept' })
        .decryptMessage(late.ciphertext);
      expect(text(result.plaintext)).toBe('sent before the reinstall');
      expect(result.identityChanged).toBe(false);
      expect(hex(bob.store.identities.get('alice.1')!)).toBe(newIdentity);
      // Nor is the old session promoted: Bob goes on sending to the new install.
      const record = SessionRecord.deserialize(storedSession(bob, alice)!);
      expect(hex(record.remoteIdentityKey!)).toBe(newIdentity);
      const reply = await bob.cipherFor(alice).encrypt(utf8('to the new install'));
      expect(text(await deliver(aliceAgain, bob, reply))).toBe('to the new install');
    });

    it('converges when both sides start a session at once: every message in both directions decrypts', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      await bob.builderFor(alice).processPreKeyBundle(alice.bundle());
      const fromAlice = await alice.cipherFor(bob).encrypt(utf8('a0'));
      const fromBob = await bob.cipherFor(alice).encrypt(utf8('b0'));
      expect([fromAlice.type, fromBob.type]).toEqual(['pkmsg', 'pkmsg']);
      // Each adopts the other's session and archives its own.
      expect(text(await deliver(bob, alice, fromAlice))).toBe('a0');
      expect(text(await deliver(alice, bob, fromBob))).toBe('b0');
      for (let round = 1; round <= 3; round++) {
        const a = await alice.cipherFor(bob).encrypt(utf8(`a${round}`));
        const b = await bob.cipherFor(alice).encrypt(utf8(`b${round}`));
        expect([a.type, b.type]).toEqual(['msg', 'msg']);
        expect(text(await deliver(bob, alice, a))).toBe(`a${round}`);
        expect(text(await deliver(alice, bob, b))).toBe(`b${round}`);
      }
    });

    it('reports no identity change for an unchanged identity', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      const built = await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      expect(built.identityChanged).toBe(false);
      const result = await bob
        .cipherFor(alice)
        .decryptPreKeyMessage((await alice.cipherFor(bob).encrypt(utf8('x'))).ciphertext);
      expect(result.identityChanged).toBe(false);
    });

    it('will not encrypt without an open session or to an identity the store no longer trusts', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await expect(alice.cipherFor(bob).encrypt(utf8('x'))).rejects.toThrow(NoSessionError);
      await expect(alice.cipherFor(bob).decryptMessage(new Uint8Array([0x33]))).rejects.toThrow(
        NoSessionError,
      );
      await established(alice, bob);
      alice.store.identities.set(
        bob.address.toString(),
        serializePublicKey((await generateIdentityKeyPair(crypto)).publicKey),
      );
      const before = storedSession(alice, bob);
      await expect(
        alice.cipherFor(bob, { onUntrustedIdentity: 'accept' }).encrypt(utf8('x')),
      ).rejects.toThrow(UntrustedIdentityError);
      expect(hex(storedSession(alice, bob)!)).toBe(hex(before!));
    });

    it('closes the open session (END_SESSION); a late message on it decrypts and opens it again, as in libsignal', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const late = await alice.cipherFor(bob).encrypt(utf8('late'));
      const bobCipher = bob.cipherFor(alice);
      expect(await bobCipher.hasOpenSession()).toBe(true);
      await bobCipher.closeOpenSession();
      expect(await bobCipher.hasOpenSession()).toBe(false);
      await expect(bobCipher.encrypt(utf8('x'))).rejects.toThrow(NoSessionError);
      const closed = storedSession(bob, alice)!;
      await bobCipher.closeOpenSession(); // nothing open: no-op
      expect(hex(storedSession(bob, alice)!)).toBe(hex(closed));
      // The session that read it is the open one again (libsignal Rust `promote_old_session`).
      expect(text(await deliver(bob, alice, late))).toBe('late');
      expect(await bobCipher.hasOpenSession()).toBe(true);
      const reopened = await bobCipher.encrypt(utf8('reopened'));
      expect(reopened.type).toBe('msg');
      expect(text(await deliver(alice, bob, reopened))).toBe('reopened');
      // A new bundle opens a new session.
      await bobCipher.closeOpenSession();
      await bob.builderFor(alice).processPreKeyBundle(alice.bundle());
      expect(await bobCipher.hasOpenSession()).toBe(true);
      const again = await bobCipher.encrypt(utf8('again'));
      expect(again.type).toBe('pkmsg');
      expect(text(await deliver(alice, bob, again))).toBe('again');
    });

    it('archives the open session when a pkmsg starts a new one, and promotes the old one back when it decrypts a late message', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const inFlight = await alice.cipherFor(bob).encrypt(utf8('old session'));
      const bobInFlight = await bob.cipherFor(alice).encrypt(utf8('old session, to alice'));
      const baseKeyOf = (owner: Party, peer: Party) =>
        hex(SessionRecord.deserialize(storedSession(owner, peer)!).current!.baseKey);
      const oldSession = baseKeyOf(alice, bob);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle()); // Alice starts over
      const newSession = baseKeyOf(alice, bob);
      const fresh = await alice.cipherFor(bob).encrypt(utf8('new session'));
      expect(fresh.type).toBe('pkmsg');
      expect(text(await deliver(bob, alice, fresh))).toBe('new session');
      const record = SessionRecord.deserialize(storedSession(bob, alice)!);
      expect(record.previousStates).toHaveLength(1);
      expect(text(await deliver(bob, alice, inFlight))).toBe('old session');
      expect(text(await deliver(alice, bob, bobInFlight))).toBe('old session, to alice');
      // Each side read a late message on the old session, which made it the open one again on both
      // (libsignal's promotion): they go on talking on it, the new one archived.
      expect(
        text(await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8('on the old one')))),
      ).toBe('on the old one');
      expect((await alice.cipherFor(bob).encrypt(utf8('x'))).type).toBe('msg');
      for (const [owner, peer] of [
        [alice, bob],
        [bob, alice],
      ] as const) {
        const promoted = SessionRecord.deserialize(storedSession(owner, peer)!);
        expect(hex(promoted.current!.baseKey)).toBe(oldSession);
        expect(promoted.previousStates.map((state) => hex(state.baseKey))).toEqual([newSession]);
      }
    });

    it('rejects replays of msg and pkmsg as duplicates, leaving the stored session as it was', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      const pkmsg = await alice.cipherFor(bob).encrypt(utf8('first'));
      await deliver(bob, alice, pkmsg);
      const msg = await bob.cipherFor(alice).encrypt(utf8('reply'));
      await deliver(alice, bob, msg);
      const bobBefore = storedSession(bob, alice);
      const aliceBefore = storedSession(alice, bob);
      await expect(deliver(bob, alice, pkmsg)).rejects.toThrow(DuplicateMessageError);
      await expect(deliver(alice, bob, msg)).rejects.toThrow(DuplicateMessageError);
      expect(hex(storedSession(bob, alice)!)).toBe(hex(bobBefore!));
      expect(hex(storedSession(alice, bob)!)).toBe(hex(aliceBefore!));
    });

    it('refuses a pkmsg naming a prekey it does not have', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      const message = await alice.cipherFor(bob).encrypt(utf8('x'));
      bob.store.preKeys.delete(1);
      await expect(deliver(bob, alice, message)).rejects.toThrow(MissingPreKeyError);
      bob.store.signedPreKeys.delete(1);
      await expect(deliver(bob, alice, message)).rejects.toThrow(MissingPreKeyError);
      expect(bob.store.sessions.size).toBe(0);
    });

    it('refuses other protocol versions and malformed messages with this package errors', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const message = await alice.cipherFor(bob).encrypt(utf8('x'));
      for (const version of [0x22, 0x23, 0x32, 0x34, 0x43]) {
        const other = message.ciphertext.slice();
        other[0] = version;
        await expect(bob.cipherFor(alice).decryptMessage(other)).rejects.toThrow(UnsupportedVersionError);
        await expect(bob.cipherFor(alice).decryptPreKeyMessage(other)).rejects.toThrow(
          UnsupportedVersionError,
        );
      }
      await expect(bob.cipherFor(alice).decryptMessage(message.ciphertext.subarray(0, 5))).rejects.toThrow(
        InvalidMessageError,
      );
      const wrongMac = message.ciphertext.slice();
      wrongMac[wrongMac.length - 1]! ^= 1;
      await expect(bob.cipherFor(alice).decryptMessage(wrongMac)).rejects.toThrow(BadMacError);
      await expect(bob.cipherFor(alice).decryptPreKeyMessage(message.ciphertext)).rejects.toSatisfy(
        isSignalError,
      );
      expect(text(await deliver(bob, alice, message))).toBe('x');
    });

    it('stores the advanced session before encrypt returns, and returns nothing when the store fails', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const before = storedSession(alice, bob);
      alice.store.failWrites = true;
      await expect(alice.cipherFor(bob).encrypt(utf8('lost'))).rejects.toThrow('disk full');
      expect(hex(storedSession(alice, bob)!)).toBe(hex(before!));
      alice.store.failWrites = false;
      alice.store.log.length = 0;
      const message = await alice.cipherFor(bob).encrypt(utf8('kept'));
      expect(alice.store.log).toEqual(['storeSession bob.1']);
      // The stored state is the one after this message (the first on Alice's second chain).
      const record = SessionRecord.deserialize(storedSession(alice, bob)!);
      expect(record.current!.senderChain.index).toBe(1);
      expect(text(await deliver(bob, alice, message))).toBe('kept');
    });

    it('saves the identity, stores the session, then removes the one-time prekey', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      const message = await alice.cipherFor(bob).encrypt(utf8('x'));
      bob.store.failWrites = true;
      await expect(deliver(bob, alice, message)).rejects.toThrow('disk full');
      expect(bob.store.preKeys.has(1)).toBe(true);
      expect(bob.store.sessions.size).toBe(0);
      bob.store.failWrites = false;
      expect(text(await deliver(bob, alice, message))).toBe('x');
      expect(bob.store.log).toEqual(['saveIdentity alice.1', 'storeSession alice.1', 'removePreKey 1']);
    });

    it('runs concurrent encrypts to one address one at a time: distinct counters, all decryptable', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const messages = await Promise.all(
        Array.from({ length: 12 }, (_, i) => alice.cipherFor(bob).encrypt(utf8(`parallel ${i}`))),
      );
      expect(new Set(messages.map((m) => hex(m.ciphertext))).size).toBe(12);
      const received = await Promise.all(messages.map((m) => deliver(bob, alice, m)));
      expect(received.map(text)).toEqual(Array.from({ length: 12 }, (_, i) => `parallel ${i}`));
    });

    it('gives the pure layer records without touching the input record', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const record = SessionRecord.deserialize(storedSession(alice, bob)!);
      const snapshot = hex(record.serialize());
      const { message, record: next } = await encryptWithRecord(record, utf8('pure'), { crypto });
      expect(hex(record.serialize())).toBe(snapshot);
      expect(next.current!.senderChain.index).toBe(record.current!.senderChain.index + 1);

      const bobRecord = SessionRecord.deserialize(storedSession(bob, alice)!);
      const bobSnapshot = hex(bobRecord.serialize());
      const opened = await decryptWithRecord(bobRecord, message.ciphertext, { crypto });
      expect(text(opened.plaintext)).toBe('pure');
      expect(opened.usedArchivedState).toBe(false);
      expect(hex(bobRecord.serialize())).toBe(bobSnapshot);
      await expect(decryptWithRecord(opened.record, message.ciphertext, { crypto })).rejects.toThrow(
        DuplicateMessageError,
      );
      // Without persisting, the old record still opens the message: the caller decides what to keep.
      expect(text((await decryptWithRecord(bobRecord, message.ciphertext, { crypto })).plaintext)).toBe(
        'pure',
      );
    });

    it('validates options', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      expect(() => alice.cipherFor(bob, { maxForwardJump: -1 })).toThrow(RangeError);
      expect(() => alice.cipherFor(bob, { onUntrustedIdentity: 'ignore' as 'throw' })).toThrow(TypeError);
      await expect(alice.cipherFor(bob).encrypt('text' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    });
  });
}
