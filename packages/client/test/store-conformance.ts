/**
 * The `Store` conformance suite: every rule `src/store/store.ts` states, run against any
 * implementation. A backend's test file calls `describeStoreConformance` with a factory; where the
 * backend persists, the factory also returns `reopen`, and the suite checks durability too. This
 * file holds the credentials, Signal state, clear, claim, close and durability; the sub-stores and
 * transactions are in `store-conformance-sub-stores.ts` and `store-conformance-transactions.ts`.
 *
 * @example
 * describeStoreConformance('MemoryStore', async () => ({ store: new MemoryStore() }), { persistent: false });
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { NoCredentialsError, StoreClosedError, StoreInUseError } from '../src/errors';
import type { DeviceCredentials, Store } from '../src/store/store';
import {
  expectEmpty,
  expectEverything,
  expectPlainBytes,
  expectRecordBytes,
  type Harness,
  LID,
  PN,
  RUNS,
  type StoreUnderTest,
  VIEW_CALLS,
  writeEverything,
} from './store-conformance-data';
import { describeSubStoreConformance } from './store-conformance-sub-stores';
import { describeTransactionConformance } from './store-conformance-transactions';
import {
  addressArb,
  bytes,
  credentialsArb,
  deviceList,
  fullAccount,
  keyPair,
  messageKey,
  pairedCredentials,
  preKeyIdArb,
  preKeys,
  recordArb,
  sentMessage,
  unpairedCredentials,
} from './store-fixtures';

export type { StoreUnderTest } from './store-conformance-data';

/** Every byte array of `credentials`, for plainness checks. */
function credentialBytes(credentials: DeviceCredentials): Uint8Array[] {
  const { noiseKey, identityKey, signedPreKey, account, routingInfo } = credentials;
  return [
    noiseKey.publicKey,
    noiseKey.privateKey,
    identityKey.publicKey,
    identityKey.privateKey,
    signedPreKey.keyPair.publicKey,
    signedPreKey.keyPair.privateKey,
    signedPreKey.signature,
    credentials.advSecretKey,
    ...(account ? [account.signedDeviceIdentity, account.accountSignatureKey] : []),
    ...(routingInfo ? [routingInfo] : []),
  ];
}

