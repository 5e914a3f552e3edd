/**
 * Sessions and sender keys use a provider's synchronous AES-CBC when it offers one
 * (`aesCbcEncryptSync`/`aesCbcDecryptSync`) and its promises otherwise. Both providers of
 * @wakit/crypto offer it, so the suites elsewhere run the synchronous path; here one side has a
 * provider with the promises only, and talks with a side on the synchronous one: each reads what
 * the other wrote, and neither path may touch AES in the other's way.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import { GroupCipher } from '../src/group-cipher';
import { GroupSessionBuilder } from '../src/group-session-builder';
import { RecordingSenderKeyStore, senderKeyName } from './sender-key-helpers';
import { createParty, deliver, text, utf8 } from './session-helpers';

/** `nodeCrypto` without its synchronous AES-CBC, counting the promise calls it answers. */
function promiseOnly(): { crypto: CryptoProvider; calls: { encrypt: number; decrypt: number } } {
  const calls = { encrypt: 0, decrypt: 0 };
  const { aesCbcEncryptSync: _e, aesCbcDecryptSync: _d, ...rest } = nodeCrypto;
  const crypto: CryptoProvider = {
    ...rest,
    aesCbcEncrypt: (key, iv, plaintext) => {
      calls.encrypt++;
      return nodeCrypto.aesCbcEncrypt(key, iv, plaintext);
    },
    aesCbcDecrypt: (key, iv, ciphertext) => {
      calls.decrypt++;
      return nodeCrypto.aesCbcDecrypt(key, iv, ciphertext);
    },
  };
  return { crypto, calls };
}

/** `nodeCrypto` whose promise-returning AES-CBC fails the test: only the synchronous one may run. */
const syncOnly: CryptoProvider = {
  ...nodeCrypto,
  aesCbcEncrypt: () => Promise.reject(new Error('the promise was used although aesCbcEncryptSync is there')),
  aesCbcDecrypt: () => Promise.reject(new Error('the promise was used although aesCbcDecryptSync is there')),
};

describe('AES-CBC through the promises when a provider has no synchronous one', () => {
  it('a session between a promise-only and a synchronous side carries messages both ways', async () => {
    const slow = promiseOnly();
    const alice = await createParty('alice', slow.crypto);
    const bob = await createParty('bob', syncOnly);
    await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
    // pkmsg, msg on the same chain, a reply (DH ratchet step on both sides), and again.
    expect(text(await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('one'))))).toBe('one');
    expect(text(await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('two'))))).toBe('two');
    expect(text(await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8('three'))))).toBe('three');
    expect(text(await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('four'))))).toBe('four');
    expect(slow.calls).toEqual({ encrypt: 3, decrypt: 1 });
  });

  it('a sender key written on one path is read on the other, each way', async () => {
    const slow = promiseOnly();
    for (const [senderCrypto, receiverCrypto] of [
      [slow.crypto, syncOnly],
      [syncOnly, slow.crypto],
    ] as const) {
      const name = senderKeyName('15550000001', 3);
      const senderStore = new RecordingSenderKeyStore();
      const receiverStore = new RecordingSenderKeyStore();
      const skdm = await new GroupSessionBuilder(senderStore, { crypto: senderCrypto }).create(name);
      await new GroupSessionBuilder(receiverStore, { crypto: receiverCrypto }).process(name, skdm.serialized);
      const sender = new GroupCipher(senderStore, name, { crypto: senderCrypto });
      const receiver = new GroupCipher(receiverStore, name, { crypto: receiverCrypto });
      for (const body of ['first', 'second']) {
        expect(text(await receiver.decrypt(await sender.encrypt(utf8(body))))).toBe(body);
      }
    }
    expect(slow.calls).toEqual({ encrypt: 2, decrypt: 2 });
  });
});
