/**
 * Properties of sessions under adversarial delivery (fast-check), on both providers:
 *
 * - Delivery in any order: conversations with DH ratchet turns from both sides, messages delivered
 *   in a random interleaving. A model predicts each outcome: a message decrypts exactly when its
 *   ratchet key is new to the receiver or among the last MAX_RECEIVER_CHAINS keys it has seen
 *   (the window); otherwise it is refused with BadMacError and the stored session is unchanged.
 *   Replays are refused (DuplicateMessageError inside the window) and change nothing.
 * - Tampering: no modified `msg` and no `pkmsg` with a modified authenticated part (inner message,
 *   base key, identity key) decrypts, whether it starts a session or continues one Bob has, and
 *   none changes the stored session or identities or removes a prekey.
 *   Arbitrary changes to a `pkmsg` either fail the same way or decrypt to the original plaintext:
 *   Signal does not authenticate the registration id, or the prekey ids once the session exists.
 * - Wrong keys: a message of another session is refused and changes nothing.
 *
 * Generators avoid nothing on purpose except, for speed, long conversations (at most 80 actions of
 * at most 3 messages) and large plaintexts (at most 64 bytes: AES-CBC is not what is under test).
 */
import type { CryptoProvider } from '@wakit/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePreKeySignalMessage, encodePreKeySignalMessage } from '../src/_prekey-signal-message';
import { decodeSignalMessage } from '../src/_signal-message';
import { BadMacError, DuplicateMessageError, isSignalError } from '../src/errors';
import { serializePublicKey } from '../src/public-key';
import { MAX_RECEIVER_CHAINS } from '../src/session-state';
import { createParty, deliver, hex, type Party, PROVIDERS, storedSession, utf8 } from './session-helpers';

interface InFlight {
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
  plaintext: Uint8Array;
  ratchetKey: string;
}

type Action =
  | { kind: 'send'; from: 0 | 1; count: number; body: Uint8Array }
  | { kind: 'deliver'; to: 0 | 1; pick: number | 'newest' };

/**
 * Sends and deliveries; a delivery takes a random in-flight message or the newest one, so that
 * some messages linger through many ratchet turns and fall out of the window.
 */
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    from: fc.constantFrom(0 as const, 1 as const),
    count: fc.integer({ min: 1, max: 3 }),
    body: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant('deliver' as const),
    to: fc.constantFrom(0 as const, 1 as const),
    pick: fc.oneof(fc.nat(), fc.constant('newest' as const)),
  }),
);

function ratchetKeyOf(message: { type: 'pkmsg' | 'msg'; ciphertext: Uint8Array }): string {
  const inner =
    message.type === 'pkmsg'
      ? decodePreKeySignalMessage(message.ciphertext).message
      : decodeSignalMessage(message.ciphertext);
  return hex(inner.ratchetKey);
}

/** The receiver's view in the model: the peer ratchet keys it has seen, in order. */
function inWindow(seen: string[], key: string): boolean {
  const index = seen.indexOf(key);
  return index < 0 || index >= seen.length - MAX_RECEIVER_CHAINS;
}

const runs = (name: string, noble: number, node: number): number => (name === 'noble' ? noble : node);

/**
 * Alice and Bob (a session Alice started from Bob's bundle), the messages in flight to each, and
 * the model: every delivery is checked against `inWindow`.
 */
class Conversation {
  readonly inFlight: InFlight[][] = [[], []];
  private readonly seen: string[][] = [[], []];
  private readonly delivered: InFlight[][] = [[], []];
  private counter = 0;
  outOfWindow = 0;

  private constructor(readonly parties: readonly [Party, Party]) {}

  static async start(crypto: CryptoProvider): Promise<Conversation> {
    const alice = await createParty('alice', crypto);
    const bob = await createParty('bob', crypto);
    await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
    return new Conversation([alice, bob]);
  }

