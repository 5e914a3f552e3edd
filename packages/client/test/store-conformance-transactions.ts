/**
 * The Store conformance suite, part three: `Store.transaction`. A commit applies everything or
 * nothing; a rejection discards; the view reads its own writes for every method while the store
 * sees none of them before the commit; a settled view refuses every use; `prune` is refused inside;
 * concurrent transactions both commit, the last one winning per key; and a property: any sequence
 * of operations answers and ends the same inside a transaction as applied directly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoreClosedError, StoreTransactionError } from '../src/errors';
import type { StoreView } from '../src/store/store';
import {
  expectEmpty,
  expectEverything,
  type Harness,
  LID,
  PN,
  RUNS,
  VIEW_CALLS,
  writeEverything,
} from './store-conformance-data';
import { type Op, opArb, outcome, snapshot } from './store-conformance-ops';
import {
  bytes,
  deviceList,
  keyPair,
  messageKey,
  preKeys,
  sentMessage,
  unpairedCredentials,
} from './store-fixtures';

/** A promise and the function that resolves it, to hold a transaction open at a chosen point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Defines the transaction tests on the stores `harness` makes. */
export function describeTransactionConformance(
  { fresh, freshUnderTest }: Harness,
  commitsCanFail: boolean,
): void {
  describe('transactions', () => {
    it('commits every write when work resolves, and resolves with what work returned', async () => {
      const store = await fresh();
      const result = await store.transaction(async (tx) => {
        await writeEverything(tx);
        return 'done';
      });
      expect(result).toBe('done');
      await expectEverything(store);
    });

    it('discards every write when work rejects, and rejects with its error', async () => {
      const store = await fresh();
      const failure = new RangeError('work failed');
      await expect(
        store.transaction(async (tx) => {
          await writeEverything(tx);
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expectEmpty(store);
    });

    it('reads its own writes through every method while the store sees none of them until the commit', async () => {
      const store = await fresh();
      await writeEverything(store);
      const rotated = { ...unpairedCredentials(), registrationId: 999 };
      await store.transaction(async (tx) => {
        await tx.saveCredentials(rotated);
        expect(await tx.loadCredentials()).toEqual(rotated);
        expect(await tx.getLocalRegistrationId()).toBe(999);
        expect(await tx.getIdentityKeyPair()).toEqual(rotated.identityKey);
        expect(await tx.loadSignedPreKey(1)).toEqual(rotated.signedPreKey.keyPair);

        // "Changed" is judged against what the view sees: the store's key, then the view's own.
        expect(await tx.saveIdentity('a.0', bytes(33, 5))).toBe(true);
        expect(await tx.saveIdentity('a.0', bytes(33, 5))).toBe(false);
        expect(await tx.isTrustedIdentity('a.0', bytes(33, 1), 'sending')).toBe(false);
        expect(await tx.getIdentity('a.0')).toEqual(bytes(33, 5));

        await tx.storeSession('a.5', bytes(6, 5));
        expect(await tx.loadSession('a.5')).toEqual(bytes(6, 5));
        expect(await tx.signalUsers.sessionDevices('a')).toEqual([0, 5]);

        // Stored 1-3; remove 1 and an unknown id, write 2 again and add 11-12: 4.
        await tx.removePreKey(1);
        await tx.removePreKey(999);
        await tx.storePreKeys([...preKeys(2, 1), ...preKeys(11, 2)]);
        expect(await tx.countPreKeys()).toBe(4);
        expect(await tx.loadPreKey(1)).toBeUndefined();
        expect(await tx.loadPreKey(12)).toEqual(keyPair(12));

        await tx.storeSenderKey('g@g.us::a::0', bytes(3, 5));
        expect(await tx.loadSenderKey('g@g.us::a::0')).toEqual(bytes(3, 5));

        await tx.devices.delete(deviceList().user);
        expect(await tx.devices.get(deviceList().user)).toBeUndefined();
        await tx.devices.put(deviceList('new@lid'));
        expect(await tx.devices.get('new@lid')).toEqual(deviceList('new@lid'));

        await tx.lids.put('999@lid', PN);
        expect(await tx.lids.getLid(PN)).toBe('999@lid');
        expect(await tx.lids.getPn(LID)).toBeUndefined();
        expect(await tx.lids.getPn('999@lid')).toBe(PN);

        expect(await tx.received.add(messageKey(), 5)).toBe(false);
        expect(await tx.received.add(messageKey('new'), 5)).toBe(true);
        expect(await tx.received.add(messageKey('new'), 6)).toBe(false);
        expect(await tx.received.has(messageKey('new'))).toBe(true);

        await tx.sent.put(sentMessage('new'));
        expect(await tx.sent.get(sentMessage().chat, 'new')).toEqual(sentMessage('new'));

        await tx.kv.delete('module', 'state');
        await tx.kv.put('module', 'x', bytes(2, 5));
        expect(await tx.kv.get('module', 'state')).toBeUndefined();
        expect(await tx.kv.get('module', 'x')).toEqual(bytes(2, 5));
        expect(await tx.kv.keys('module')).toEqual(['x']);

        // Nothing of it is visible outside before the commit.
        await expectEverything(store);
        expect(await store.loadSession('a.5')).toBeUndefined();
        expect(await store.devices.get('new@lid')).toBeUndefined();
        expect(await store.lids.getPn('999@lid')).toBeUndefined();
        expect(await store.received.has(messageKey('new'))).toBe(false);
        expect(await store.sent.get(sentMessage().chat, 'new')).toBeUndefined();
        expect(await store.kv.get('module', 'x')).toBeUndefined();

        expect(await tx.signalUsers.deleteSessions('a')).toBe(2);
        expect(await tx.signalUsers.sessionDevices('a')).toEqual([]);
        expect(await tx.signalUsers.deleteIdentities('a')).toBe(1);
        expect(await tx.getIdentity('a.0')).toBeUndefined();
        expect(await store.signalUsers.sessionDevices('a')).toEqual([0]);
      });

      expect(await store.loadCredentials()).toEqual(rotated);
      expect(await store.signalUsers.sessionDevices('a')).toEqual([]);
      expect(await store.getIdentity('a.0')).toBeUndefined();
      expect(await store.countPreKeys()).toBe(4);
      expect(await store.loadSenderKey('g@g.us::a::0')).toEqual(bytes(3, 5));
      expect(await store.devices.get(deviceList().user)).toBeUndefined();
      expect(await store.lids.getLid(PN)).toBe('999@lid');
      expect(await store.lids.getPn(LID)).toBeUndefined();
      expect(await store.received.has(messageKey('new'))).toBe(true);
      // The key added inside kept its time (5): a prune up to 6 forgets it, and the older one (1000) stays.
      expect(await store.received.prune(6)).toBe(1);
      expect(await store.sent.get(sentMessage().chat, 'new')).toEqual(sentMessage('new'));
      expect(await store.kv.keys('module')).toEqual(['x']);
    });

    it("moves a user over the store's entries and the transaction's own", async () => {
      const store = await fresh();
      await store.storeSession('pn.0', bytes(4, 1));
      await store.saveIdentity('pn.0', bytes(33, 1));
      await store.storeSession('lid.2', bytes(4, 9));
      await store.transaction(async (tx) => {
        await tx.storeSession('pn.2', bytes(4, 2));
        await tx.saveIdentity('pn.2', bytes(33, 2));
        await tx.signalUsers.moveUser('pn', 'lid');
        expect(await tx.signalUsers.sessionDevices('pn')).toEqual([]);
        expect(await tx.signalUsers.sessionDevices('lid')).toEqual([0, 2]);
        expect(await tx.loadSession('lid.0')).toEqual(bytes(4, 1));
        expect(await tx.loadSession('lid.2')).toEqual(bytes(4, 9));
        expect(await tx.getIdentity('lid.2')).toEqual(bytes(33, 2));
        expect(await store.loadSession('pn.0')).toEqual(bytes(4, 1));
      });
      expect(await store.signalUsers.sessionDevices('pn')).toEqual([]);
      expect(await store.getIdentity('pn.0')).toBeUndefined();
      expect(await store.loadSession('lid.0')).toEqual(bytes(4, 1));
      expect(await store.loadSession('lid.2')).toEqual(bytes(4, 9));
      expect(await store.getIdentity('lid.0')).toEqual(bytes(33, 1));
      expect(await store.getIdentity('lid.2')).toEqual(bytes(33, 2));
    });

    it("moves a user's sender keys over the store's and the transaction's own, and a later write wins", async () => {
      const store = await fresh();
      await store.storeSenderKey('g@g.us::pn::0', bytes(5, 1));
      await store.storeSenderKey('h@g.us::lid::0', bytes(5, 9));
      await store.storeSenderKey('h@g.us::pn::0', bytes(5, 3));
      await store.transaction(async (tx) => {
        await tx.storeSenderKey('k@g.us::pn::2', bytes(5, 2));
        await tx.signalUsers.moveUser('pn', 'lid');
        expect(await tx.loadSenderKey('g@g.us::pn::0')).toBeUndefined();
        expect(await tx.loadSenderKey('g@g.us::lid::0')).toEqual(bytes(5, 1));
        expect(await tx.loadSenderKey('k@g.us::lid::2')).toEqual(bytes(5, 2));
        // The target's own key stays.
        expect(await tx.loadSenderKey('h@g.us::lid::0')).toEqual(bytes(5, 9));
        // Stored again after the move: that write is what commits.
        await tx.storeSenderKey('g@g.us::pn::0', bytes(5, 4));
        expect(await store.loadSenderKey('g@g.us::pn::0')).toEqual(bytes(5, 1));
      });
      expect(await store.loadSenderKey('g@g.us::pn::0')).toEqual(bytes(5, 4));
      expect(await store.loadSenderKey('h@g.us::pn::0')).toBeUndefined();
      expect(await store.loadSenderKey('k@g.us::pn::2')).toBeUndefined();
      expect(await store.loadSenderKey('g@g.us::lid::0')).toEqual(bytes(5, 1));
      expect(await store.loadSenderKey('k@g.us::lid::2')).toEqual(bytes(5, 2));
      expect(await store.loadSenderKey('h@g.us::lid::0')).toEqual(bytes(5, 9));
    });

    it('keeps LID <-> PN one to one inside a transaction, over the store, and after the commit', async () => {
      const store = await fresh();
      await store.lids.put('a@lid', 'p1');
      await store.lids.put('b@lid', 'p3');
      await store.transaction(async (tx) => {
        // The store's LID gets a new PN: its old PN maps to nothing any more.
        await tx.lids.put('a@lid', 'p2');
        expect(await tx.lids.getLid('p1')).toBeUndefined();
        expect(await tx.lids.getLid('p2')).toBe('a@lid');
        // Another LID takes that PN, then moves on: 'a' must not come back for either PN.
        await tx.lids.put('c@lid', 'p2');
        await tx.lids.put('c@lid', 'p4');
        expect(await tx.lids.getPn('a@lid')).toBeUndefined();
        expect(await tx.lids.getLid('p2')).toBeUndefined();
        // The store's other mapping loses its PN to a new LID.
        await tx.lids.put('d@lid', 'p3');
        expect(await tx.lids.getPn('b@lid')).toBeUndefined();
        expect(await store.lids.getLid('p1')).toBe('a@lid');
      });
      expect(await store.lids.getPn('a@lid')).toBeUndefined();
      expect(await store.lids.getPn('b@lid')).toBeUndefined();
      expect(await store.lids.getLid('p1')).toBeUndefined();
      expect(await store.lids.getLid('p2')).toBeUndefined();
      expect(await store.lids.getLid('p3')).toBe('d@lid');
      expect(await store.lids.getLid('p4')).toBe('c@lid');
    });

    it('hands out copies inside a transaction and keeps the writes apart from the caller', async () => {
      const store = await fresh();
      await store.transaction(async (tx) => {
        const record = bytes(8, 1);
        await tx.storeSession('a.0', record);
        record.fill(0);
        (await tx.loadSession('a.0'))!.fill(0);
        expect(await tx.loadSession('a.0')).toEqual(bytes(8, 1));
        const list = deviceList();
        await tx.devices.put(list);
        list.devices.length = 0;
        (await tx.devices.get(list.user))!.devices.length = 0;
      });
      expect(await store.loadSession('a.0')).toEqual(bytes(8, 1));
      expect(await store.devices.get(deviceList().user)).toEqual(deviceList());
    });

    it('refuses a bad value at the call, so work may catch it and commit the rest', async () => {
      const store = await fresh();
      await store.transaction(async (tx) => {
        await tx.storeSession('a.0', bytes(2));
        await expect(tx.storeSession('b.0', 'text' as never)).rejects.toThrow(TypeError);
        await expect(tx.kv.put('n', 'k', null as never)).rejects.toThrow(TypeError);
        await expect(tx.devices.put({ ...deviceList(), fetchedAt: Number.NaN })).rejects.toThrow(TypeError);
      });
      expect(await store.loadSession('a.0')).toEqual(bytes(2));
      expect(await store.loadSession('b.0')).toBeUndefined();
    });

    it.each(VIEW_CALLS)('refuses %s through a view whose transaction settled', async (_, call) => {
      const store = await fresh();
      let committed: StoreView | undefined;
      await store.transaction(async (tx) => {
        committed = tx;
      });
      let rejected: StoreView | undefined;
      await expect(
        store.transaction(async (tx) => {
          rejected = tx;
          throw new RangeError('no');
        }),
      ).rejects.toThrow('no');
      await expect(call(committed!)).rejects.toBeInstanceOf(StoreTransactionError);
      await expect(call(rejected!)).rejects.toBeInstanceOf(StoreTransactionError);
      await expectEmpty(store);
    });

    it('never applies a write that was still reading when its transaction settled', async () => {
      const store = await fresh();
      for (const id of [0, 1, 2]) await store.storeSession(`pn.${id}`, bytes(3, id));
      let pending: Promise<void> | undefined;
      await store.transaction(async (tx) => {
        // Not awaited: the move reads the store (several awaits) while the transaction commits.
        pending = tx.signalUsers.moveUser('pn', 'lid');
      });
      const settled = await pending!.then(
        () => 'moved',
        (error: unknown) => error,
      );
      if (settled === 'moved') {
        // Finished before the commit: then it is part of it.
        expect(await store.signalUsers.sessionDevices('lid')).toEqual([0, 1, 2]);
      } else {
        expect(settled).toBeInstanceOf(StoreTransactionError);
        expect(await store.signalUsers.sessionDevices('pn')).toEqual([0, 1, 2]);
        expect(await store.signalUsers.sessionDevices('lid')).toEqual([]);
      }
    });

    it('refuses prune inside a transaction, which still commits its other writes', async () => {
      const store = await fresh();
      await store.received.add(messageKey(), 1);
      await store.transaction(async (tx) => {
        await tx.storeSession('a.0', bytes(2));
        await expect(tx.received.prune(10)).rejects.toBeInstanceOf(StoreTransactionError);
        await expect(tx.sent.prune(10)).rejects.toMatchObject({ code: 'ERR_CLIENT_STORE_TRANSACTION' });
      });
      expect(await store.received.has(messageKey())).toBe(true);
      expect(await store.loadSession('a.0')).toEqual(bytes(2));
    });

    it('commits two concurrent transactions; for a key both wrote, the last commit wins', async () => {
      const store = await fresh();
      const held = gate();
      const reading = gate();
      const first = store.transaction(async (tx) => {
        await tx.storeSession('shared.0', bytes(4, 1));
        await tx.kv.put('n', 'first', bytes(1));
        expect(await tx.received.add(messageKey(), 50)).toBe(true);
        await tx.lids.put('x@lid', 'px');
        reading.open();
        await held.opened;
      });
      await reading.opened;
      await store.transaction(async (tx) => {
        // The first transaction's writes are not visible here: it has not committed.
        expect(await tx.loadSession('shared.0')).toBeUndefined();
        await tx.storeSession('shared.0', bytes(4, 2));
        await tx.kv.put('n', 'second', bytes(1));
      });
      expect(await store.loadSession('shared.0')).toEqual(bytes(4, 2));
      expect(await store.received.add(messageKey(), 10)).toBe(true);
      await store.lids.put('y@lid', 'px');
      held.open();
      await first;
      expect(await store.loadSession('shared.0')).toEqual(bytes(4, 1));
      expect(await store.kv.keys('n')).toEqual(['first', 'second']);
      // Both recorded the key; the one recorded first keeps it with its time (10, not 50).
      expect(await store.received.prune(11)).toBe(1);
      // Both mapped a LID to the same PN: the last commit's mapping holds, and one to one.
      expect(await store.lids.getLid('px')).toBe('x@lid');
      expect(await store.lids.getPn('y@lid')).toBeUndefined();
    });

    it('rejects a transaction on a closed store, and the commit of one whose store closed meanwhile', async () => {
      const closed = await fresh();
      await closed.close();
      await expect(closed.transaction(async () => 1)).rejects.toBeInstanceOf(StoreClosedError);
      const store = await fresh();
      await expect(
        store.transaction(async (tx) => {
          await tx.storeSession('a.0', bytes(2));
          await store.close();
        }),
      ).rejects.toBeInstanceOf(StoreClosedError);
    });

    if (commitsCanFail) {
      it('applies nothing when the commit fails midway', async () => {
        const { store, poisonSession } = await freshUnderTest();
        if (!poisonSession) throw new Error('a backend whose commits can fail must give poisonSession()');
        await writeEverything(store);
        await poisonSession('poison.0');
        const failed = store.transaction(async (tx) => {
          // Tables before sessions (credentials, identities) and rows before the poisoned one
          // are written first: a commit that is not one transaction would leave them applied.
          await tx.saveCredentials(unpairedCredentials());
          await tx.saveIdentity('a.0', bytes(33, 7));
          await tx.storeSession('a.0', bytes(3, 7));
          await tx.storeSession('poison.0', bytes(3, 7));
          await tx.storeSession('z.0', bytes(3, 7));
          await tx.removePreKey(1);
          await tx.devices.delete(deviceList().user);
          await tx.lids.put('999@lid', PN);
          await tx.received.add(messageKey('new'), 1);
          await tx.sent.put(sentMessage('new'));
          await tx.kv.delete('module', 'state');
        });
        await expect(failed).rejects.toThrow(/poison/);
        await expectEverything(store);
        expect(await store.loadSession('z.0')).toBeUndefined();
        expect(await store.received.has(messageKey('new'))).toBe(false);
        expect(await store.sent.get(sentMessage().chat, 'new')).toBeUndefined();
      });
    }

    it('answers and ends like the same operations applied directly, and shows nothing before the commit (property)', async () => {
      const direct = await fresh();
      const buffered = await fresh();
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb, { maxLength: 8 }),
          fc.array(opArb, { minLength: 1, maxLength: 10 }),
          async (setup: Op[], ops: Op[]) => {
            await direct.clear();
            await buffered.clear();
            // The same store state first, so the view has a store below it to correct.
            for (const op of setup) {
              await outcome(direct, op);
              await outcome(buffered, op);
            }
            const before = await snapshot(buffered);
            const expected = [];
            for (const op of ops) expected.push(await outcome(direct, op));
            const answers = await buffered.transaction(async (tx) => {
              const seen = [];
              for (const op of ops) seen.push(await outcome(tx, op));
              expect(await snapshot(buffered)).toEqual(before);
              return seen;
            });
            expect(answers).toEqual(expected);
            expect(await snapshot(buffered)).toEqual(await snapshot(direct));
            // Times are only visible to prune: the same keys must be the older ones on both.
            expect(await buffered.received.prune(2)).toBe(await direct.received.prune(2));
            expect(await buffered.sent.prune(2)).toBe(await direct.sent.prune(2));
          },
        ),
        RUNS,
      );
    });
  });
}
