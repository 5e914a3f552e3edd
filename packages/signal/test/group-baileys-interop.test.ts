/**
 * Interop with Baileys' sender keys (npm baileys@7.0.0-rc14, `lib/Signal/Group`, the group cipher its
 * socket runs), both ways: our SKDM processed by Baileys and our `skmsg`s decrypted by it, and theirs
 * by us, each delivered in any order.
 *
 * Baileys keeps records as objects behind a store adapter. Its own adapter (`lib/Signal/libsignal.js`
 * `signalStorage`) cannot round-trip skipped message keys (see the last test), so the adapter here
 * serialises with `BufferJSON.replacer`, which restores Buffers faithfully.
 */
import {
  GroupCipher as BaileysGroupCipher,
  GroupSessionBuilder as BaileysGroupSessionBuilder,
  SenderKeyName as BaileysSenderKeyName,
  SenderKeyRecord as BaileysSenderKeyRecord,
  SenderKeyDistributionMessage as BaileysSkdm,
} from 'baileys/lib/Signal/Group/index.js';
import { BufferJSON } from 'baileys/lib/Utils/generics.js';
import fc from 'fast-check';
import { ProtocolAddress as LibsignalAddress } from 'libsignal';
import { describe, expect, it } from 'vitest';
import { DuplicateMessageError } from '../src/errors';
import { GroupCipher } from '../src/group-cipher';
import { GroupSessionBuilder } from '../src/group-session-builder';
import { processSenderKeyDistributionMessage } from '../src/sender-key-distribution';
import {
  decodeSenderKeyDistributionMessage,
  encodeSenderKeyDistributionMessage,
} from '../src/sender-key-distribution-message';
import { decodeSenderKeyMessage } from '../src/sender-key-message';
import {
  GROUP,
  PROVIDERS,
  permute,
  RecordingSenderKeyStore,
  senderKeyName,
  text,
  utf8,
} from './sender-key-helpers';

type BaileysStore = ConstructorParameters<typeof BaileysGroupCipher>[0];

/** A Baileys sender-key store that serialises each record, as a persistent store must. */
function baileysStore(
  stringify: (record: BaileysSenderKeyRecord) => string,
): BaileysStore & { size(): number } {
  const records = new Map<string, Buffer>();
  return {
    size: () => records.size,
    async loadSenderKey(name) {
      const stored = records.get(name.toString());
      return stored === undefined ? new BaileysSenderKeyRecord() : BaileysSenderKeyRecord.deserialize(stored);
    },
    async storeSenderKey(name, record) {
      records.set(name.toString(), Buffer.from(stringify(record), 'utf-8'));
    },
  };
}
const faithful = (record: BaileysSenderKeyRecord) => JSON.stringify(record.serialize(), BufferJSON.replacer);

const USER = '15550001234';
const DEVICE = 7;
const ourName = () => senderKeyName(USER, DEVICE);
const theirName = () => new BaileysSenderKeyName(GROUP, new LibsignalAddress(USER, DEVICE));

describe.each(PROVIDERS)('sender keys with Baileys (ours on %s)', (_, crypto) => {
  it('names sender keys as Baileys does, so records keep their store keys', () => {
    expect(ourName().toString()).toBe(theirName().toString());
  });

  it('Baileys decrypts our messages in any order, after processing our SKDM', async () => {
    const store = new RecordingSenderKeyStore();
    const skdm = await new GroupSessionBuilder(store, { crypto }).create(ourName());
    const cipher = new GroupCipher(store, ourName(), { crypto });
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 8; i++) sent.push(await cipher.encrypt(utf8(`to baileys ${i}`)));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), async (keys) => {
        const theirStore = baileysStore(faithful);
        await new BaileysGroupSessionBuilder(theirStore).process(
          theirName(),
          new BaileysSkdm(null, null, null, null, skdm.serialized),
        );
        const receiver = new BaileysGroupCipher(theirStore, theirName());
        const order = permute(
          sent.map((m, i) => [m, i] as const),
          keys,
        );
        for (const [message, i] of order)
          expect(text(await receiver.decrypt(message))).toBe(`to baileys ${i}`);
        await expect(receiver.decrypt(order[0]![0])).rejects.toThrow(/old counter/);
      }),
      { numRuns: 5 },
    );
  });

  it('we decrypt Baileys’ messages in any order, after processing its SKDM', async () => {
    const theirStore = baileysStore(faithful);
    const skdm = await new BaileysGroupSessionBuilder(theirStore).create(theirName());
    const sender = new BaileysGroupCipher(theirStore, theirName());
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 8; i++) sent.push(await sender.encrypt(Buffer.from(`from baileys ${i}`)));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), async (keys) => {
        const store = new RecordingSenderKeyStore();
        await new GroupSessionBuilder(store, { crypto }).process(ourName(), skdm.serialize());
        const receiver = new GroupCipher(store, ourName(), { crypto });
        const order = permute(
          sent.map((m, i) => [m, i] as const),
          keys,
        );
        for (const [message, i] of order)
          expect(text(await receiver.decrypt(message))).toBe(`from baileys ${i}`);
        await expect(receiver.decrypt(order[0]![0])).rejects.toBeInstanceOf(DuplicateMessageError);
      }),
      { numRuns: 5 },
    );
  });

  it('leaves the Buffer of a Baileys message untouched, so a second receiver decrypts it too', async () => {
    // libsignal-node signatures carry the signer's Edwards sign bit in the top bit of byte 63 (ours
    // never do); pick a Baileys sender whose key sets it, the case a verify that edits its input breaks.
    let skdm: BaileysSkdm;
    let skmsg: Uint8Array;
    do {
      const theirStore = baileysStore(faithful);
      skdm = await new BaileysGroupSessionBuilder(theirStore).create(theirName());
      skmsg = await new BaileysGroupCipher(theirStore, theirName()).encrypt(Buffer.from('fan-out'));
    } while ((skmsg[skmsg.length - 1]! & 0x80) === 0);
    expect(Buffer.isBuffer(skmsg)).toBe(true);
    const before = new Uint8Array(skmsg);
    for (let device = 0; device < 2; device++) {
      const store = new RecordingSenderKeyStore();
      await new GroupSessionBuilder(store, { crypto }).process(ourName(), skdm.serialize());
      expect(text(await new GroupCipher(store, ourName(), { crypto }).decrypt(skmsg))).toBe('fan-out');
    }
    expect(new Uint8Array(skmsg)).toEqual(before);
  });

  it('encodes an SKDM to the very bytes Baileys sends', async () => {
    const skdm = await new BaileysGroupSessionBuilder(baileysStore(faithful)).create(theirName());
    const bytes = skdm.serialize();
    expect(encodeSenderKeyDistributionMessage(decodeSenderKeyDistributionMessage(bytes))).toEqual(
      new Uint8Array(bytes),
    );
  });

  it('follows a Baileys sender across an SKDM it re-sends mid-chain, without rewinding', async () => {
    const theirStore = baileysStore(faithful);
    const builder = new BaileysGroupSessionBuilder(theirStore);
    const first = await builder.create(theirName());
    const sender = new BaileysGroupCipher(theirStore, theirName());
    const store = new RecordingSenderKeyStore();
    await new GroupSessionBuilder(store, { crypto }).process(ourName(), first.serialize());
    const receiver = new GroupCipher(store, ourName(), { crypto });
    const early = await sender.encrypt(Buffer.from('early'));
    expect(text(await receiver.decrypt(early))).toBe('early');
    const resent = await builder.create(theirName());
    expect(decodeSenderKeyDistributionMessage(resent.serialize()).iteration).toBeGreaterThan(0);
    await new GroupSessionBuilder(store, { crypto }).process(ourName(), resent.serialize());
    await expect(receiver.decrypt(early)).rejects.toBeInstanceOf(DuplicateMessageError);
    expect(text(await receiver.decrypt(await sender.encrypt(Buffer.from('late'))))).toBe('late');
  });
});

