/**
 * The bounds of `session-state.ts`, each pinned at its edge: the forward jump (2000 by default,
 * configurable), the skipped message keys kept per chain (2000), the receiving chains kept per
 * session (5) and the archived sessions kept per address (40). Long runs of messages are made with
 * the pure layer, which needs no store round trip per message.
 */
import { describe, expect, it } from 'vitest';
import { BadMacError, DuplicateMessageError, MissingPreKeyError, TooFarInFutureError } from '../src/errors';
import { type EncryptedMessage, encryptWithRecord } from '../src/record-cipher';
import { SessionRecord } from '../src/session-record';
import { MAX_ARCHIVED_STATES, MAX_FORWARD_JUMP, MAX_MESSAGE_KEYS } from '../src/session-state';
import {
  deliver,
  hex,
  type Party,
  partiesIn,
  SESSION_SETUPS,
  storedSession,
  text,
  utf8,
} from './session-helpers';

async function established(alice: Party, bob: Party): Promise<void> {
  await alice.builderFor(bob).processPreKeyBundle(bob.bundle(false));
  await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('hello')));
  await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8('hi')));
}

/** `count` messages from `from` to `to` on `from`'s current chain, stored once at the end. */
async function burst(from: Party, to: Party, count: number): Promise<EncryptedMessage[]> {
  let record = SessionRecord.deserialize(storedSession(from, to)!);
  const messages: EncryptedMessage[] = [];
  for (let i = 0; i < count; i++) {
    const step = await encryptWithRecord(record, utf8(`#${i}`), { crypto: from.crypto });
    messages.push(step.message);
    record = step.record;
  }
  await from.store.storeSession(to.address.toString(), record.serialize());
  return messages;
}

for (const [name, crypto, storeKind] of SESSION_SETUPS) {
  const createParty = partiesIn(storeKind);
  describe(`session limits (${name})`, () => {
    it(`decrypts a message ${MAX_FORWARD_JUMP} past the next expected one, refuses one further, and allows a raised limit`, async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const messages = await burst(alice, bob, MAX_FORWARD_JUMP + 2);
      const before = storedSession(bob, alice);
      await expect(deliver(bob, alice, messages[MAX_FORWARD_JUMP + 1]!)).rejects.toThrow(TooFarInFutureError);
      expect(hex(storedSession(bob, alice)!)).toBe(hex(before!));
      expect(
        text(
          await deliver(bob, alice, messages[MAX_FORWARD_JUMP + 1]!, {
            maxForwardJump: MAX_FORWARD_JUMP + 1,
          }),
        ),
      ).toBe(`#${MAX_FORWARD_JUMP + 1}`);

      const carol = await createParty('carol', crypto);
      const dave = await createParty('dave', crypto);
      await established(carol, dave);
      const exact = await burst(carol, dave, MAX_FORWARD_JUMP + 1);
      expect(text(await deliver(dave, carol, exact[MAX_FORWARD_JUMP]!))).toBe(`#${MAX_FORWARD_JUMP}`);
      expect(text(await deliver(dave, carol, exact[0]!))).toBe('#0');
    });

    it(`keeps the newest ${MAX_MESSAGE_KEYS} skipped message keys of a chain`, async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const extra = 400;
      const messages = await burst(alice, bob, MAX_MESSAGE_KEYS + extra + 1);
      await deliver(bob, alice, messages[MAX_MESSAGE_KEYS + extra]!, {
        maxForwardJump: MAX_MESSAGE_KEYS + extra,
      });
      const record = SessionRecord.deserialize(storedSession(bob, alice)!);
      const keys = [...record.current!.receiverChains.at(-1)!.messageKeys.keys()];
      expect(keys).toHaveLength(MAX_MESSAGE_KEYS);
      expect(keys[0]).toBe(extra);
      await expect(deliver(bob, alice, messages[extra - 1]!)).rejects.toThrow(DuplicateMessageError);
      expect(text(await deliver(bob, alice, messages[extra]!))).toBe(`#${extra}`);
      expect(text(await deliver(bob, alice, messages[MAX_MESSAGE_KEYS + extra - 1]!))).toBe(
        `#${MAX_MESSAGE_KEYS + extra - 1}`,
      );
    });

    /** Alice holds back a message, then the two take `turns` DH ratchet turns. */
    async function heldThroughTurns(
      turns: number,
    ): Promise<{ alice: Party; bob: Party; held: EncryptedMessage }> {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await established(alice, bob);
      const held = await alice.cipherFor(bob).encrypt(utf8('held back'));
      for (let i = 0; i < turns; i++) {
        await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8(`a${i}`)));
        await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8(`b${i}`)));
      }
      return { alice, bob, held };
    }

    it('reads a late message while its chain is among the 5 receiving chains kept, and not after', async () => {
      const kept = await heldThroughTurns(5);
      expect(
        SessionRecord.deserialize(storedSession(kept.bob, kept.alice)!).current!.receiverChains,
      ).toHaveLength(5);
      expect(text(await deliver(kept.bob, kept.alice, kept.held))).toBe('held back');

      const dropped = await heldThroughTurns(6);
      const before = storedSession(dropped.bob, dropped.alice);
      await expect(deliver(dropped.bob, dropped.alice, dropped.held)).rejects.toThrow(BadMacError);
      expect(hex(storedSession(dropped.bob, dropped.alice)!)).toBe(hex(before!));
    });

    it(`keeps ${MAX_ARCHIVED_STATES} archived sessions per address and still reads them, dropping older ones`, async () => {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto, MAX_ARCHIVED_STATES + 2);
      const late: EncryptedMessage[] = [];
      for (let i = 0; i <= MAX_ARCHIVED_STATES + 1; i++) {
        await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
        await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8(`start ${i}`)));
        late.push(await alice.cipherFor(bob).encrypt(utf8(`late ${i}`)));
      }
      const record = SessionRecord.deserialize(storedSession(bob, alice)!);
      expect(record.previousStates).toHaveLength(MAX_ARCHIVED_STATES);
      // Sessions 0 and 1 were dropped; 2..41 are kept (41 is the open one). A dropped session's
      // pkmsg would start the session over, but its one-time prekey is gone.
      await expect(deliver(bob, alice, late[0]!)).rejects.toThrow(MissingPreKeyError);
      expect(text(await deliver(bob, alice, late[2]!))).toBe('late 2');
      expect(text(await deliver(bob, alice, late[MAX_ARCHIVED_STATES + 1]!))).toBe(
        `late ${MAX_ARCHIVED_STATES + 1}`,
      );
    });
  });
}
