/**
 * The sender-key record: its stored format (layout, round trips, refusals of corrupt or unknown
 * bytes) and the rules for adding states (libsignal's `add_sender_key_state`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSignalError, RecordFormatError } from '../src/errors';
import {
  addSenderKeyState,
  emptySenderKeyRecord,
  SENDER_KEY_MAX_SKIPPED_KEYS,
  type SenderKeyRecord,
  type SenderKeyState,
} from '../src/sender-key-record';
import { decodeSenderKeyRecord, encodeSenderKeyRecord } from '../src/sender-key-record-codec';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'));
const filled = (length: number, value: number) => new Uint8Array(length).fill(value);

function state(keyId: number, overrides: Partial<SenderKeyState> = {}): SenderKeyState {
  return {
    keyId,
    iteration: 5,
    chainKey: filled(32, 0xcc),
    signingKey: filled(32, keyId & 0xff),
    skippedKeys: [],
    ...overrides,
  };
}

/**
 * Any valid record: up to five states with distinct key ids; skipped keys strictly ascending below
 * the state's iteration (the invariant the cipher keeps; the decoder refuses anything else), and at
 * most 40 of them per state to keep runs fast (the 2,000 bound is tested on its own).
 */
const arbitraryState: fc.Arbitrary<SenderKeyState> = fc
  .record({
    keyId: fc.integer({ min: 0, max: 0xffffffff }),
    iteration: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 0xffffffff })),
    chainKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    signingKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    signingPrivateKey: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
  })
  .chain((base) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: Math.max(0, base.iteration - 1) }), {
        maxLength: base.iteration === 0 ? 0 : 40,
      })
      .chain((iterations) =>
        fc
          .array(fc.uint8Array({ minLength: 32, maxLength: 32 }), {
            minLength: iterations.length,
            maxLength: iterations.length,
          })
          .map((seeds) => {
            const { signingPrivateKey, ...rest } = base;
            const skippedKeys = [...iterations]
              .sort((a, b) => a - b)
              .map((iteration, i) => ({ iteration, seed: seeds[i]! }));
            return {
              ...rest,
              ...(signingPrivateKey === undefined ? {} : { signingPrivateKey }),
              skippedKeys,
            };
          }),
      ),
  );
const arbitraryRecord: fc.Arbitrary<SenderKeyRecord> = fc
  .uniqueArray(arbitraryState, { selector: (s) => s.keyId, maxLength: 5 })
  .map((states) => ({ states }));