/** Runs the conformance suite against the stores `makeStore` creates. */
export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  {
    persistent,
    commitsCanFail = false,
  }: {
    /** The factory gives `reopen`: durability is checked too. */
    persistent: boolean;
    /** The factory gives `poisonSession`: a commit failing midway is checked too. */
    commitsCanFail?: boolean;
  },
): void {
  describe(`${name} conforms to Store`, () => {
    let open: Store[] = [];

    afterEach(async () => {
      for (const store of open) await store.close();
      open = [];
    });

    async function freshUnderTest(): Promise<StoreUnderTest> {
      const under = await makeStore();
      open.push(under.store);
      return under;
    }

    async function fresh(): Promise<Store> {
      return (await freshUnderTest()).store;
    }

    const harness: Harness = { fresh, freshUnderTest };

    describe('credentials', () => {
      it('has no credentials before any are saved', async () => {
        const store = await fresh();
        expect(await store.loadCredentials()).toBeUndefined();
      });

      it('round-trips credentials with every field, account and routing info included', async () => {
        const store = await fresh();
        await store.saveCredentials(pairedCredentials());
        const loaded = await store.loadCredentials();
        expect(loaded).toEqual(pairedCredentials());
        expect(loaded!.account).toEqual(fullAccount());
        const expected = credentialBytes(pairedCredentials());
        for (const [i, value] of credentialBytes(loaded!).entries()) expectPlainBytes(value, expected[i]!);
      });

      it('round-trips credentials without account and routing info as absent', async () => {
        const store = await fresh();
        await store.saveCredentials(unpairedCredentials());
        const loaded = await store.loadCredentials();
        expect(loaded).toEqual(unpairedCredentials());
        expect(loaded!.account).toBeUndefined();
        expect(loaded!.routingInfo).toBeUndefined();
      });

      it('keeps empty strings and empty routing info as present values, not absent ones', async () => {
        const store = await fresh();
        const credentials = {
          ...unpairedCredentials(),
          account: {
            ...fullAccount(),
            jid: '',
            lid: '',
            pushName: '',
            signedDeviceIdentity: new Uint8Array(0),
          },
          routingInfo: new Uint8Array(0),
        };
        await store.saveCredentials(credentials);
        const loaded = await store.loadCredentials();
        expect(loaded).toEqual(credentials);
        expect(loaded!.routingInfo).toEqual(new Uint8Array(0));
        expect(loaded!.account!.lid).toBe('');
      });

      it('replaces the credentials on save, dropping an account the new value lacks', async () => {
        const store = await fresh();
        await store.saveCredentials(pairedCredentials());
        await store.saveCredentials({ ...unpairedCredentials(), nextPreKeyId: 812 });
        const loaded = await store.loadCredentials();
        expect(loaded).toEqual({ ...unpairedCredentials(), nextPreKeyId: 812 });
        expect(loaded!.account).toBeUndefined();
        expect(loaded!.routingInfo).toBeUndefined();
      });

      it('round-trips any credentials (property)', async () => {
        const store = await fresh();
        await fc.assert(
          fc.asyncProperty(credentialsArb, async (credentials) => {
            await store.saveCredentials(credentials);
            expect(await store.loadCredentials()).toEqual(credentials);
          }),
          RUNS,
        );
      });

      it('keeps saved credentials independent of the object passed in and the objects handed out', async () => {
        const store = await fresh();
        const input = pairedCredentials();
        await store.saveCredentials(input);
        input.identityKey.privateKey[0] ^= 0xff;
        input.account!.signedDeviceIdentity[0] ^= 0xff;
        input.routingInfo![0] ^= 0xff;
        input.account!.jid = 'changed';
        const output = (await store.loadCredentials())!;
        output.noiseKey.publicKey.fill(0);
        output.signedPreKey.signature.fill(0);
        output.account!.accountSignatureKey.fill(0);
        output.registrationId = 1;
        expect(await store.loadCredentials()).toEqual(pairedCredentials());
      });
    });

    describe('answers from the credentials', () => {
      it('throws NoCredentialsError from the credential-derived getters before credentials exist', async () => {
        const store = await fresh();
        await expect(store.getIdentityKeyPair()).rejects.toBeInstanceOf(NoCredentialsError);
        await expect(store.getLocalRegistrationId()).rejects.toBeInstanceOf(NoCredentialsError);
        await expect(store.loadSignedPreKey(1)).rejects.toBeInstanceOf(NoCredentialsError);
      });

      it('answers identity, registration id and signed prekey from the saved credentials', async () => {
        const store = await fresh();
        const credentials = unpairedCredentials();
        await store.saveCredentials(credentials);
        const identity = await store.getIdentityKeyPair();
        expectPlainBytes(identity.publicKey, credentials.identityKey.publicKey);
        expectPlainBytes(identity.privateKey, credentials.identityKey.privateKey);
        expect(await store.getLocalRegistrationId()).toBe(credentials.registrationId);
        expect(await store.loadSignedPreKey(credentials.signedPreKey.keyId)).toEqual(
          credentials.signedPreKey.keyPair,
        );
        expect(await store.loadSignedPreKey(credentials.signedPreKey.keyId + 1)).toBeUndefined();
      });

      it('follows the credentials when they are replaced', async () => {
        const store = await fresh();
        await store.saveCredentials(unpairedCredentials());
        const rotated = {
          ...unpairedCredentials(),
          signedPreKey: { keyId: 2, keyPair: keyPair(50), signature: bytes(64) },
        };
        await store.saveCredentials(rotated);
        expect(await store.loadSignedPreKey(1)).toBeUndefined();
        expect(await store.loadSignedPreKey(2)).toEqual(keyPair(50));
      });

      it('hands out identity key copies that callers may mutate', async () => {
        const store = await fresh();
        await store.saveCredentials(unpairedCredentials());
        (await store.getIdentityKeyPair()).privateKey.fill(0);
        (await store.loadSignedPreKey(1))!.privateKey.fill(0);
        expect(await store.getIdentityKeyPair()).toEqual(unpairedCredentials().identityKey);
        expect(await store.loadSignedPreKey(1)).toEqual(unpairedCredentials().signedPreKey.keyPair);
      });
    });

    describe('identities (trust on first use)', () => {
      const address = '15551234567.0';
      const first = bytes(33, 1);
      const second = bytes(33, 2);

      it('trusts any key for an address it has never seen, in both directions', async () => {
        const store = await fresh();
        expect(await store.isTrustedIdentity(address, first, 'sending')).toBe(true);
        expect(await store.isTrustedIdentity(address, second, 'receiving')).toBe(true);
        expect(await store.getIdentity(address)).toBeUndefined();
      });

      it('reports no replacement for a first or repeated save, and a replacement for a new key', async () => {
        const store = await fresh();
        expect(await store.saveIdentity(address, first)).toBe(false);
        expect(await store.saveIdentity(address, first)).toBe(false);
        expect(await store.isTrustedIdentity(address, first, 'sending')).toBe(true);
        expect(await store.isTrustedIdentity(address, second, 'sending')).toBe(false);
        expect(await store.isTrustedIdentity(address, second, 'receiving')).toBe(false);
        expect(await store.saveIdentity(address, second)).toBe(true);
        expect(await store.isTrustedIdentity(address, second, 'sending')).toBe(true);
        expect(await store.isTrustedIdentity(address, first, 'sending')).toBe(false);
        expectPlainBytes(await store.getIdentity(address), second);
      });

      it('keeps identities of different addresses apart', async () => {
        const store = await fresh();
        await store.saveIdentity(address, first);
        expect(await store.isTrustedIdentity('15551234567.1', second, 'sending')).toBe(true);
        expect(await store.getIdentity('15551234567.1')).toBeUndefined();
      });

      it('stores a copy of the key and hands out copies', async () => {
        const store = await fresh();
        const input = bytes(33, 1);
        await store.saveIdentity(address, input);
        input.fill(0);
        (await store.getIdentity(address))!.fill(0);
        expect(await store.getIdentity(address)).toEqual(first);
        expect(await store.isTrustedIdentity(address, first, 'receiving')).toBe(true);
      });

      it('answers saveIdentity and isTrustedIdentity like a map of last-saved keys (property)', async () => {
        const store = await fresh();
        const key = fc.constantFrom(first, second, bytes(32, 1), new Uint8Array(0));
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.constantFrom('a.0', 'a.1', 'b.0'), key), { maxLength: 8 }),
            async (saves) => {
              await store.clear();
              const model = new Map<string, Uint8Array>();
              for (const [addr, identity] of saves) {
                const known = model.get(addr);
                const replaced = known !== undefined && !Buffer.from(known).equals(identity);
                expect(await store.isTrustedIdentity(addr, identity, 'sending')).toBe(!replaced);
                expect(await store.saveIdentity(addr, identity)).toBe(replaced);
                model.set(addr, identity);
              }
              for (const [addr, identity] of model) expect(await store.getIdentity(addr)).toEqual(identity);
            },
          ),
          RUNS,
        );
      });
    });

    describe('sessions and sender keys (opaque records)', () => {
      const kinds = [
        {
          kind: 'session',
          load: (store: Store, key: string) => store.loadSession(key),
          save: (store: Store, key: string, record: Uint8Array) => store.storeSession(key, record),
        },
        {
          kind: 'sender key',
          load: (store: Store, key: string) => store.loadSenderKey(key),
          save: (store: Store, key: string, record: Uint8Array) => store.storeSenderKey(key, record),
        },
      ];

      for (const { kind, load, save } of kinds) {
        it(`has no ${kind} record for an unknown key`, async () => {
          const store = await fresh();
          expect(await load(store, 'nobody.0')).toBeUndefined();
        });

        it(`replaces a ${kind} record and keeps keys apart`, async () => {
          const store = await fresh();
          await save(store, 'a.0', bytes(10, 1));
          await save(store, 'a.1', bytes(10, 2));
          await save(store, 'a.0', bytes(3, 3));
          expectRecordBytes(await load(store, 'a.0'), bytes(3, 3));
          expectRecordBytes(await load(store, 'a.1'), bytes(10, 2));
        });

        it(`stores a copy of a ${kind} record and hands out copies`, async () => {
          const store = await fresh();
          const input = bytes(40, 1);
          await save(store, 'a.0', input);
          input.fill(0);
          (await load(store, 'a.0'))!.fill(0);
          expect(await load(store, 'a.0')).toEqual(bytes(40, 1));
        });

        it(`stores only the bytes of a ${kind} record that is a view into a larger buffer`, async () => {
          // What @wakit/signal hands over: records cut from a shared slab (ByteSlab).
          const store = await fresh();
          const backing = new Uint8Array(64).fill(0xaa);
          backing.set(bytes(5, 3), 24);
          await save(store, 'a.0', backing.subarray(24, 29));
          expectRecordBytes(await load(store, 'a.0'), bytes(5, 3));
        });

        it(`loads the last ${kind} record stored under each key (property)`, async () => {
          const store = await fresh();
          await fc.assert(
            fc.asyncProperty(fc.array(fc.tuple(addressArb, recordArb), { maxLength: 6 }), async (writes) => {
              await store.clear();
              const model = new Map<string, Uint8Array>();
              for (const [key, record] of writes) {
                await save(store, key, record);
                model.set(key, record);
              }
              for (const [key, record] of model) expectRecordBytes(await load(store, key), record);
            }),
            RUNS,
          );
        });
      }
    });

    describe('one-time prekeys', () => {
      it('stores a batch, counts it and loads each key', async () => {
        const store = await fresh();
        expect(await store.countPreKeys()).toBe(0);
        await store.storePreKeys(preKeys(1, 5));
        expect(await store.countPreKeys()).toBe(5);
        for (const { keyId, keyPair: pair } of preKeys(1, 5)) {
          const loaded = await store.loadPreKey(keyId);
          expectPlainBytes(loaded?.publicKey, pair.publicKey);
          expectPlainBytes(loaded?.privateKey, pair.privateKey);
        }
        expect(await store.loadPreKey(6)).toBeUndefined();
      });

      it('accepts an empty batch and ids at both ends of the 24-bit range', async () => {
        const store = await fresh();
        await store.storePreKeys([]);
        await store.storePreKeys([...preKeys(1, 1), ...preKeys(2 ** 24 - 1, 1)]);
        expect(await store.countPreKeys()).toBe(2);
        expect(await store.loadPreKey(2 ** 24 - 1)).toEqual(keyPair(2 ** 24 - 1));
      });

      it('stores none of a prekey batch when one entry cannot be stored', async () => {
        const store = await fresh();
        await store.storePreKeys(preKeys(1, 2));
        const batch = [
          { keyId: 1, keyPair: keyPair(77) },
          ...preKeys(10, 3),
          { keyId: 13, keyPair: null as never },
        ];
        await expect(store.storePreKeys(batch)).rejects.toThrow(TypeError);
        expect(await store.countPreKeys()).toBe(2);
        expect(await store.loadPreKey(1)).toEqual(keyPair(1));
        expect(await store.loadPreKey(10)).toBeUndefined();
      });

      it('removes a prekey, and treats removing an unknown id as done', async () => {
        const store = await fresh();
        await store.storePreKeys(preKeys(10, 3));
        await store.removePreKey(11);
        await store.removePreKey(999);
        expect(await store.loadPreKey(11)).toBeUndefined();
        expect(await store.loadPreKey(10)).toEqual(keyPair(10));
        expect(await store.countPreKeys()).toBe(2);
      });

      it('stores copies of prekeys and hands out copies', async () => {
        const store = await fresh();
        const batch = preKeys(1, 2);
        await store.storePreKeys(batch);
        batch[0]!.keyPair.privateKey.fill(0);
        (await store.loadPreKey(2))!.publicKey.fill(0);
        expect(await store.loadPreKey(1)).toEqual(keyPair(1));
        expect(await store.loadPreKey(2)).toEqual(keyPair(2));
      });

      it('matches a map model under any sequence of batches and removals (property)', async () => {
        const store = await fresh();
        const op = fc.oneof(
          fc.record({ store: fc.array(preKeyIdArb, { maxLength: 5 }), seed: fc.nat(200) }),
          fc.record({ remove: preKeyIdArb }),
        );
        await fc.assert(
          fc.asyncProperty(fc.array(op, { maxLength: 6 }), async (ops) => {
            await store.clear();
            const model = new Map<number, number>();
            for (const step of ops) {
              if ('remove' in step) {
                await store.removePreKey(step.remove);
                model.delete(step.remove);
              } else {
                await store.storePreKeys(step.store.map((keyId) => ({ keyId, keyPair: keyPair(step.seed) })));
                for (const keyId of step.store) model.set(keyId, step.seed);
              }
            }
            expect(await store.countPreKeys()).toBe(model.size);
            for (const [keyId, seed] of model) expect(await store.loadPreKey(keyId)).toEqual(keyPair(seed));
          }),
          RUNS,
        );
      });
    });

    describe('clear', () => {
      it('deletes credentials, all Signal state and every sub-store, and the store stays usable', async () => {
        const store = await fresh();
        await writeEverything(store);
        await expectEverything(store);
        await store.clear();
        await expectEmpty(store);
        await store.storeSession('a.0', bytes(4));
        expect(await store.loadSession('a.0')).toEqual(bytes(4));
      });
    });

    describe('one client at a time', () => {
      it('rejects a second claim while the first lease is held', async () => {
        const store = await fresh();
        const lease = await store.claim();
        await expect(store.claim()).rejects.toBeInstanceOf(StoreInUseError);
        await lease.release();
      });

      it('grants a claim again after release, and a repeated release does not free a later lease', async () => {
        const store = await fresh();
        const first = await store.claim();
        await first.release();
        const second = await store.claim();
        await first.release();
        await expect(store.claim()).rejects.toBeInstanceOf(StoreInUseError);
        await second.release();
        await (await store.claim()).release();
      });
    });

    describeSubStoreConformance(harness);
    describeTransactionConformance(harness, commitsCanFail);

    describe('close', () => {
      const calls: [string, (store: Store) => Promise<unknown>][] = [
        ['claim', (s) => s.claim()],
        ...VIEW_CALLS,
        ['clear', (s) => s.clear()],
        ['transaction', (s) => s.transaction(async () => {})],
      ];

      it.each(calls)('rejects %s with StoreClosedError after close()', async (_, call) => {
        const store = await fresh();
        await store.saveCredentials(unpairedCredentials());
        await store.close();
        await expect(call(store)).rejects.toBeInstanceOf(StoreClosedError);
      });
    });

    // Only for backends that persist: a store that cannot reopen has no durability to test, and
    // the tests are then not defined at all rather than skipped.
    if (!persistent) return;
    describe('durability', () => {
      async function reopenable(): Promise<{ store: Store; reopen: () => Promise<Store> }> {
        const { store, reopen } = await makeStore();
        open.push(store);
        if (!reopen) throw new Error(`${name} is declared persistent but gives no reopen()`);
        return {
          store,
          reopen: async () => {
            await store.close();
            const reopened = await reopen();
            open.push(reopened);
            return reopened;
          },
        };
      }

      it('keeps everything written across a reopen', async () => {
        const under = await reopenable();
        await writeEverything(under.store);
        const reopened = await under.reopen();
        await expectEverything(reopened);
      });

      it('keeps replacements, removals and clears across a reopen', async () => {
        const under = await reopenable();
        await writeEverything(under.store);
        await under.store.clear();
        await under.store.saveCredentials(unpairedCredentials());
        await under.store.storePreKeys(preKeys(100, 2));
        await under.store.removePreKey(100);
        const reopened = await under.reopen();
        expect(await reopened.loadCredentials()).toEqual(unpairedCredentials());
        expect(await reopened.countPreKeys()).toBe(1);
        expect(await reopened.loadPreKey(101)).toEqual(keyPair(101));
        expect(await reopened.loadSession('a.0')).toBeUndefined();
      });

      it('keeps sub-store replacements, deletions, prunes and moves across a reopen', async () => {
        const under = await reopenable();
        const store = under.store;
        await writeEverything(store);
        await store.lids.put('999@lid', PN);
        await store.devices.delete(deviceList().user);
        await store.kv.delete('module', 'state');
        await store.kv.put('module', 'other', bytes(3, 1));
        expect(await store.received.prune(1_001)).toBe(1);
        expect(await store.sent.prune(sentMessage().at + 1)).toBe(1);
        await store.saveIdentity('b.4', bytes(33, 9));
        await store.signalUsers.moveUser('a', 'b');
        const reopened = await under.reopen();
        expect(await reopened.lids.getLid(PN)).toBe('999@lid');
        expect(await reopened.lids.getPn(LID)).toBeUndefined();
        expect(await reopened.devices.get(deviceList().user)).toBeUndefined();
        expect(await reopened.kv.keys('module')).toEqual(['other']);
        expect(await reopened.received.has(messageKey())).toBe(false);
        expect(await reopened.sent.get(sentMessage().chat, sentMessage().id)).toBeUndefined();
        expect(await reopened.signalUsers.sessionDevices('a')).toEqual([]);
        expect(await reopened.loadSession('b.0')).toEqual(bytes(50, 2));
        expect(await reopened.getIdentity('b.0')).toEqual(bytes(33, 1));
        expect(await reopened.getIdentity('b.4')).toEqual(bytes(33, 9));
      });

      it('keeps what a committed transaction wrote across a reopen, and nothing of a rejected one', async () => {
        const under = await reopenable();
        await under.store.transaction(writeEverything);
        await expect(
          under.store.transaction(async (tx) => {
            await tx.storeSession('rejected.0', bytes(5));
            throw new RangeError('work failed');
          }),
        ).rejects.toThrow('work failed');
        const reopened = await under.reopen();
        await expectEverything(reopened);
        expect(await reopened.loadSession('rejected.0')).toBeUndefined();
      });

      it('can be claimed after a reopen even if closed while claimed', async () => {
        const under = await reopenable();
        await under.store.claim();
        const reopened = await under.reopen();
        await (await reopened.claim()).release();
      });
    });
  });
}
