/**
 * The Store conformance suite, part two: the typed sub-stores (device lists, LID <-> PN, received
 * keys, sent messages, per-user Signal state, key-values), each against what `store.ts` promises,
 * with copies in and out, argument checks, and a model property where the rules interact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceList, MessageKey } from '../src/store/store';
import { expectPlainBytes, type Harness, RUNS } from './store-conformance-data';
import { bytes, deviceList, messageKey, sentMessage } from './store-fixtures';

/** Defines the sub-store tests on the stores `harness` makes. */
export function describeSubStoreConformance({ fresh }: Harness): void {
  describe('device lists', () => {
    it('has no list for an unknown user, round-trips a list and replaces it', async () => {
      const store = await fresh();
      expect(await store.devices.get(deviceList().user)).toBeUndefined();
      await store.devices.put(deviceList());
      expect(await store.devices.get(deviceList().user)).toEqual(deviceList());
      const newer: DeviceList = { user: deviceList().user, devices: [{ id: 0 }], fetchedAt: 5 };
      await store.devices.put(newer);
      const loaded = await store.devices.get(newer.user);
      expect(loaded).toEqual(newer);
      // Absent stays absent (not an own property holding undefined), as it was put.
      expect(Object.keys(loaded!)).toEqual(expect.not.arrayContaining(['hash']));
      expect(Object.keys(loaded!.devices[0]!)).toEqual(['id']);
    });

    it('keeps users apart and deletes one, treating an unknown user as done', async () => {
      const store = await fresh();
      await store.devices.put(deviceList('a@lid'));
      await store.devices.put(deviceList('b@lid'));
      await store.devices.delete('a@lid');
      await store.devices.delete('nobody@lid');
      expect(await store.devices.get('a@lid')).toBeUndefined();
      expect(await store.devices.get('b@lid')).toEqual(deviceList('b@lid'));
    });

    it('keeps an empty device list, empty hash and device order as put', async () => {
      const store = await fresh();
      const lists: DeviceList[] = [
        { user: 'e@lid', devices: [], hash: '', fetchedAt: 0 },
        { user: 'o@lid', devices: [{ id: 9 }, { id: 0, keyIndex: 1 }, { id: 4 }], fetchedAt: -1 },
      ];
      for (const list of lists) await store.devices.put(list);
      for (const list of lists) expect(await store.devices.get(list.user)).toEqual(list);
    });

    it('stores a copy and hands out copies', async () => {
      const store = await fresh();
      const input = deviceList();
      await store.devices.put(input);
      input.devices.push({ id: 99 });
      input.devices[0]!.id = 42;
      input.hash = 'changed';
      const output = (await store.devices.get(input.user))!;
      output.devices.length = 0;
      output.fetchedAt = 1;
      expect(await store.devices.get(input.user)).toEqual(deviceList());
    });

    it.each([
      ['devices that are not an array', { ...deviceList(), devices: 'all' }, TypeError],
      ['a negative device id', { ...deviceList(), devices: [{ id: -1 }] }, RangeError],
      ['a fractional key index', { ...deviceList(), devices: [{ id: 1, keyIndex: 0.5 }] }, TypeError],
      ['a fractional time', { ...deviceList(), fetchedAt: 1.5 }, TypeError],
      ['a hash that is not a string', { ...deviceList(), hash: 7 }, TypeError],
    ])('refuses a list with %s, storing nothing', async (_, list, type) => {
      const store = await fresh();
      await expect(store.devices.put(list as never)).rejects.toThrow(type);
      expect(await store.devices.get(deviceList().user)).toBeUndefined();
    });
  });

  describe('LID <-> PN', () => {
    it('answers both ways and nothing for unknown ones', async () => {
      const store = await fresh();
      await store.lids.put('1@lid', '10@s.whatsapp.net');
      expect(await store.lids.getLid('10@s.whatsapp.net')).toBe('1@lid');
      expect(await store.lids.getPn('1@lid')).toBe('10@s.whatsapp.net');
      expect(await store.lids.getLid('1@lid')).toBeUndefined();
      expect(await store.lids.getPn('10@s.whatsapp.net')).toBeUndefined();
    });

    it("replaces the other side's stale mapping: one LID per PN and one PN per LID", async () => {
      const store = await fresh();
      await store.lids.put('1@lid', 'p1');
      await store.lids.put('1@lid', 'p2');
      expect(await store.lids.getLid('p1')).toBeUndefined();
      expect(await store.lids.getLid('p2')).toBe('1@lid');
      await store.lids.put('2@lid', 'p2');
      expect(await store.lids.getPn('1@lid')).toBeUndefined();
      expect(await store.lids.getPn('2@lid')).toBe('p2');
      await store.lids.put('2@lid', 'p2');
      expect(await store.lids.getLid('p2')).toBe('2@lid');
    });

    it('matches a one-to-one model under any sequence of puts (property)', async () => {
      const store = await fresh();
      const lids = ['1@lid', '2@lid', '3@lid'];
      const pns = ['p1', 'p2', 'p3'];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom(...lids), fc.constantFrom(...pns)), { maxLength: 8 }),
          async (puts) => {
            await store.clear();
            const model = new Map<string, string>();
            for (const [lid, pn] of puts) {
              for (const [l, p] of model) if (p === pn) model.delete(l);
              model.set(lid, pn);
              await store.lids.put(lid, pn);
            }
            for (const lid of lids) expect(await store.lids.getPn(lid)).toBe(model.get(lid));
            for (const pn of pns) {
              expect(await store.lids.getLid(pn)).toBe([...model].find(([, p]) => p === pn)?.[0]);
            }
          },
        ),
        RUNS,
      );
    });
  });

  describe('received message keys', () => {
    it('adds a key once: false when it was already recorded, and keeps its first time', async () => {
      const store = await fresh();
      expect(await store.received.has(messageKey())).toBe(false);
      expect(await store.received.add(messageKey(), 100)).toBe(true);
      expect(await store.received.has(messageKey())).toBe(true);
      expect(await store.received.add(messageKey(), 900)).toBe(false);
      // Recorded at 100, not 900: a prune up to 101 forgets it.
      expect(await store.received.prune(101)).toBe(1);
      expect(await store.received.has(messageKey())).toBe(false);
    });

    it('tells keys apart by every part, whatever characters the parts hold', async () => {
      const store = await fresh();
      const keys: MessageKey[] = [
        { chat: 'a:b', sender: 'c', id: 'd' },
        { chat: 'a', sender: 'b:c', id: 'd' },
        { chat: 'a', sender: 'c', id: 'b:d' },
        { chat: 'a","b', sender: '', id: '' },
        { chat: '', sender: 'a","b', id: '' },
      ];
      for (const key of keys) expect(await store.received.add(key, 1)).toBe(true);
      for (const key of keys) expect(await store.received.has(key)).toBe(true);
      expect(await store.received.has({ chat: 'a', sender: 'b', id: 'c:d' })).toBe(false);
    });

    it('prunes the keys recorded strictly before a time and says how many', async () => {
      const store = await fresh();
      for (const [i, at] of [10, 20, 30].entries()) await store.received.add(messageKey(`m${i}`), at);
      expect(await store.received.prune(5)).toBe(0);
      expect(await store.received.prune(20)).toBe(1);
      expect(await store.received.has(messageKey('m0'))).toBe(false);
      expect(await store.received.has(messageKey('m1'))).toBe(true);
      expect(await store.received.prune(31)).toBe(2);
      expect(await store.received.add(messageKey('m1'), 40)).toBe(true);
    });

    it('refuses a key with a part that is not a string, and a fractional time', async () => {
      const store = await fresh();
      await expect(store.received.add({ ...messageKey(), id: 5 } as never, 1)).rejects.toThrow(TypeError);
      await expect(store.received.add(messageKey(), 1.5)).rejects.toThrow(TypeError);
      expect(await store.received.has(messageKey())).toBe(false);
    });
  });

  describe('sent messages', () => {
    it('round-trips a message as plain bytes, replaces it, and keeps chats apart', async () => {
      const store = await fresh();
      const { chat, id } = sentMessage();
      expect(await store.sent.get(chat, id)).toBeUndefined();
      await store.sent.put(sentMessage());
      const loaded = await store.sent.get(chat, id);
      expect(loaded).toEqual(sentMessage());
      expectPlainBytes(loaded!.message, sentMessage().message);
      await store.sent.put({ ...sentMessage(), message: bytes(3, 1) });
      expect((await store.sent.get(chat, id))!.message).toEqual(bytes(3, 1));
      expect(await store.sent.get('other@s.whatsapp.net', id)).toBeUndefined();
    });

    it('stores a copy and hands out copies', async () => {
      const store = await fresh();
      const input = sentMessage();
      await store.sent.put(input);
      input.message.fill(0);
      (await store.sent.get(input.chat, input.id))!.message.fill(0);
      expect(await store.sent.get(input.chat, input.id)).toEqual(sentMessage());
    });

    it('prunes the messages sent strictly before a time and says how many', async () => {
      const store = await fresh();
      await store.sent.put(sentMessage('a', 10));
      await store.sent.put(sentMessage('b', 20));
      expect(await store.sent.prune(20)).toBe(1);
      expect(await store.sent.get(sentMessage().chat, 'a')).toBeUndefined();
      expect(await store.sent.get(sentMessage().chat, 'b')).toEqual(sentMessage('b', 20));
    });

    it('refuses a message whose bytes are not bytes', async () => {
      const store = await fresh();
      await expect(store.sent.put({ ...sentMessage(), message: 'text' } as never)).rejects.toThrow(TypeError);
      expect(await store.sent.get(sentMessage().chat, sentMessage().id)).toBeUndefined();
    });
  });

  describe('per-user Signal state', () => {
    // Names as ProtocolAddress allows them: `_` and `:` are ordinary characters, `.` never appears.
    const neighbours = [
      'ab:7',
      'ab_9',
      'ab99',
      'ab2.3',
      'a.4',
      'ab_.5',
      'ab:1.6',
      'ab.1.7',
      'ab.01',
      'ab.',
      'ab.x',
      'ab.2147483648',
    ];

    it('lists exactly the devices of a name, ascending, however similar other addresses are', async () => {
      const store = await fresh();
      for (const address of [...neighbours, 'ab.12', 'ab.0', 'ab.2147483647']) {
        await store.storeSession(address, bytes(2));
      }
      expect(await store.signalUsers.sessionDevices('ab')).toEqual([0, 12, 2147483647]);
      expect(await store.signalUsers.sessionDevices('ab_')).toEqual([5]);
      expect(await store.signalUsers.sessionDevices('ab:1')).toEqual([6]);
      expect(await store.signalUsers.sessionDevices('nobody')).toEqual([]);
    });

    it('refuses a name that cannot be an address name', async () => {
      const store = await fresh();
      await expect(store.signalUsers.sessionDevices('a.b')).rejects.toThrow(TypeError);
      await expect(store.signalUsers.deleteSessions('')).rejects.toThrow(TypeError);
      await expect(store.signalUsers.moveUser('a', 'b.0')).rejects.toThrow(TypeError);
    });

    it("deletes a name's sessions or identities only, and says how many", async () => {
      const store = await fresh();
      for (const address of ['ab.0', 'ab.3', 'ab2.0', 'a.0']) {
        await store.storeSession(address, bytes(2));
        await store.saveIdentity(address, bytes(33));
      }
      expect(await store.signalUsers.deleteSessions('ab')).toBe(2);
      expect(await store.signalUsers.sessionDevices('ab')).toEqual([]);
      expect(await store.getIdentity('ab.3')).toEqual(bytes(33));
      expect(await store.loadSession('ab2.0')).toEqual(bytes(2));
      expect(await store.signalUsers.deleteIdentities('ab')).toBe(2);
      expect(await store.getIdentity('ab.0')).toBeUndefined();
      expect(await store.getIdentity('ab2.0')).toEqual(bytes(33));
      expect(await store.signalUsers.deleteSessions('ab')).toBe(0);
    });

    it("moves a user's sessions and identities, keeping the entries the target already has", async () => {
      const store = await fresh();
      await store.storeSession('1555.0', bytes(5, 1));
      await store.storeSession('1555.2', bytes(5, 2));
      await store.saveIdentity('1555.0', bytes(33, 1));
      await store.saveIdentity('1555.2', bytes(33, 2));
      await store.storeSession('99_1.2', bytes(5, 9));
      await store.saveIdentity('99_1.0', bytes(33, 9));
      await store.storeSession('15550.0', bytes(5, 7));
      await store.signalUsers.moveUser('1555', '99_1');
      expect(await store.signalUsers.sessionDevices('1555')).toEqual([]);
      expect(await store.getIdentity('1555.0')).toBeUndefined();
      expect(await store.getIdentity('1555.2')).toBeUndefined();
      expect(await store.loadSession('99_1.0')).toEqual(bytes(5, 1));
      expect(await store.loadSession('99_1.2')).toEqual(bytes(5, 9));
      expect(await store.getIdentity('99_1.0')).toEqual(bytes(33, 9));
      expect(await store.getIdentity('99_1.2')).toEqual(bytes(33, 2));
      expect(await store.loadSession('15550.0')).toEqual(bytes(5, 7));
      await store.signalUsers.moveUser('99_1', '99_1');
      expect(await store.signalUsers.sessionDevices('99_1')).toEqual([0, 2]);
    });

    it("moves a user's sender keys in every group, keeping the keys the target already has", async () => {
      const store = await fresh();
      await store.storeSenderKey('g@g.us::1555::0', bytes(5, 1));
      await store.storeSenderKey('h@g.us::1555::3', bytes(5, 2));
      await store.storeSenderKey('h@g.us::99_1::3', bytes(5, 9));
      // Not 1555's: another sender whose name contains it, and one LIKE's `_` would match.
      await store.storeSenderKey('g@g.us::15550::0', bytes(5, 7));
      await store.storeSenderKey('g@g.us::1555_::0', bytes(5, 8));
      await store.signalUsers.moveUser('1555', '99_1');
      expect(await store.loadSenderKey('g@g.us::1555::0')).toBeUndefined();
      expect(await store.loadSenderKey('h@g.us::1555::3')).toBeUndefined();
      expect(await store.loadSenderKey('g@g.us::99_1::0')).toEqual(bytes(5, 1));
      expect(await store.loadSenderKey('h@g.us::99_1::3')).toEqual(bytes(5, 9));
      expect(await store.loadSenderKey('g@g.us::15550::0')).toEqual(bytes(5, 7));
      expect(await store.loadSenderKey('g@g.us::1555_::0')).toEqual(bytes(5, 8));
      expect(await store.loadSenderKey('g@g.us::99_10::0')).toBeUndefined();
    });
  });

  describe('key-values', () => {
    it('round-trips values as plain bytes, keeps namespaces apart, deletes and lists keys', async () => {
      const store = await fresh();
      expect(await store.kv.get('m', 'k')).toBeUndefined();
      await store.kv.put('m', 'k', bytes(4, 1));
      await store.kv.put('m', 'j', new Uint8Array(0));
      await store.kv.put('n', 'k', bytes(4, 2));
      expectPlainBytes(await store.kv.get('m', 'k'), bytes(4, 1));
      expectPlainBytes(await store.kv.get('m', 'j'), new Uint8Array(0));
      expect(await store.kv.keys('m')).toEqual(['j', 'k']);
      await store.kv.delete('m', 'k');
      await store.kv.delete('m', 'absent');
      expect(await store.kv.get('m', 'k')).toBeUndefined();
      expect(await store.kv.get('n', 'k')).toEqual(bytes(4, 2));
      expect(await store.kv.keys('m')).toEqual(['j']);
      expect(await store.kv.keys('nothing')).toEqual([]);
    });

    it('lists keys by code point (the UTF-8 byte order), not by UTF-16 code unit', async () => {
      const store = await fresh();
      // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD.
      const sorted = ['', 'B', 'a', 'é', '\uFFFD', '😀'];
      for (const key of [...sorted].reverse()) await store.kv.put('m', key, bytes(1));
      expect(await store.kv.keys('m')).toEqual(sorted);
    });

    it('stores a copy and hands out copies, and refuses a value that is not bytes', async () => {
      const store = await fresh();
      const input = bytes(4, 1);
      await store.kv.put('m', 'k', input);
      input.fill(0);
      (await store.kv.get('m', 'k'))!.fill(0);
      expect(await store.kv.get('m', 'k')).toEqual(bytes(4, 1));
      await expect(store.kv.put('m', 'k', [1, 2] as never)).rejects.toThrow(TypeError);
      expect(await store.kv.get('m', 'k')).toEqual(bytes(4, 1));
    });
  });

  describe('sender-key devices', () => {
    it('has no marks for an unknown group, adds marks (sorted, once each) and clears one group', async () => {
      const store = await fresh();
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual([]);
      await store.senderKeyDevices.add('g@g.us', ['2:1@lid', '1@lid']);
      await store.senderKeyDevices.add('g@g.us', ['1@lid', '1:5@lid']);
      await store.senderKeyDevices.add('h@g.us', ['9@lid']);
      await store.senderKeyDevices.add('h@g.us', []);
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual(['1:5@lid', '1@lid', '2:1@lid']);
      await store.senderKeyDevices.clear('g@g.us');
      await store.senderKeyDevices.clear('nobody@g.us');
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual([]);
      expect(await store.senderKeyDevices.get('h@g.us')).toEqual(['9@lid']);
    });

    it('sorts devices by code point, as every backend does', async () => {
      const store = await fresh();
      const sorted = ['B', 'a', 'é', '\uFFFD', '😀'];
      await store.senderKeyDevices.add('g@g.us', [...sorted].reverse());
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual(sorted);
    });

    it('keeps the order when marks come from a commit, and hands out copies', async () => {
      const store = await fresh();
      await store.senderKeyDevices.add('g@g.us', ['m@lid', 'c@lid']);
      await store.transaction(async (tx) => {
        await tx.senderKeyDevices.add('g@g.us', ['z@lid', 'a@lid', 'm@lid']);
      });
      const marks = await store.senderKeyDevices.get('g@g.us');
      expect(marks).toEqual(['a@lid', 'c@lid', 'm@lid', 'z@lid']);
      marks.reverse().pop();
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual(['a@lid', 'c@lid', 'm@lid', 'z@lid']);
    });

    it('refuses a group or device that is not a string, marking nothing', async () => {
      const store = await fresh();
      await expect(store.senderKeyDevices.add('g@g.us', ['1@lid', 7 as never])).rejects.toThrow(TypeError);
      await expect(store.senderKeyDevices.add('g@g.us', '1@lid' as never)).rejects.toThrow(TypeError);
      await expect(store.senderKeyDevices.add(1 as never, ['1@lid'])).rejects.toThrow(TypeError);
      await expect(store.senderKeyDevices.get(undefined as never)).rejects.toThrow(TypeError);
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual([]);
    });

    it('inside a transaction: reads its own marks, a clear hides the stored ones, commits together', async () => {
      const store = await fresh();
      await store.senderKeyDevices.add('g@g.us', ['old@lid']);
      await store.transaction(async (tx) => {
        await tx.senderKeyDevices.add('g@g.us', ['a@lid']);
        expect(await tx.senderKeyDevices.get('g@g.us')).toEqual(['a@lid', 'old@lid']);
        await tx.senderKeyDevices.clear('g@g.us');
        expect(await tx.senderKeyDevices.get('g@g.us')).toEqual([]);
        await tx.senderKeyDevices.add('g@g.us', ['b@lid']);
        expect(await tx.senderKeyDevices.get('g@g.us')).toEqual(['b@lid']);
        // Nothing reaches the store before the commit.
        expect(await store.senderKeyDevices.get('g@g.us')).toEqual(['old@lid']);
      });
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual(['b@lid']);
    });

    it('drops the marks of a transaction that rejects', async () => {
      const store = await fresh();
      await store.senderKeyDevices.add('g@g.us', ['old@lid']);
      await expect(
        store.transaction(async (tx) => {
          await tx.senderKeyDevices.clear('g@g.us');
          await tx.senderKeyDevices.add('g@g.us', ['new@lid']);
          throw new RangeError('abandoned');
        }),
      ).rejects.toThrow('abandoned');
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual(['old@lid']);
    });

    it('is emptied by clear()', async () => {
      const store = await fresh();
      await store.senderKeyDevices.add('g@g.us', ['a@lid']);
      await store.clear();
      expect(await store.senderKeyDevices.get('g@g.us')).toEqual([]);
    });
  });
}
