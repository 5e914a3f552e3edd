/**
 * The session record format (`session-record-codec.ts`): round trips of generated and real
 * records, the documented field layout, and refusal of corrupt or unknown-version bytes with
 * RecordFormatError and nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readProto } from '../src/_protobuf';
import { RecordFormatError } from '../src/errors';
import { SessionRecord } from '../src/session-record';
import { SESSION_RECORD_FORMAT_VERSION } from '../src/session-record-codec';
import {
  MAX_ARCHIVED_STATES,
  MAX_MESSAGE_KEYS,
  MAX_RECEIVER_CHAINS,
  type ReceiverChain,
  type SessionState,
} from '../src/session-state';
import { createParty, deliver, hex, PROVIDERS, utf8 } from './session-helpers';

const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const identity33 = key32.map((k) => Uint8Array.of(0x05, ...k));
const uint32 = fc.nat({ max: 0xffffffff });

/**
 * Receiver chains with ascending skipped-key counters below the chain index. Counters stay small
 * (the codec writes them as 4 bytes whatever their size) and sets short, to keep runs fast.
 */
const receiverChain: fc.Arbitrary<ReceiverChain> = fc
  .record({
    ratchetKey: key32,
    chainKey: key32,
    counters: fc.uniqueArray(fc.nat({ max: 5000 }), { maxLength: 8 }),
    seed: key32,
    extra: fc.nat({ max: 10 }),
  })
  .map(({ ratchetKey, chainKey, counters, seed, extra }) => {
    const sorted = [...counters].sort((a, b) => a - b);
    const index = (sorted.at(-1) ?? 0) + 1 + extra;
    return { ratchetKey, chainKey, index, messageKeys: new Map(sorted.map((c) => [c, seed] as const)) };
  });

const sessionState: fc.Arbitrary<SessionState> = fc.record({
  localIdentityKey: identity33,
  remoteIdentityKey: identity33,
  localRegistrationId: uint32,
  remoteRegistrationId: uint32,
  baseKey: key32,
  baseKeyIsOurs: fc.boolean(),
  rootKey: key32,
  previousCounter: uint32,
  senderChain: fc.record({
    ratchetKeyPair: fc.record({ publicKey: key32, privateKey: key32 }),
    chainKey: key32,
    index: uint32,
  }),
  receiverChains: fc.array(receiverChain, { maxLength: MAX_RECEIVER_CHAINS }),
  pendingPreKey: fc.option(
    fc.record({ preKeyId: fc.option(uint32, { nil: undefined }), signedPreKeyId: uint32, baseKey: key32 }),
    { nil: undefined },
  ),
});

const sessionRecord = fc
  .tuple(fc.option(sessionState, { nil: undefined }), fc.array(sessionState, { maxLength: 3 }))
  .map(([current, previous]) => new SessionRecord(current, previous));

/**
 * A plain-data view of a record, for deep equality: skipped keys (a Map, or the packed form a
 * decoded record reads in place) as entry lists.
 */
function view(record: SessionRecord): unknown {
  return JSON.parse(
    JSON.stringify({ current: record.current, previous: record.previousStates }, (key, value) => {
      if (value instanceof Uint8Array) return hex(value);
      if (key === 'messageKeys') return [...(value as ReadonlyMap<number, Uint8Array>).entries()];
      return value;
    }),
  );
}

