/**
 * Interop with whatsapp-rust's sender keys (npm whatsapp-rust-bridge@0.5.5: wacore's libsignal port
 * compiled to WebAssembly), both ways: our SKDM processed by its GroupSessionBuilder and our
 * `skmsg`s decrypted by its GroupCipher, and theirs by us, each delivered in any order. Its records
 * are libsignal's SenderKeyRecordStructure protobuf, kept here as bytes in a map.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as bridge from 'whatsapp-rust-bridge';
import { DuplicateMessageError, TooFarInFutureError } from '../src/errors';
import { GroupCipher } from '../src/group-cipher';
import { GroupSessionBuilder } from '../src/group-session-builder';
import { groupDecrypt, groupEncrypt } from '../src/sender-key-cipher';
import {
  createSenderKeyDistributionMessage,
  processSenderKeyDistributionMessage,
} from '../src/sender-key-distribution';
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

/** A bridge storage that keeps sender-key records and refuses everything a group cipher never needs. */
function bridgeStorage(): bridge.SignalStorage {
  const records = new Map<string, Uint8Array>();
  const unused = (): never => {
    throw new Error('not used by sender keys');
  };
  return {
    loadSenderKey: (name) => records.get(name),
    storeSenderKey: (name, record) => {
      records.set(name, new Uint8Array(record));
    },
    loadSession: unused,
    storeSession: unused,
    getOurIdentity: unused,
    getOurRegistrationId: unused,
    isTrustedIdentity: unused,
    loadPreKey: unused,
    removePreKey: unused,
    loadSignedPreKey: unused,
  };
}

const USER = '15550004321';
const DEVICE = 12;
const ourName = () => senderKeyName(USER, DEVICE);
const theirAddress = () => new bridge.ProtocolAddress(USER, DEVICE);
const theirName = () => new bridge.SenderKeyName(GROUP, theirAddress());

describe.each(PROVIDERS)('sender keys with whatsapp-rust-bridge (ours on %s)', (_, crypto) => {
  it('names sender keys as whatsapp-rust does', () => {
    expect(ourName().toString()).toBe(theirName().toString());
  });

  it('whatsapp-rust decrypts our messages in any order, after processing our SKDM', async () => {
    const store = new RecordingSenderKeyStore();
    const skdm = await new GroupSessionBuilder(store, { crypto }).create(ourName());
    const cipher = new GroupCipher(store, ourName(), { crypto });
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) sent.push(await cipher.encrypt(utf8(`to rust ${i}`)));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), async (keys) => {
        const storage = bridgeStorage();
        await new bridge.GroupSessionBuilder(storage).process(
          theirName(),
          bridge.SenderKeyDistributionMessage.deserialize(skdm.serialized),
        );
        const receiver = new bridge.GroupCipher(storage, GROUP, theirAddress());
        const order = permute(
          sent.map((m, i) => [m, i] as const),
          keys,
        );
        for (const [message, i] of order) expect(text(await receiver.decrypt(message))).toBe(`to rust ${i}`);
        await expect(receiver.decrypt(order[0]![0])).rejects.toThrow();
      }),
      { numRuns: 5 },
    );
  });

  it('we decrypt whatsapp-rust’s messages in any order, after processing its SKDM', async () => {
    const storage = bridgeStorage();
    const skdm = await new bridge.GroupSessionBuilder(storage).create(theirName());
    const sender = new bridge.GroupCipher(storage, GROUP, theirAddress());
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) sent.push(await sender.encrypt(utf8(`from rust ${i}`)));
    // Unlike Baileys, whatsapp-rust uses consecutive iterations.
    expect(sent.map((m) => decodeSenderKeyMessage(m).iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), async (keys) => {
        const store = new RecordingSenderKeyStore();
        await new GroupSessionBuilder(store, { crypto }).process(ourName(), skdm.serialize());
        const receiver = new GroupCipher(store, ourName(), { crypto });
        const order = permute(
          sent.map((m, i) => [m, i] as const),
          keys,
        );
        for (const [message, i] of order)
          expect(text(await receiver.decrypt(message))).toBe(`from rust ${i}`);
        await expect(receiver.decrypt(order[0]![0])).rejects.toBeInstanceOf(DuplicateMessageError);
      }),
      { numRuns: 5 },
    );
  });

  it('encodes an SKDM to the very bytes whatsapp-rust sends', async () => {
    const skdm = await new bridge.GroupSessionBuilder(bridgeStorage()).create(theirName());
    const bytes = skdm.serialize();
    expect(encodeSenderKeyDistributionMessage(decodeSenderKeyDistributionMessage(bytes))).toEqual(bytes);
  });

  it('differs on the forward limit: whatsapp-rust-bridge 0.5.5 derives up to 25,000 ahead, we stop at 2,000', async () => {
    // whatsapp-rust had MAX_FORWARD_JUMPS = 25_000 for sender keys until d0c670bd ("WA Web parity
    // fixes ... crypto caps", 2026-07-03) cut it to 2_000, WA Web's signalFutureMessagesMax; the
    // bridge ships a wacore from before that. Messages are crafted at iteration n from the chain key
    // at n (derived with node:crypto), so no thousands of real sends are needed.
    const created = await createSenderKeyDistributionMessage(undefined, { crypto });
    const own = created.record.states[0]!;
    let chainKey = own.chainKey;
    const chainAt = new Map<number, Uint8Array>();
    for (let i = 0; i <= 25_001; i++) {
      if ([2000, 2001, 25_000, 25_001].includes(i)) chainAt.set(i, chainKey);
      chainKey = new Uint8Array(createHmac('sha256', chainKey).update(Uint8Array.of(2)).digest());
    }
    const skmsgAt = async (n: number) => {
      const state = { ...own, iteration: n, chainKey: chainAt.get(n)! };
      return (await groupEncrypt({ states: [state] }, utf8(`${n}`), { crypto })).ciphertext;
    };
    const rust = async (n: number) => {
      const storage = bridgeStorage();
      await new bridge.GroupSessionBuilder(storage).process(
        theirName(),
        bridge.SenderKeyDistributionMessage.deserialize(created.message.serialized),
      );
      return new bridge.GroupCipher(storage, GROUP, theirAddress()).decrypt(await skmsgAt(n)).then(text);
    };
    const ours = async (n: number) => {
      const record = processSenderKeyDistributionMessage(undefined, created.message);
      return text((await groupDecrypt(record, await skmsgAt(n), { crypto })).plaintext);
    };
    expect([await rust(2000), await ours(2000)]).toEqual(['2000', '2000']);
    expect(await rust(2001)).toBe('2001');
    await expect(ours(2001)).rejects.toBeInstanceOf(TooFarInFutureError);
    expect(await rust(25_000)).toBe('25000');
    await expect(rust(25_001)).rejects.toThrow(/too far into the future/);
  });
});