describe('Baileys sender-key defects (reference bugs, pinned so a fix shows up here)', () => {
  it('Baileys encrypts at iterations 0, 2, 4, ...: it skips one per message and keeps the unused keys', async () => {
    const theirStore = baileysStore(faithful);
    await new BaileysGroupSessionBuilder(theirStore).create(theirName());
    const sender = new BaileysGroupCipher(theirStore, theirName());
    const iterations: number[] = [];
    for (let i = 0; i < 5; i++)
      iterations.push(decodeSenderKeyMessage(await sender.encrypt(Buffer.from('x'))).iteration);
    // group_cipher.js: `getSenderKey(state, iteration === 0 ? 0 : iteration + 1)`, whose loop files
    // the key of the iteration it jumps over in the sender's own state (up to 2,000 of them), and every
    // receiver files it again as a skipped key.
    expect(iterations).toEqual([0, 2, 4, 6, 8]);
    const state = (await theirStore.loadSenderKey(theirName())).getSenderKeyState()!;
    expect(state.getStructure().senderMessageKeys.map((k) => k.iteration)).toEqual([1, 3, 5, 7]);
  });

  it('Baileys files a repeated SKDM as one more state, so five repeats push out the previous key', async () => {
    const senderStore = new RecordingSenderKeyStore();
    const builder = new GroupSessionBuilder(senderStore);
    const previous = await builder.create(ourName());
    const current = await builder.create(ourName(), { rotate: true });
    const theirStore = baileysStore(faithful);
    const theirs = new BaileysGroupSessionBuilder(theirStore);
    let ours = processSenderKeyDistributionMessage(undefined, previous.serialized);
    await theirs.process(theirName(), new BaileysSkdm(null, null, null, null, previous.serialized));
    for (let i = 0; i < 5; i++) {
      // sender-key-record.js addSenderKeyState pushes without looking for the key id.
      await theirs.process(theirName(), new BaileysSkdm(null, null, null, null, current.serialized));
      ours = processSenderKeyDistributionMessage(ours, current.serialized);
    }
    const theirIds = (await theirStore.loadSenderKey(theirName())).serialize().map((s) => s.senderKeyId);
    expect(theirIds).toEqual(Array(5).fill(current.keyId));
    expect(ours.states.map((s) => s.keyId)).toEqual([current.keyId, previous.keyId]);
  });

  it('with its own store adapter, Baileys cannot decrypt a late message once the record was stored', async () => {
    // libsignal.js `storeSenderKey`: JSON.stringify(record.serialize()) with no replacer, so Buffers
    // become {type, data: number[]}, which `BufferJSON.reviver` (base64 strings only) leaves as objects;
    // libsignal-node's deriveSecrets then refuses the skipped key's seed.
    const theirStore = baileysStore((record) => JSON.stringify(record.serialize()));
    const store = new RecordingSenderKeyStore();
    const skdm = await new GroupSessionBuilder(store).create(ourName());
    await new BaileysGroupSessionBuilder(theirStore).process(
      theirName(),
      new BaileysSkdm(null, null, null, null, skdm.serialized),
    );
    const cipher = new GroupCipher(store, ourName());
    const [first, second] = [await cipher.encrypt(utf8('first')), await cipher.encrypt(utf8('second'))];
    const receiver = new BaileysGroupCipher(theirStore, theirName());
    expect(text(await receiver.decrypt(second))).toBe('second');
    await expect(receiver.decrypt(first)).rejects.toThrow('Expected Buffer instead of: Object');
  });
});
