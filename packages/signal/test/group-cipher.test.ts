/**
 * GroupCipher and GroupSessionBuilder over a store: the chain and key schedule (checked against an
 * independent node:crypto computation), delivery in any order, duplicates, the forward limit,
 * signatures, the persistence contract, and the life of sender keys (reuse, rotation, replays).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BadMacError,
  DuplicateMessageError,
  InvalidMessageError,
  isSignalError,
  NoSenderKeyError,
  TooFarInFutureError,
  UnsupportedVersionError,
} from '../src/errors';
import { GroupCipher } from '../src/group-cipher';
import { GroupSessionBuilder } from '../src/group-session-builder';
import { decodeSenderKeyMessage, encodeSenderKeyMessage } from '../src/sender-key-message';
import { decodeSenderKeyRecord, encodeSenderKeyRecord } from '../src/sender-key-record-codec';
import { PROVIDERS, permute, RecordingSenderKeyStore, senderKeyName, text, utf8 } from './sender-key-helpers';

/** libsignal's chain step, computed with node:crypto directly rather than through our code. */
function referenceStep(chainKey: Uint8Array): { seed: Uint8Array; next: Uint8Array } {
  return {
    seed: createHmac('sha256', chainKey).update(Uint8Array.of(1)).digest(),
    next: createHmac('sha256', chainKey).update(Uint8Array.of(2)).digest(),
  };
}

function referenceMessageKey(seed: Uint8Array): { iv: Uint8Array; key: Uint8Array } {
  const okm = new Uint8Array(hkdfSync('sha256', seed, new Uint8Array(32), 'WhisperGroup', 48));
  return { iv: okm.subarray(0, 16), key: okm.subarray(16) };
}