describe('sender-key record format 1', () => {
  it('stores an empty record as the version byte alone', () => {
    expect(hex(encodeSenderKeyRecord(emptySenderKeyRecord()))).toBe('01');
    expect(decodeSenderKeyRecord(unhex('01'))).toEqual({ states: [] });
  });

  it('lays out a record field by field as documented', () => {
    const record: SenderKeyRecord = {
      states: [
        state(7, {
          signingPrivateKey: filled(32, 0xdd),
          skippedKeys: [{ iteration: 3, seed: filled(32, 0xee) }],
        }),
        state(300, { iteration: 0 }),
      ],
    };
    const own = `0807 1005 1a20${'cc'.repeat(32)} 2221 05${'07'.repeat(32)} 2a20${'dd'.repeat(32)} 3224 00000003${'ee'.repeat(32)}`;
    const received = `08ac02 1000 1a20${'cc'.repeat(32)} 2221 05${'2c'.repeat(32)}`;
    const ownLength = unhex(own).length.toString(16);
    const receivedLength = unhex(received).length.toString(16);
    expect(hex(encodeSenderKeyRecord(record))).toBe(
      `01 0a${ownLength}01 ${own} 12${receivedLength} ${received}`.replaceAll(' ', ''),
    );
  });

  it('decodes what it encodes, and re-encodes it to the same bytes', () => {
    fc.assert(
      fc.property(arbitraryRecord, (record) => {
        const bytes = encodeSenderKeyRecord(record);
        expect(bytes[0]).toBe(1);
        const decoded = decodeSenderKeyRecord(bytes);
        expect(decoded).toStrictEqual(record);
        expect(encodeSenderKeyRecord(decoded)).toEqual(bytes);
      }),
    );
  });

  it('keeps 2000 skipped keys in a state', () => {
    const skippedKeys = Array.from({ length: SENDER_KEY_MAX_SKIPPED_KEYS }, (_, i) => ({
      iteration: i,
      seed: filled(32, i),
    }));
    const record = { states: [state(1, { iteration: 2000, skippedKeys })] };
    expect(decodeSenderKeyRecord(encodeSenderKeyRecord(record))).toStrictEqual(record);
  });

  it('shares no memory with the bytes it decodes', () => {
    const record = {
      states: [
        state(9, { signingPrivateKey: filled(32, 1), skippedKeys: [{ iteration: 1, seed: filled(32, 2) }] }),
      ],
    };
    const bytes = encodeSenderKeyRecord(record);
    const decoded = decodeSenderKeyRecord(Buffer.from(bytes));
    const again = decodeSenderKeyRecord(bytes);
    bytes.fill(0xff);
    expect(decoded).toStrictEqual(record);
    expect(again).toStrictEqual(record);
  });

  const valid = hex(encodeSenderKeyRecord({ states: [state(1)] })).slice(2);
  const stateBody = (fields: string) => {
    const body = unhex(fields);
    return `0a${body.length.toString(16).padStart(2, '0')}${hex(body)}`;
  };
  const base = `0801 1005 1a20${'cc'.repeat(32)} 2221 05${'01'.repeat(32)}`;
  it.each([
    ['empty bytes', ''],
    ['format version 0', `00${valid}`],
    ['format version 2', `02${valid}`],
    ['a truncated protobuf', `01${valid.slice(0, -2)}`],
    ['a state field holding a varint', '01 0801'],
    ['a gap between state fields', `01 ${stateBody(base)} 1a00`],
    ['two states with one key id', `01 ${stateBody(base)} 12${valid.slice(2)}`],
    ['a state without its chain key', `01 ${stateBody(`0801 1005 2221 05${'01'.repeat(32)}`)}`],
    ['a 31-byte chain key', `01 ${stateBody(`0801 1005 1a1f${'cc'.repeat(31)} 2221 05${'01'.repeat(32)}`)}`],
    [
      'a signing key without 0x05',
      `01 ${stateBody(`0801 1005 1a20${'cc'.repeat(32)} 2221 06${'01'.repeat(32)}`)}`,
    ],
    ['a 31-byte private key', `01 ${stateBody(`${base} 2a1f${'dd'.repeat(31)}`)}`],
    ['a skipped-keys field of 35 bytes', `01 ${stateBody(`${base} 3223 000000${'ee'.repeat(32)}`)}`],
    ['a skipped key at the chain iteration', `01 ${stateBody(`${base} 3224 00000005${'ee'.repeat(32)}`)}`],
    [
      'skipped keys out of order',
      `01 ${stateBody(`${base} 3248 00000002${'ee'.repeat(32)} 00000001${'ee'.repeat(32)}`)}`,
    ],
  ])('refuses %s with RecordFormatError', (_, bytes) => {
    expect(() => decodeSenderKeyRecord(unhex(bytes))).toThrow(RecordFormatError);
  });

  it('refuses more than 2000 skipped keys in a state', () => {
    const skippedKeys = Array.from({ length: 2001 }, (_, i) => ({ iteration: i, seed: filled(32, 1) }));
    // The encoder takes what it is given; the decoder holds the bound.
    const bytes = encodeSenderKeyRecord({ states: [state(1, { iteration: 3000, skippedKeys })] });
    expect(() => decodeSenderKeyRecord(bytes)).toThrow(RecordFormatError);
  });

  it('throws nothing but RecordFormatError, whatever the bytes', () => {
    fc.assert(
      fc.property(
        arbitraryRecord,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (record, flips, cut) => {
          const bytes = encodeSenderKeyRecord(record);
          for (const [at, xor] of flips) bytes[at % bytes.length]! ^= xor;
          for (const candidate of [bytes, bytes.subarray(0, cut % (bytes.length + 1))]) {
            try {
              decodeSenderKeyRecord(candidate);
            } catch (error) {
              expect(error).toBeInstanceOf(RecordFormatError);
              expect(isSignalError(error)).toBe(true);
            }
          }
        },
      ),
    );
  });
});

describe('adding a sender-key state', () => {
  const keyIds = (record: SenderKeyRecord) => record.states.map((s) => s.keyId);

  it('puts the new state first and keeps five at most, dropping the oldest', () => {
    let record = emptySenderKeyRecord();
    for (let id = 1; id <= 7; id++) record = addSenderKeyState(record, state(id));
    expect(keyIds(record)).toEqual([7, 6, 5, 4, 3]);
  });

  it('keeps a state it already has (same id and signing key) as it is, moved to the front', () => {
    const advanced = state(1, { iteration: 40, chainKey: filled(32, 0x11) });
    const record = addSenderKeyState(
      addSenderKeyState(addSenderKeyState(emptySenderKeyRecord(), advanced), state(2)),
      state(1),
    );
    expect(keyIds(record)).toEqual([1, 2]);
    expect(record.states[0]).toBe(advanced);
  });

  it('replaces a state with the same id but another signing key', () => {
    const first = addSenderKeyState(emptySenderKeyRecord(), state(1));
    const other = state(1, { signingKey: filled(32, 0x99) });
    expect(addSenderKeyState(first, other).states).toEqual([other]);
  });

  it('never changes the record it is given', () => {
    const record = Object.freeze({ states: Object.freeze([state(1), state(2)]) });
    const before = encodeSenderKeyRecord(record);
    addSenderKeyState(record, state(3));
    addSenderKeyState(record, state(1));
    expect(encodeSenderKeyRecord(record)).toEqual(before);
  });
});