  /** `count` messages from `from`; false when it has no session yet (Bob before Alice's first). */
  async send(from: 0 | 1, count: number, body: Uint8Array): Promise<boolean> {
    const cipher = this.parties[from].cipherFor(this.parties[1 - from]!);
    if (!(await cipher.hasOpenSession())) return false;
    for (let i = 0; i < count; i++) {
      const plaintext = Uint8Array.of(...body, this.counter++ & 0xff);
      const message = await cipher.encrypt(plaintext);
      this.inFlight[1 - from]!.push({ ...message, plaintext, ratchetKey: ratchetKeyOf(message) });
    }
    return true;
  }

  /** Delivers one in-flight message to `to` (the newest, or by `pick`) and checks the outcome. */
  async receive(to: 0 | 1, pick: number | 'newest'): Promise<void> {
    const queue = this.inFlight[to]!;
    if (queue.length === 0) return;
    const [message] = queue.splice(pick === 'newest' ? -1 : pick % queue.length, 1);
    const receiver = this.parties[to];
    const sender = this.parties[1 - to]!;
    const seen = this.seen[to]!;
    const before = storedSession(receiver, sender);
    if (inWindow(seen, message!.ratchetKey)) {
      expect(hex(await deliver(receiver, sender, message!))).toBe(hex(message!.plaintext));
      if (!seen.includes(message!.ratchetKey)) seen.push(message!.ratchetKey);
      this.delivered[to]!.push(message!);
    } else {
      this.outOfWindow++;
      await expect(deliver(receiver, sender, message!)).rejects.toThrow(BadMacError);
      expect(hex(storedSession(receiver, sender)!)).toBe(hex(before!));
    }
  }

  /** Everything still in flight arrives, in the order `order` gives. */
  async drain(order: number[]): Promise<void> {
    for (let i = 0; this.inFlight[0]!.length + this.inFlight[1]!.length > 0; i++) {
      const pick = order.length > 0 ? order[i % order.length]! : 0;
      let to = ((pick + i) % 2) as 0 | 1;
      if (this.inFlight[to]!.length === 0) to = (1 - to) as 0 | 1;
      await this.receive(to, pick);
    }
  }

  /** Replays one delivered message to each side: a duplicate inside the window, nobody's outside. */
  async replay(pick: number): Promise<void> {
    for (const to of [0, 1] as const) {
      const list = this.delivered[to]!;
      if (list.length === 0) continue;
      const message = list[pick % list.length]!;
      const receiver = this.parties[to];
      const sender = this.parties[1 - to]!;
      const before = storedSession(receiver, sender);
      await expect(deliver(receiver, sender, message)).rejects.toThrow(
        inWindow(this.seen[to]!, message.ratchetKey) ? DuplicateMessageError : BadMacError,
      );
      expect(hex(storedSession(receiver, sender)!)).toBe(hex(before!));
    }
  }
}

/**
 * Conversations made of turns: the side whose turn it is sends 1..3 messages, the other side gets
 * one of them at once (so the next turn ratchets) and the rest stay in flight, while some earlier
 * held messages arrive. Up to 12 turns, so held messages regularly outlive the window.
 */
const turns = fc.array(
  fc.record({
    count: fc.integer({ min: 1, max: 3 }),
    now: fc.nat(),
    late: fc.array(fc.nat(), { maxLength: 2 }),
    body: fc.uint8Array({ maxLength: 16 }),
  }),
  { minLength: 1, maxLength: 12 },
);

