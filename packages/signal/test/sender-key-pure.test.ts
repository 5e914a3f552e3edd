/**
 * The pure layer under GroupCipher and GroupSessionBuilder: records in, records out, inputs never
 * changed, so a caller can batch persistence (decrypt a backlog, store once) or run it inside its own
 * transaction.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Through the package entry, as users import it.
import {
  createSenderKeyDistributionMessage,
  decodeSenderKeyRecord,
  emptySenderKeyRecord,
  encodeSenderKeyRecord,
  groupDecrypt,
  groupEncrypt,
  NoSenderKeyError,
  processSenderKeyDistributionMessage,
  type SenderKeyRecord,
} from '../src/index';
import { PROVIDERS, permute, text, utf8 } from './sender-key-helpers';

/** Freezes a record all the way down (arrays, states, skipped keys), so any mutation throws. */
function deepFreeze(record: SenderKeyRecord): SenderKeyRecord {
  for (const state of record.states) {
    for (const key of state.skippedKeys) Object.freeze(key);
    Object.freeze(state.skippedKeys);
    Object.freeze(state);
  }
  Object.freeze(record.states);
  return Object.freeze(record);
}

describe.each(PROVIDERS)('the pure sender-key layer with %s', (_, crypto) => {
  it('creates a sender key from nothing, with a key id below 2^31, at iteration 0', async () => {
    const created = await createSenderKeyDistributionMessage(undefined, { crypto });
    expect(created.created).toBe(true);
    expect(created.message.iteration).toBe(0);
    expect(created.message.keyId).toBeLessThan(2 ** 31);
    expect(created.record.states.length).toBe(1);
    expect(created.record.states[0]!.signingPrivateKey).toHaveLength(32);
    expect(created.record.states[0]!.signingKey).toEqual(
      await crypto.publicKeyOf(created.record.states[0]!.signingPrivateKey!),
    );
  });

  it('returns the same record, unchanged, when our sender key exists', async () => {
    const { record } = await createSenderKeyDistributionMessage(undefined, { crypto });
    const again = await createSenderKeyDistributionMessage(deepFreeze(record), { crypto });
    expect(again.created).toBe(false);
    expect(again.record).toBe(record);
  });

  it('creates a key of its own in front when the newest state is not ours', async () => {
    const theirs = await createSenderKeyDistributionMessage(undefined, { crypto });
    const received = processSenderKeyDistributionMessage(undefined, theirs.message.serialized);
    const ours = await createSenderKeyDistributionMessage(deepFreeze(received), { crypto });
    expect(ours.created).toBe(true);
    expect(ours.record.states.map((s) => s.keyId)).toEqual([ours.message.keyId, theirs.message.keyId]);
    await expect(groupEncrypt(received, utf8('x'), { crypto })).rejects.toBeInstanceOf(NoSenderKeyError);
    expect((await groupEncrypt(ours.record, utf8('x'), { crypto })).ciphertext.length).toBeGreaterThan(64);
  });

  it('never changes the records it is given, whatever it is asked to do', async () => {
    const sender = await createSenderKeyDistributionMessage(undefined, { crypto });
    let senderRecord = sender.record;
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await groupEncrypt(deepFreeze(senderRecord), utf8(`m${i}`), { crypto });
      senderRecord = result.record;
      messages.push(result.ciphertext);
    }
    const start = deepFreeze(processSenderKeyDistributionMessage(undefined, sender.message));
    const startBytes = encodeSenderKeyRecord(start);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), async (keys) => {
        let record = start;
        for (const message of permute(messages, keys)) {
          const result = await groupDecrypt(deepFreeze(record), message, { crypto });
          const rejected = await groupDecrypt(deepFreeze(result.record), message, { crypto }).catch(
            () => 'rejected',
          );
          expect(rejected).toBe('rejected');
          record = result.record;
        }
        expect(encodeSenderKeyRecord(start)).toEqual(startBytes);
      }),
      { numRuns: 5 },
    );
  });

  it('names the key id it lacks when a record has no state for a message', async () => {
    const sender = await createSenderKeyDistributionMessage(undefined, { crypto });
    const { ciphertext } = await groupEncrypt(sender.record, utf8('x'), { crypto });
    for (const record of [undefined, emptySenderKeyRecord()]) {
      const error = await groupDecrypt(record, ciphertext, { crypto }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoSenderKeyError);
      expect((error as Error).message).toContain(`${sender.message.keyId}`);
    }
  });

  it('lets a caller decrypt a backlog and persist once', async () => {
    const sender = await createSenderKeyDistributionMessage(undefined, { crypto });
    let senderRecord = sender.record;
    const backlog: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await groupEncrypt(senderRecord, utf8(`offline ${i}`), { crypto });
      senderRecord = result.record;
      backlog.push(result.ciphertext);
    }
    let stored = encodeSenderKeyRecord(
      processSenderKeyDistributionMessage(undefined, sender.message.serialized),
    );
    let record = decodeSenderKeyRecord(stored);
    const plaintexts: string[] = [];
    for (const message of backlog.reverse()) {
      const result = await groupDecrypt(record, message, { crypto });
      record = result.record;
      plaintexts.push(text(result.plaintext));
    }
    stored = encodeSenderKeyRecord(record);
    expect(plaintexts).toEqual(['offline 4', 'offline 3', 'offline 2', 'offline 1', 'offline 0']);
    expect(decodeSenderKeyRecord(stored).states[0]!).toMatchObject({ iteration: 5, skippedKeys: [] });
  });
});
