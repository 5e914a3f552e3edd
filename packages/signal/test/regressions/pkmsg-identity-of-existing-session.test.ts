/**
 * Regression (issue 10, finding 2): a `pkmsg` for a session that already exists (the peer has not
 * seen our answer yet) was decrypted with that session and its trust judged on the session's stored
 * identity, so the identity key the message carries went unchecked: a flipped identity byte still
 * decrypted. libsignal asks the identity store about the message's identity key before using it
 * (Rust `process_prekey`, Java `SessionBuilder.process`), whether or not the session exists; so do
 * we, and a pkmsg whose identity is not its session's is refused even by a store that trusts it.
 * Every refusal leaves the stored session, identities and prekeys as they were.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { describe, expect, it } from 'vitest';
import { BadMacError, UntrustedIdentityError } from '../../src/errors';
import { serializePublicKey } from '../../src/public-key';
import type { Direction } from '../../src/store';
import {
  createParty,
  deliver,
  hex,
  type Party,
  SESSION_SETUPS,
  type StoreKind,
  storedSession,
  text,
  utf8,
} from '../session-helpers';

/** Bob's stored state for Alice: session bytes, identities and prekeys. */
function snapshot(bob: Party, alice: Party): string {
  const identities = [...bob.store.identities].map(([k, v]) => `${k}=${hex(v)}`).join(',');
  return `${hex(storedSession(bob, alice) ?? new Uint8Array())}|${identities}|${[...bob.store.preKeys.keys()]}`;
}

/**
 * Alice starts a session with Bob's bundle; Bob reads her first pkmsg, so he has the session. Her
 * second message, sent before any answer, is again a pkmsg with the same base key.
 */
async function secondPkmsg(crypto: CryptoProvider, storeKind: StoreKind) {
  const alice = await createParty('alice', crypto, 4, storeKind);
  const bob = await createParty('bob', crypto, 4, storeKind);
  await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
  await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('first')));
  const second = await alice.cipherFor(bob).encrypt(utf8('second'));
  expect(second.type).toBe('pkmsg');
  // The identity key is the only copy of these 33 bytes in the message: flip its last byte.
  const identity = serializePublicKey(alice.identity.publicKey);
  const at = Buffer.from(second.ciphertext).indexOf(Buffer.from(identity));
  expect(at).toBeGreaterThan(0);
  const flipped = second.ciphertext.slice();
  flipped[at + 32]! ^= 0x01;
  const flippedIdentity = identity.slice();
  flippedIdentity[32]! ^= 0x01;
  return { alice, bob, second, flipped, flippedIdentity };
}

for (const [name, crypto, storeKind] of SESSION_SETUPS) {
  describe(`the identity key of a pkmsg for an existing session (${name})`, () => {
    it('asks the store about it first and refuses an untrusted one, a flipped byte included, changing nothing', async () => {
      const { alice, bob, second, flipped, flippedIdentity } = await secondPkmsg(crypto, storeKind);
      const before = snapshot(bob, alice);
      const asked: string[] = [];
      const store = bob.store;
      const isTrusted = store.isTrustedIdentity.bind(store);
      store.isTrustedIdentity = async (address: string, key: Uint8Array, direction: Direction) => {
        asked.push(`${direction} ${hex(key)}`);
        return isTrusted(address, key, direction);
      };
      const loads: string[] = [];
      const loadSession = store.loadSession.bind(store);
      store.loadSession = async (address: string) => {
        loads.push(address);
        return loadSession(address);
      };

      const error = await bob
        .cipherFor(alice)
        .decryptPreKeyMessage(flipped)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UntrustedIdentityError);
      expect(hex((error as UntrustedIdentityError).identityKey)).toBe(hex(flippedIdentity));
      // The store judged the key the message carries, before the session was even loaded.
      expect(asked).toEqual([`receiving ${hex(flippedIdentity)}`]);
      expect(loads).toEqual([]);
      expect(snapshot(bob, alice)).toBe(before);

      // The genuine message still decrypts afterwards.
      expect(text(await deliver(bob, alice, second))).toBe('second');
    });

    it('refuses it when the policy accepts untrusted identities, and when the store trusts every key', async () => {
      const { alice, bob, second, flipped } = await secondPkmsg(crypto, storeKind);
      const before = snapshot(bob, alice);
      await expect(
        bob.cipherFor(alice, { onUntrustedIdentity: 'accept' }).decryptPreKeyMessage(flipped),
      ).rejects.toThrow(BadMacError);
      expect(snapshot(bob, alice)).toBe(before);

      bob.store.isTrustedIdentity = async () => true;
      await expect(bob.cipherFor(alice).decryptPreKeyMessage(flipped)).rejects.toThrow(BadMacError);
      expect(snapshot(bob, alice)).toBe(before);
      expect(text(await deliver(bob, alice, second))).toBe('second');
    });

    it('refuses a genuine pkmsg of an existing session once the store no longer trusts its identity', async () => {
      const { alice, bob, second } = await secondPkmsg(crypto, storeKind);
      const other = await createParty('mallory', crypto);
      bob.store.identities.set(alice.address.toString(), serializePublicKey(other.identity.publicKey));
      const before = snapshot(bob, alice);
      await expect(bob.cipherFor(alice).decryptPreKeyMessage(second.ciphertext)).rejects.toThrow(
        UntrustedIdentityError,
      );
      expect(snapshot(bob, alice)).toBe(before);
    });
  });
}