describe('SessionRecord format', () => {
  it('round-trips any record: same states back, same bytes again', () => {
    fc.assert(
      fc.property(sessionRecord, (record) => {
        const bytes = record.serialize();
        expect(bytes[0]).toBe(SESSION_RECORD_FORMAT_VERSION);
        // A copy: the array serialize returned would come back from the cache, not the decoder.
        const decoded = SessionRecord.deserialize(bytes.slice());
        expect(decoded).not.toBe(record);
        expect(view(decoded)).toEqual(view(record));
        expect(hex(decoded.serialize())).toBe(hex(bytes));
      }),
    );
  });

  it('reads skipped keys in place, answering like the map they were written from', () => {
    fc.assert(
      fc.property(receiverChain, fc.array(fc.nat({ max: 5100 }), { maxLength: 12 }), (chain, probes) => {
        const [state] = fc.sample(sessionState, 1);
        const bytes = new SessionRecord({ ...state!, receiverChains: [chain] }).serialize().slice();
        const read = SessionRecord.deserialize(bytes).current!.receiverChains[0]!.messageKeys;
        const written = chain.messageKeys;
        expect(read.size).toBe(written.size);
        for (const counter of [...probes, ...written.keys()]) {
          expect(read.has(counter)).toBe(written.has(counter));
          expect(read.get(counter) && hex(read.get(counter)!)).toBe(
            written.get(counter) && hex(written.get(counter)!),
          );
        }
        const entries = (map: ReadonlyMap<number, Uint8Array>) =>
          [...map].map(([c, seed]) => `${c}:${hex(seed)}`);
        expect(entries(read)).toEqual(entries(written));
        expect([...read.keys()]).toEqual([...written.keys()]);
        expect([...read.values()].map(hex)).toEqual([...written.values()].map(hex));
        const visited: number[] = [];
        read.forEach((_seed, counter) => {
          visited.push(counter);
        });
        expect(visited).toEqual([...written.keys()]);
        // A Map built from it, as the ratchet builds one to change the keys, holds the same entries.
        expect(entries(new Map(read))).toEqual(entries(written));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps nothing of the array it read: changing it afterwards changes no record', () => {
    fc.assert(
      fc.property(sessionRecord, (record) => {
        const bytes = record.serialize();
        const input = bytes.slice();
        const decoded = SessionRecord.deserialize(input);
        void decoded.previousStates;
        input.fill(0xee);
        expect(hex(decoded.serialize())).toBe(hex(bytes));
        expect(view(decoded)).toEqual(view(record));
      }),
      { numRuns: 50 },
    );
  });

  it('decodes an archived state only when it is used, so a corrupt one fails only what uses it', () => {
    const [current, archived] = fc.sample(sessionState, 2);
    const good = new SessionRecord(current, [archived!]).serialize();
    // Corrupt the archived state's first field (its local identity key, 0x05-prefixed) in place.
    const archivedAt = Buffer.from(good).lastIndexOf(Buffer.from(archived!.localIdentityKey));
    expect(archivedAt).toBeGreaterThan(Buffer.from(good).indexOf(Buffer.from(current!.localIdentityKey)));
    const corrupt = good.slice();
    corrupt[archivedAt] = 0x06;

    const record = SessionRecord.deserialize(corrupt);
    expect(record.stateCount).toBe(2);
    expect(record.stateAt(0)).toEqual(SessionRecord.deserialize(good.slice()).current);
    expect(() => record.stateAt(1)).toThrow(RecordFormatError);
    expect(() => record.previousStates).toThrow(RecordFormatError);
    expect(() => record.states()).toThrow(RecordFormatError);
    // Stored back as it was read: the open state re-encoded, the archived one copied.
    expect(hex(record.serialize())).toBe(hex(corrupt));
  });

  it('writes the fields where the file header documents them', () => {
    fc.assert(
      fc.property(sessionState, sessionState, (current, archived) => {
        const bytes = new SessionRecord(current, [archived]).serialize();
        const record = readProto(bytes.subarray(1), 'Record');
        const state = readProto(record.get(1) as Uint8Array, 'State');
        expect(hex(state.get(1) as Uint8Array)).toBe(hex(current.localIdentityKey));
        expect(hex(state.get(2) as Uint8Array)).toBe(hex(current.remoteIdentityKey));
        expect(state.get(3)).toBe(current.localRegistrationId);
        expect(state.get(4)).toBe(current.remoteRegistrationId);
        expect(hex(state.get(5) as Uint8Array)).toBe(hex(current.baseKey));
        expect(state.get(6)).toBe(current.baseKeyIsOurs ? 1 : 0);
        expect(hex(state.get(7) as Uint8Array)).toBe(hex(current.rootKey));
        expect(state.get(8)).toBe(current.previousCounter);
        const sender = readProto(state.get(9) as Uint8Array, 'SenderChain');
        expect(hex(sender.get(2) as Uint8Array)).toBe(hex(current.senderChain.ratchetKeyPair.privateKey));
        expect(sender.get(4)).toBe(current.senderChain.index);
        expect(state.has(11)).toBe(current.pendingPreKey !== undefined);
        // Lists: 4-byte big-endian length, then the item.
        const previous = record.get(2) as Uint8Array;
        const length = new DataView(previous.buffer, previous.byteOffset).getUint32(0);
        expect(length).toBe(previous.length - 4);
        expect(readProto(previous.subarray(4), 'State').get(3)).toBe(archived.localRegistrationId);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps at most 40 archived states, dropping the oldest', () => {
    const states = fc.sample(sessionState, MAX_ARCHIVED_STATES + 3);
    const record = new SessionRecord(undefined, states);
    expect(record.previousStates).toHaveLength(MAX_ARCHIVED_STATES);
    expect(record.previousStates[0]).toBe(states[0]);
    const archived = new SessionRecord(
      states[0],
      states.slice(1, MAX_ARCHIVED_STATES + 1),
    ).archiveCurrentState();
    expect(archived.previousStates).toHaveLength(MAX_ARCHIVED_STATES);
    expect(archived.current).toBeUndefined();
  });

  it('promotes an archived state to the open one, archiving the open one in front of the rest', () => {
    fc.assert(
      fc.property(
        fc.option(sessionState, { nil: undefined }),
        fc.array(sessionState, { minLength: 1, maxLength: MAX_ARCHIVED_STATES }),
        sessionState,
        fc.nat(),
        (current, previous, updated, pick) => {
          const record = new SessionRecord(current, previous);
          const index = pick % previous.length;
          const position = current === undefined ? index : index + 1;
          const promoted = record.promoteArchivedState(position, updated);
          expect(promoted.current).toBe(updated);
          const others = previous.filter((_, i) => i !== index);
          expect(promoted.previousStates).toEqual(current === undefined ? others : [current, ...others]);
          // Same number of states: nothing is dropped, even at the archive limit.
          expect(promoted.states()).toHaveLength(record.states().length);
          expect(() => record.promoteArchivedState(previous.length + 1, updated)).toThrow(RangeError);
          if (current !== undefined)
            expect(() => record.promoteArchivedState(0, updated)).toThrow(RangeError);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses unknown format versions and empty input with RecordFormatError', () => {
    const bytes = new SessionRecord().serialize();
    for (const version of [0x00, 0x02, 0x33, 0xff]) {
      const other = bytes.slice();
      other[0] = version;
      expect(() => SessionRecord.deserialize(other)).toThrow(RecordFormatError);
    }
    expect(() => SessionRecord.deserialize(new Uint8Array(0))).toThrow(RecordFormatError);
  });

  it('refuses every strict prefix of a record with RecordFormatError', () => {
    fc.assert(
      fc.property(sessionRecord, fc.nat(), (record, cut) => {
        const bytes = record.serialize();
        const prefix = bytes.subarray(0, cut % bytes.length);
        expect(() => SessionRecord.deserialize(prefix)).toThrow(RecordFormatError);
      }),
      { numRuns: 200 },
    );
  });

  it('throws nothing but RecordFormatError for corrupted or random bytes', () => {
    const corrupted = fc
      .tuple(
        sessionRecord,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      )
      .map(([record, flips]) => {
        const bytes = record.serialize();
        for (const [at, mask] of flips) bytes[at % bytes.length]! ^= mask;
        return bytes;
      });
    // Random bytes behind the right version byte, so they reach the protobuf layer.
    const random = fc
      .uint8Array({ maxLength: 300 })
      .map((b) => Uint8Array.of(SESSION_RECORD_FORMAT_VERSION, ...b));
    fc.assert(
      fc.property(fc.oneof(corrupted, random), (bytes) => {
        try {
          // Archived states are decoded when used: use them, and store the record back.
          const record = SessionRecord.deserialize(bytes);
          void record.previousStates;
          record.serialize();
        } catch (error) {
          expect(error).toBeInstanceOf(RecordFormatError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

for (const [name, crypto] of PROVIDERS) {
  describe(`records of real sessions (${name})`, () => {
    it('round-trip with pending prekeys, skipped keys and archived states, and keep working', async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      const sent = [];
      for (let i = 0; i < 5; i++) sent.push(await alice.cipherFor(bob).encrypt(utf8(`m${i}`)));
      await deliver(bob, alice, sent[4]!); // skips 0..3
      // A second session from Alice archives the first at Bob.
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('second')));

      const stored = bob.store.sessions.get(alice.address.toString())!;
      const record = SessionRecord.deserialize(stored);
      expect(record.previousStates).toHaveLength(1);
      expect([...record.previousStates[0]!.receiverChains[0]!.messageKeys.keys()]).toEqual([0, 1, 2, 3]);
      expect(hex(record.serialize())).toBe(hex(stored));
      expect(view(SessionRecord.deserialize(record.serialize()))).toEqual(view(record));

      const aliceRecord = SessionRecord.deserialize(alice.store.sessions.get(bob.address.toString())!);
      expect(aliceRecord.current?.pendingPreKey?.preKeyId).toBe(2);
      expect(aliceRecord.current?.baseKeyIsOurs).toBe(true);

      // The skipped keys survived the round trip: the late messages of the archived session open.
      for (let i = 0; i < 4; i++)
        expect(new TextDecoder().decode(await deliver(bob, alice, sent[i]!))).toBe(`m${i}`);
    });
  });
}

it('MAX_MESSAGE_KEYS entries of skipped keys fit a record and round-trip', () => {
  const [state] = fc.sample(sessionState, 1);
  const seed = new Uint8Array(32).fill(7);
  const chain: ReceiverChain = {
    ratchetKey: new Uint8Array(32),
    chainKey: new Uint8Array(32),
    index: MAX_MESSAGE_KEYS,
    messageKeys: new Map(Array.from({ length: MAX_MESSAGE_KEYS }, (_, i) => [i, seed] as const)),
  };
  const record = new SessionRecord({ ...state!, receiverChains: [chain] });
  const bytes = record.serialize();
  expect(SessionRecord.deserialize(bytes).current!.receiverChains[0]!.messageKeys.size).toBe(
    MAX_MESSAGE_KEYS,
  );
  expect(bytes.length).toBeLessThan(MAX_MESSAGE_KEYS * 36 + 1000);
});