for (const [name, crypto] of PROVIDERS) {
  describe(`session properties (${name})`, () => {
    it('decrypts every message within the window in any delivery order, refuses the rest and all replays without changing state', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(action, { minLength: 10, maxLength: 80 }),
          fc.array(fc.nat(), { maxLength: 60 }),
          async (actions, order) => {
            const talk = await Conversation.start(crypto);
            for (const step of actions) {
              if (step.kind === 'send') await talk.send(step.from, step.count, step.body);
              else await talk.receive(step.to, step.pick);
            }
            await talk.drain(order);
            await talk.replay(order[0] ?? 0);
          },
        ),
        { numRuns: runs(name, 15, 40) },
      );
    });

    it('refuses exactly the messages whose chain left the window as DH ratchet turns pile up', async () => {
      let outOfWindow = 0;
      await fc.assert(
        fc.asyncProperty(turns, fc.array(fc.nat(), { maxLength: 30 }), async (plan, order) => {
          const talk = await Conversation.start(crypto);
          for (const [index, turn] of plan.entries()) {
            const from = (index % 2) as 0 | 1;
            const to = (1 - from) as 0 | 1;
            await talk.send(from, turn.count, turn.body);
            const fresh = talk.inFlight[to]!.length - turn.count;
            await talk.receive(to, fresh + (turn.now % turn.count));
            for (const pick of turn.late) await talk.receive(pick % 2 === 0 ? 0 : 1, pick);
          }
          await talk.drain(order);
          await talk.replay(order[0] ?? 0);
          outOfWindow += talk.outOfWindow;
        }),
        {
          numRuns: runs(name, 20, 40),
          // Twelve turns of two messages, the first of each held to the end: Alice's first chain is
          // six chains old by then, so at least that run reaches the edge of the window.
          examples: [
            [Array.from({ length: 12 }, () => ({ count: 2, now: 1, late: [], body: new Uint8Array(0) })), []],
          ],
        },
      );
      expect(outOfWindow).toBeGreaterThan(0);
    });

    /** A session where Alice's next pkmsg or msg to Bob is ready, and Bob's stored state before it. */
    /**
     * Alice's message under attack: a `msg` when `established`, else a `pkmsg`, for a session Bob
     * already has when `sessionAtBob` (he read her first pkmsg but has not answered).
     */
    async function pending(
      established: boolean,
      sessionAtBob = established,
    ): Promise<{ alice: Party; bob: Party; message: InFlight }> {
      const alice = await createParty('alice', crypto);
      const bob = await createParty('bob', crypto);
      await alice.builderFor(bob).processPreKeyBundle(bob.bundle());
      if (sessionAtBob) await deliver(bob, alice, await alice.cipherFor(bob).encrypt(utf8('hello')));
      if (established) await deliver(alice, bob, await bob.cipherFor(alice).encrypt(utf8('hi')));
      const plaintext = utf8('the one under attack');
      const sent = await alice.cipherFor(bob).encrypt(plaintext);
      expect(sent.type).toBe(established ? 'msg' : 'pkmsg');
      return { alice, bob, message: { ...sent, plaintext, ratchetKey: ratchetKeyOf(sent) } };
    }

    /** Bob's stored session, identities and prekeys, to compare before and after. */
    const snapshot = (bob: Party, alice: Party) =>
      [
        hex(storedSession(bob, alice) ?? new Uint8Array()),
        [...bob.store.identities].map(([address, key]) => `${address}=${hex(key)}`).join(','),
        [...bob.store.preKeys.keys()].join(','),
      ].join('|');

    type Mutation = (bytes: Uint8Array) => Uint8Array;
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc
        .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 })
        .map((flips) => (bytes: Uint8Array) => {
          const out = bytes.slice();
          for (const [at, mask] of flips) out[at % out.length]! ^= mask;
          // Two flips of one byte may cancel out; force a difference at the first position.
          if (hex(out) === hex(bytes)) out[flips[0]![0] % out.length]! ^= 0x80;
          return out;
        }),
      fc.nat().map((cut) => (bytes: Uint8Array) => bytes.slice(0, cut % bytes.length)),
      fc
        .uint8Array({ minLength: 1, maxLength: 16 })
        .map((extra) => (bytes: Uint8Array) => Uint8Array.of(...bytes, ...extra)),
      fc.uint8Array({ maxLength: 200 }).map((random) => () => random),
    );

    it('never decrypts a tampered msg, and a failed decrypt changes nothing', async () => {
      const { alice, bob, message } = await pending(true);
      await fc.assert(
        fc.asyncProperty(mutation, async (mutate) => {
          const before = snapshot(bob, alice);
          const tampered = mutate(message.ciphertext);
          fc.pre(hex(tampered) !== hex(message.ciphertext));
          await expect(bob.cipherFor(alice).decryptMessage(tampered)).rejects.toSatisfy(isSignalError);
          expect(snapshot(bob, alice)).toBe(before);
        }),
        { numRuns: runs(name, 150, 300) },
      );
      expect(hex(await deliver(bob, alice, message))).toBe(hex(message.plaintext));
    });

    for (const sessionAtBob of [false, true]) {
      const which = sessionAtBob ? 'for a session Bob has' : 'starting a session';
      it(`never decrypts a pkmsg ${which} whose inner message, base key or identity key was tampered with`, async () => {
        const { alice, bob, message } = await pending(false, sessionAtBob);
        const decoded = decodePreKeySignalMessage(message.ciphertext);
        const part = fc.constantFrom('message' as const, 'baseKey' as const, 'identityKey' as const);
        await fc.assert(
          fc.asyncProperty(part, mutation, async (which, mutate) => {
            const fields = {
              preKeyId: decoded.preKeyId,
              signedPreKeyId: decoded.signedPreKeyId,
              baseKey: decoded.baseKey,
              identityKey: decoded.identityKey,
              registrationId: decoded.registrationId,
              message: decoded.message.serialized,
            };
            if (which === 'message') fields.message = mutate(fields.message);
            else if (which === 'baseKey')
              fields.baseKey = mutate(serializePublicKey(fields.baseKey)).subarray(1);
            else fields.identityKey = mutate(fields.identityKey);
            fc.pre(fields[which].length === (which === 'baseKey' ? 32 : fields[which].length));
            const tampered = encodePreKeySignalMessage(fields);
            fc.pre(hex(tampered) !== hex(message.ciphertext));
            const before = snapshot(bob, alice);
            await expect(bob.cipherFor(alice).decryptPreKeyMessage(tampered)).rejects.toSatisfy(
              isSignalError,
            );
            expect(snapshot(bob, alice)).toBe(before);
          }),
          { numRuns: runs(name, 100, 200) },
        );
        expect(hex(await deliver(bob, alice, message))).toBe(hex(message.plaintext));
      });
    }

    it('decrypts an arbitrarily changed pkmsg only to its original plaintext, and changes nothing when it refuses it', async () => {
      const { alice, bob, message } = await pending(false);
      await fc.assert(
        fc.asyncProperty(mutation, async (mutate) => {
          const tampered = mutate(message.ciphertext);
          const before = snapshot(bob, alice);
          const saved = new Map(bob.store.sessions);
          const preKeys = new Map(bob.store.preKeys);
          try {
            const result = await bob.cipherFor(alice).decryptPreKeyMessage(tampered);
            expect(hex(result.plaintext)).toBe(hex(message.plaintext));
            // Undo the success so that every run starts from the same state.
            bob.store.sessions.clear();
            for (const [k, v] of saved) bob.store.sessions.set(k, v);
            for (const [k, v] of preKeys) bob.store.preKeys.set(k, v);
          } catch (error) {
            expect(isSignalError(error), String(error)).toBe(true);
            expect(snapshot(bob, alice)).toBe(before);
          }
        }),
        { numRuns: runs(name, 150, 300) },
      );
    });

    it("refuses another session's message (wrong keys) and changes nothing", async () => {
      const { alice, bob } = await pending(true);
      const carol = await createParty('carol', crypto);
      await carol.builderFor(bob).processPreKeyBundle(bob.bundle());
      await deliver(bob, carol, await carol.cipherFor(bob).encrypt(utf8('hi bob')));
      await deliver(carol, bob, await bob.cipherFor(carol).encrypt(utf8('hi carol')));
      for (const message of [await carol.cipherFor(bob).encrypt(utf8('for bob, from carol'))]) {
        const before = snapshot(bob, alice);
        await expect(bob.cipherFor(alice).decryptMessage(message.ciphertext)).rejects.toThrow(BadMacError);
        expect(snapshot(bob, alice)).toBe(before);
      }
      // Alice's pkmsg to Carol, delivered to Bob as if for him: Bob has no such prekey pair.
      await alice.builderFor(carol).processPreKeyBundle(carol.bundle());
      const misrouted = await alice.cipherFor(carol).encrypt(utf8('for carol'));
      const before = snapshot(bob, alice);
      await expect(bob.cipherFor(alice).decryptPreKeyMessage(misrouted.ciphertext)).rejects.toSatisfy(
        isSignalError,
      );
      expect(snapshot(bob, alice)).toBe(before);
    });
  });
}