describe.each(PROVIDERS)('sender keys with %s', (_, crypto) => {
  async function setUp() {
    const name = senderKeyName('15550000001', 3);
    const senderStore = new RecordingSenderKeyStore();
    const receiverStore = new RecordingSenderKeyStore();
    const skdm = await new GroupSessionBuilder(senderStore, { crypto }).create(name);
    await new GroupSessionBuilder(receiverStore, { crypto }).process(name, skdm.serialized);
    return {
      name,
      skdm,
      senderStore,
      receiverStore,
      sender: new GroupCipher(senderStore, name, { crypto }),
      receiver: new GroupCipher(receiverStore, name, { crypto }),
      stored: () => receiverStore.records.get(name.toString())!,
    };
  }

  it('encrypts iteration i under HKDF(HMAC(chain_i, 0x01), "WhisperGroup") = iv || key, with AES-256-CBC', async () => {
    const { skdm, sender } = await setUp();
    expect(skdm.iteration).toBe(0);
    let chainKey = skdm.chainKey;
    for (let i = 0; i < 3; i++) {
      const skmsg = await sender.encrypt(utf8(`message ${i}`));
      const parsed = decodeSenderKeyMessage(skmsg);
      expect([parsed.keyId, parsed.iteration]).toEqual([skdm.keyId, i]);
      const step = referenceStep(chainKey);
      const { iv, key } = referenceMessageKey(step.seed);
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      const plain = Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
      expect(text(plain)).toBe(`message ${i}`);
      expect(await crypto.verify(skdm.signingKey, parsed.signed, parsed.signature)).toBe(true);
      chainKey = step.next;
    }
  });

  it('decrypts what the sender encrypts, and the second delivery of a message is a duplicate', async () => {
    const { sender, receiver } = await setUp();
    const skmsg = await sender.encrypt(utf8('hello group'));
    expect(text(await receiver.decrypt(skmsg))).toBe('hello group');
    await expect(receiver.decrypt(skmsg)).rejects.toBeInstanceOf(DuplicateMessageError);
  });

  it('decrypts the messages of one sender delivered in any order', async () => {
    const { sender, receiverStore, name } = await setUp();
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 12; i++) messages.push(await sender.encrypt(utf8(`m${i}`)));
    const initial = receiverStore.records.get(name.toString())!;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), async (keys) => {
        // Each run starts from the receiver's record as the SKDM left it.
        const store = new RecordingSenderKeyStore();
        store.records.set(name.toString(), initial);
        const receiver = new GroupCipher(store, name, { crypto });
        const order = permute(
          messages.map((m, i) => [m, i] as const),
          keys,
        );
        for (const [message, i] of order) expect(text(await receiver.decrypt(message))).toBe(`m${i}`);
        for (const [message] of order)
          await expect(receiver.decrypt(message)).rejects.toBeInstanceOf(DuplicateMessageError);
      }),
      { numRuns: 8 },
    );
  });

  it('accepts a message up to 2000 iterations ahead of the chain and refuses one further', async () => {
    const { skdm, senderStore, receiverStore, name } = await setUp();
    const own = decodeSenderKeyRecord(senderStore.records.get(name.toString())!).states[0]!;
    // The sender's chain key at iteration n, derived with node:crypto (no 2,000 signatures needed).
    const chainAt = (n: number) => {
      let key = skdm.chainKey;
      for (let i = 0; i < n; i++) key = referenceStep(key).next;
      return new Uint8Array(key);
    };
    const skmsgAt = async (n: number) => {
      const { iv, key } = referenceMessageKey(referenceStep(chainAt(n)).seed);
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      const body = Buffer.concat([cipher.update(utf8(`at ${n}`)), cipher.final()]);
      return encodeSenderKeyMessage(skdm.keyId, n, body, own.signingPrivateKey!, crypto);
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1990, max: 2010 }), async (n) => {
        const store = new RecordingSenderKeyStore();
        store.records.set(name.toString(), receiverStore.records.get(name.toString())!);
        const receiver = new GroupCipher(store, name, { crypto });
        const message = await skmsgAt(n);
        if (n <= 2000) {
          expect(text(await receiver.decrypt(message))).toBe(`at ${n}`);
        } else {
          await expect(receiver.decrypt(message)).rejects.toBeInstanceOf(TooFarInFutureError);
          expect(store.writes).toEqual([]);
        }
      }),
      { numRuns: 6 },
    );
    // Exactly at the limit and one past it, whatever the random draws were.
    const edge = new GroupCipher(receiverStore, name, { crypto });
    await expect(edge.decrypt(await skmsgAt(2001))).rejects.toBeInstanceOf(TooFarInFutureError);
    expect(text(await edge.decrypt(await skmsgAt(2000)))).toBe('at 2000');
  });

  it('keeps 2000 skipped keys at most, dropping the oldest, whose messages then count as duplicates', async () => {
    const { sender, receiver, stored } = await setUp();
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 2101; i++) messages.push(await sender.encrypt(utf8(`m${i}`)));
    await receiver.decrypt(messages[2000]!); // skips 0..1999: 2,000 keys
    await receiver.decrypt(messages[2100]!); // skips 2001..2099: 99 more, so 0..98 go
    const state = decodeSenderKeyRecord(stored()).states[0]!;
    expect(state.skippedKeys.length).toBe(2000);
    expect(state.skippedKeys[0]!.iteration).toBe(99);
    await expect(receiver.decrypt(messages[98]!)).rejects.toBeInstanceOf(DuplicateMessageError);
    expect(text(await receiver.decrypt(messages[99]!))).toBe('m99');
    expect(text(await receiver.decrypt(messages[2099]!))).toBe('m2099');
  }, 120_000);

  it('refuses a message whose signature does not verify with BadMacError', async () => {
    const { sender, receiver, stored } = await setUp();
    const skmsg = await sender.encrypt(utf8('signed'));
    const before = stored();
    const forged = skmsg.slice();
    forged[forged.length - 1]! ^= 0x01;
    await expect(receiver.decrypt(forged)).rejects.toBeInstanceOf(BadMacError);
    expect(stored()).toBe(before);
    expect(text(await receiver.decrypt(skmsg))).toBe('signed');
  });

  it('never decrypts a tampered message, and a failed decrypt leaves the stored bytes identical', async () => {
    const { sender, receiver, stored, receiverStore } = await setUp();
    const messages = [await sender.encrypt(utf8('first')), await sender.encrypt(utf8('second'))];
    await receiver.decrypt(messages[0]!); // the record now has a history, and 0 is a duplicate
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('append' as const),
        extra: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1), tamper, async (which, change) => {
        const original = messages[which]!;
        let forged: Uint8Array;
        if (change.kind === 'flip') {
          forged = original.slice();
          forged[change.at % forged.length]! ^= 1 << change.bit;
        } else if (change.kind === 'cut') {
          forged = original.subarray(0, change.at % original.length);
        } else {
          forged = new Uint8Array([...original, ...change.extra]);
        }
        const before = stored().slice();
        const writes = receiverStore.writes.length;
        const error = await receiver.decrypt(forged).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isSignalError(error)).toBe(true);
        expect(receiverStore.writes.length).toBe(writes);
        expect(stored()).toEqual(before);
      }),
      { numRuns: 60 },
    );
    expect(text(await receiver.decrypt(messages[1]!))).toBe('second');
  });

  it('refuses a well-signed message whose ciphertext does not decrypt, storing nothing', async () => {
    const { skdm, senderStore, receiver, receiverStore, name } = await setUp();
    const own = decodeSenderKeyRecord(senderStore.records.get(name.toString())!).states[0]!;
    const garbage = await encodeSenderKeyMessage(
      skdm.keyId,
      0,
      new Uint8Array(17),
      own.signingPrivateKey!,
      crypto,
    );
    const writes = receiverStore.writes.length;
    await expect(receiver.decrypt(garbage)).rejects.toBeInstanceOf(InvalidMessageError);
    expect(receiverStore.writes.length).toBe(writes);
  });

  it('refuses a message of another protocol version', async () => {
    const { sender, receiver } = await setUp();
    const skmsg = await sender.encrypt(utf8('v3'));
    skmsg[0] = 0x22;
    await expect(receiver.decrypt(skmsg)).rejects.toBeInstanceOf(UnsupportedVersionError);
  });

  it('stores the advanced chain before returning a ciphertext, and returns none when the store fails', async () => {
    const { sender, senderStore, receiver, name } = await setUp();
    senderStore.failWrites = true;
    await expect(sender.encrypt(utf8('lost'))).rejects.toThrow('disk full');
    senderStore.failWrites = false;
    const stateBefore = decodeSenderKeyRecord(senderStore.records.get(name.toString())!).states[0]!;
    expect(stateBefore.iteration).toBe(0);
    const skmsg = await sender.encrypt(utf8('kept'));
    // The store already holds the next iteration by the time the ciphertext is in our hands.
    expect(decodeSenderKeyRecord(senderStore.records.get(name.toString())!).states[0]!.iteration).toBe(1);
    expect(decodeSenderKeyMessage(skmsg).iteration).toBe(0);
    expect(text(await receiver.decrypt(skmsg))).toBe('kept');
  });

  it('gives concurrent encrypts for one name distinct iterations, in call order', async () => {
    const { sender, receiver } = await setUp();
    const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => sender.encrypt(utf8(`c${i}`))));
    expect(sent.map((m) => decodeSenderKeyMessage(m).iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const received = await Promise.all(sent.map((m) => receiver.decrypt(m)));
    expect(received.map(text)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  });

  it('reports a missing sender key as NoSenderKeyError, for encrypt before create and decrypt before an SKDM', async () => {
    const { sender } = await setUp();
    const skmsg = await sender.encrypt(utf8('x'));
    const empty = new RecordingSenderKeyStore();
    const name = senderKeyName('15550000001', 3);
    await expect(new GroupCipher(empty, name, { crypto }).encrypt(utf8('x'))).rejects.toBeInstanceOf(
      NoSenderKeyError,
    );
    await expect(new GroupCipher(empty, name, { crypto }).decrypt(skmsg)).rejects.toBeInstanceOf(
      NoSenderKeyError,
    );
    expect(empty.writes).toEqual([]);
  });

  it('cannot encrypt with a sender key it received', async () => {
    const { receiver } = await setUp();
    await expect(receiver.encrypt(utf8('not mine'))).rejects.toBeInstanceOf(NoSenderKeyError);
  });

  it('create reuses the sender key, at its current iteration, and stores nothing', async () => {
    const { skdm, sender, senderStore, name } = await setUp();
    await sender.encrypt(utf8('one'));
    const writes = senderStore.writes.length;
    const again = await new GroupSessionBuilder(senderStore, { crypto }).create(name);
    expect(again.keyId).toBe(skdm.keyId);
    expect(again.signingKey).toEqual(skdm.signingKey);
    expect(again.iteration).toBe(1);
    expect(again.chainKey).toEqual(new Uint8Array(referenceStep(skdm.chainKey).next));
    expect(senderStore.writes.length).toBe(writes);
  });

  it('a late joiner who gets the reused SKDM decrypts what follows but not what came before', async () => {
    const { sender, senderStore, name } = await setUp();
    const early = await sender.encrypt(utf8('before'));
    const skdm = await new GroupSessionBuilder(senderStore, { crypto }).create(name);
    const lateStore = new RecordingSenderKeyStore();
    await new GroupSessionBuilder(lateStore, { crypto }).process(name, skdm.serialized);
    const late = new GroupCipher(lateStore, name, { crypto });
    expect(text(await late.decrypt(await sender.encrypt(utf8('after'))))).toBe('after');
    await expect(late.decrypt(early)).rejects.toBeInstanceOf(DuplicateMessageError);
  });

  it('rotates to a new key id on request, and receivers still decrypt late messages of the old key', async () => {
    const { skdm, sender, senderStore, receiver, receiverStore, name } = await setUp();
    const old = await sender.encrypt(utf8('old key'));
    const rotated = await new GroupSessionBuilder(senderStore, { crypto }).create(name, { rotate: true });
    expect(rotated.keyId).not.toBe(skdm.keyId);
    expect(rotated.keyId).toBeLessThan(2 ** 31);
    expect(rotated.iteration).toBe(0);
    await new GroupSessionBuilder(receiverStore, { crypto }).process(name, rotated.serialized);
    const fresh = await sender.encrypt(utf8('new key'));
    expect(decodeSenderKeyMessage(fresh).keyId).toBe(rotated.keyId);
    expect(text(await receiver.decrypt(fresh))).toBe('new key');
    expect(text(await receiver.decrypt(old))).toBe('old key');
  });

  it('keeps the five newest sender keys of a sender', async () => {
    const { sender, senderStore, receiver, receiverStore, name } = await setUp();
    const builder = new GroupSessionBuilder(senderStore, { crypto });
    const perKey = [await sender.encrypt(utf8('key 0'))];
    for (let k = 1; k <= 5; k++) {
      const rotated = await builder.create(name, { rotate: true });
      await new GroupSessionBuilder(receiverStore, { crypto }).process(name, rotated.serialized);
      perKey.push(await sender.encrypt(utf8(`key ${k}`)));
    }
    expect(decodeSenderKeyRecord(receiverStore.records.get(name.toString())!).states.length).toBe(5);
    await expect(receiver.decrypt(perKey[0]!)).rejects.toBeInstanceOf(NoSenderKeyError);
    for (let k = 1; k <= 5; k++) expect(text(await receiver.decrypt(perKey[k]!))).toBe(`key ${k}`);
  });

  it('an SKDM processed again (a retry, or a replay) does not rewind the chain', async () => {
    const { skdm, sender, receiver, receiverStore, name } = await setUp();
    const first = await sender.encrypt(utf8('once'));
    expect(text(await receiver.decrypt(first))).toBe('once');
    await new GroupSessionBuilder(receiverStore, { crypto }).process(name, skdm.serialized);
    await expect(receiver.decrypt(first)).rejects.toBeInstanceOf(DuplicateMessageError);
  });

  it('an SKDM with a known key id but another signing key replaces the old state', async () => {
    const { skdm, sender, receiver, receiverStore, name } = await setUp();
    const impostor = await crypto.generateKeyPair();
    await new GroupSessionBuilder(receiverStore, { crypto }).process(name, {
      ...skdm,
      signingKey: impostor.publicKey,
    });
    // The genuine sender's messages now fail the signature check under the replacing key.
    await expect(receiver.decrypt(await sender.encrypt(utf8('x')))).rejects.toBeInstanceOf(BadMacError);
    const record = decodeSenderKeyRecord(receiverStore.records.get(name.toString())!);
    expect(record.states.map((s) => s.signingKey)).toEqual([impostor.publicKey]);
  });

  it('leaves the stored record untouched when an SKDM is malformed', async () => {
    const { receiverStore, name, skdm } = await setUp();
    const before = receiverStore.records.get(name.toString());
    const builder = new GroupSessionBuilder(receiverStore, { crypto });
    await expect(builder.process(name, skdm.serialized.subarray(0, 20))).rejects.toBeInstanceOf(
      InvalidMessageError,
    );
    expect(receiverStore.records.get(name.toString())).toBe(before);
  });

  it('keeps each name to itself: two senders in a group, and one sender in two groups', async () => {
    const store = new RecordingSenderKeyStore();
    const names = [
      senderKeyName('1555000001', 0),
      senderKeyName('1555000002', 0),
      senderKeyName('1555000001', 0, 'x@g.us'),
    ];
    const receiverStore = new RecordingSenderKeyStore();
    for (const name of names) {
      const skdm = await new GroupSessionBuilder(store, { crypto }).create(name);
      await new GroupSessionBuilder(receiverStore, { crypto }).process(name, skdm.serialized);
    }
    const skmsgs = await Promise.all(
      names.map((n, i) => new GroupCipher(store, n, { crypto }).encrypt(utf8(`s${i}`))),
    );
    for (const [i, name] of names.entries()) {
      const receiver = new GroupCipher(receiverStore, name, { crypto });
      expect(text(await receiver.decrypt(skmsgs[i]!))).toBe(`s${i}`);
      await expect(receiver.decrypt(skmsgs[(i + 1) % names.length]!)).rejects.toBeInstanceOf(
        NoSenderKeyError,
      );
    }
    expect([...store.records.keys()].sort()).toEqual(names.map(String).sort());
  });

  it('stores records that round-trip through the codec unchanged', async () => {
    const { sender, receiver, stored } = await setUp();
    for (let i = 0; i < 3; i++) await sender.encrypt(utf8(`m${i}`));
    await receiver.decrypt(await sender.encrypt(utf8('m3')));
    expect(encodeSenderKeyRecord(decodeSenderKeyRecord(stored()))).toEqual(stored());
    expect(decodeSenderKeyRecord(stored()).states[0]!.skippedKeys.map((k) => k.iteration)).toEqual([0, 1, 2]);
  });
});
