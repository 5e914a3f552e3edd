/**
 * Interop with npm `libsignal@6.0.0` (WhiskeySockets/libsignal-node, the Signal implementation
 * Baileys runs for WhatsApp), with real peers on both sides: sessions started by either side from
 * the other's prekey bundle (with and without a one-time prekey), then long conversations in both
 * directions with DH ratchet turns and out-of-order delivery, every plaintext compared.
 *
 * libsignal-node keeps its records as objects behind its storage interface; the adapter
 * (`libsignal-node.ts`) keeps them as JSON, as a persistent store must, so its state also survives
 * a round trip every message. Its trust check always passes (Baileys' store does the same).
 *
 * Delivery: each turn one side sends 1..5 messages, one of which arrives at once (so the next reply
 * ratchets), the others are held and arrive later in random order, at most three turns late; that
 * keeps every message inside our window of 5 receiving chains (libsignal-node has no such bound).
 */
import type { CryptoProvider } from '@wakit/crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ProtocolAddress } from '../src/address';
import { generateIdentityKeyPair, generateRegistrationId, generateSignedPreKey } from '../src/keys';
import { serializePublicKey } from '../src/public-key';
import { SessionBuilder } from '../src/session-builder';
import { SessionCipher } from '../src/session-cipher';
import { libsignal, NodeStore } from './libsignal-node';
import { hex, PROVIDERS, RecordingStore } from './session-helpers';

interface Wire {
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
  plaintext: Uint8Array;
}

/** One side of the conversation, whatever implements it. */
interface Endpoint {
  name: string;
  encrypt(plaintext: Uint8Array): Promise<Wire>;
  decrypt(message: Wire): Promise<Uint8Array>;
}

/** Our device (wakit.1) and libsignal-node's (node.2), each with the other's address. */
async function pair(crypto: CryptoProvider) {
  const identity = await generateIdentityKeyPair(crypto);
  const store = new RecordingStore(identity, generateRegistrationId(crypto));
  const signed = await generateSignedPreKey(identity, 5, crypto);
  store.addSignedPreKey(signed.keyId, signed.keyPair);
  const nodeStore = new NodeStore();
  const nodeAddress = new ProtocolAddress('node', 2);
  const ourAddress = new libsignal.ProtocolAddress('wakit', 1);
  const cipher = new SessionCipher(store, nodeAddress, { crypto });
  const nodeCipher = new libsignal.SessionCipher(nodeStore, ourAddress);

  const ours: Endpoint = {
    name: 'wakit',
    encrypt: async (plaintext) => ({ ...(await cipher.encrypt(plaintext)), plaintext }),
    decrypt: async (message) =>
      (message.type === 'pkmsg'
        ? await cipher.decryptPreKeyMessage(message.ciphertext)
        : await cipher.decryptMessage(message.ciphertext)
      ).plaintext,
  };
  const theirs: Endpoint = {
    name: 'libsignal',
    encrypt: async (plaintext) => {
      const sent = await nodeCipher.encrypt(Buffer.from(plaintext));
      return { type: sent.type === 3 ? 'pkmsg' : 'msg', ciphertext: new Uint8Array(sent.body), plaintext };
    },
    decrypt: async (message) =>
      new Uint8Array(
        message.type === 'pkmsg'
          ? await nodeCipher.decryptPreKeyWhisperMessage(Buffer.from(message.ciphertext))
          : await nodeCipher.decryptWhisperMessage(Buffer.from(message.ciphertext)),
      ),
  };

  let nextPreKey = 1;
  return {
    store,
    nodeStore,
    ours,
    theirs,
    /** We start, from libsignal-node's bundle. */
    weStart: (withPreKey: boolean) =>
      new SessionBuilder(store, nodeAddress, { crypto }).processPreKeyBundle(nodeStore.bundle(withPreKey)),
    /** libsignal-node starts, from our bundle. */
    theyStart: async (withPreKey: boolean) => {
      const preKey = withPreKey ? await crypto.generateKeyPair() : undefined;
      const preKeyId = nextPreKey++;
      if (preKey) store.addPreKey(preKeyId, preKey);
      await new libsignal.SessionBuilder(nodeStore, ourAddress).initOutgoing({
        registrationId: await store.getLocalRegistrationId(),
        deviceId: 1,
        identityKey: Buffer.from(serializePublicKey(identity.publicKey)),
        signedPreKey: {
          keyId: signed.keyId,
          publicKey: Buffer.from(serializePublicKey(signed.keyPair.publicKey)),
          signature: Buffer.from(signed.signature),
        },
        preKey: preKey && { keyId: preKeyId, publicKey: Buffer.from(serializePublicKey(preKey.publicKey)) },
      });
    },
  };
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

/**
 * Runs a conversation of about `total` messages; returns how many each side decrypted. The first
 * turn belongs to `first` (the side that started the session).
 */
async function converse(
  first: Endpoint,
  second: Endpoint,
  total: number,
  seed: number,
): Promise<[number, number]> {
  const random = prng(seed);
  const sides = [first, second] as const;
  const held: { wire: Wire; to: 0 | 1; turn: number }[] = [];
  const received: [number, number] = [0, 0];
  const arrive = async (item: { wire: Wire; to: 0 | 1 }) => {
    const plaintext = await sides[item.to].decrypt(item.wire);
    expect(hex(plaintext), `${sides[1 - item.to]!.name} -> ${sides[item.to].name}`).toBe(
      hex(item.wire.plaintext),
    );
    received[item.to]++;
  };
  let sent = 0;
  let from: 0 | 1 = 0;
  for (let turn = 0; sent < total; turn++) {
    const to = (1 - from) as 0 | 1;
    const batch: Wire[] = [];
    for (let n = 1 + random(5); n > 0; n--, sent++) {
      const plaintext = new Uint8Array(random(200));
      for (let i = 0; i < plaintext.length; i++) plaintext[i] = random(256);
      batch.push(await sides[from].encrypt(plaintext));
    }
    const now = random(batch.length);
    batch.forEach((wire, i) => {
      if (i !== now) held.push({ wire, to, turn });
    });
    await arrive({ wire: batch[now]!, to });
    // Some held messages arrive now, in random order; none more than three turns late.
    for (let i = held.length - 1; i >= 0; i--) {
      if (held[i]!.turn <= turn - 3 || random(3) === 0) {
        const [item] = held.splice(i, 1);
        await arrive(item!);
      }
    }
    // Usually the other side answers (a DH ratchet turn); sometimes the same side goes on.
    if (random(4) !== 0) from = to;
  }
  while (held.length > 0) await arrive(held.splice(random(held.length), 1)[0]!);
  return received;
}

beforeAll(() => {
  // libsignal-node narrates session changes on the console.
  vi.spyOn(console, 'info').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

const MESSAGES: Record<string, number> = { noble: 500, node: 2000 };

for (const [name, crypto] of PROVIDERS) {
  describe(`interop with libsignal@6.0.0 (${name})`, () => {
    for (const withPreKey of [true, false]) {
      const opk = withPreKey ? 'with' : 'without';

      it(`libsignal-node reads our pkmsg and answers (${opk} a one-time prekey)`, async () => {
        const p = await pair(crypto);
        await p.weStart(withPreKey);
        const first = await p.ours.encrypt(new TextEncoder().encode('hello from wakit'));
        expect(first.type).toBe('pkmsg');
        expect(new TextDecoder().decode(await p.theirs.decrypt(first))).toBe('hello from wakit');
        expect(p.nodeStore.preKeys.size).toBe(0);
        const reply = await p.theirs.encrypt(new TextEncoder().encode('hello from libsignal'));
        expect(reply.type).toBe('msg');
        expect(new TextDecoder().decode(await p.ours.decrypt(reply))).toBe('hello from libsignal');
        expect((await p.ours.encrypt(new Uint8Array(1))).type).toBe('msg');
      });

      it(`we read libsignal-node's pkmsg and answer (${opk} a one-time prekey)`, async () => {
        const p = await pair(crypto);
        await p.theyStart(withPreKey);
        const first = await p.theirs.encrypt(new TextEncoder().encode('hello from libsignal'));
        expect(first.type).toBe('pkmsg');
        expect(new TextDecoder().decode(await p.ours.decrypt(first))).toBe('hello from libsignal');
        expect(p.store.preKeys.size).toBe(0);
        const reply = await p.ours.encrypt(new TextEncoder().encode('hello from wakit'));
        expect(reply.type).toBe('msg');
        expect(new TextDecoder().decode(await p.theirs.decrypt(reply))).toBe('hello from wakit');
      });
    }

    for (const starter of ['we', 'libsignal-node'] as const) {
      it(`exchanges ${MESSAGES[name]} random messages out of order with ratchet turns, ${starter} starting`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.integer(), async (seed) => {
            const p = await pair(crypto);
            if (starter === 'we') await p.weStart(true);
            else await p.theyStart(true);
            const [a, b] = starter === 'we' ? [p.ours, p.theirs] : [p.theirs, p.ours];
            const received = await converse(a, b, MESSAGES[name]!, seed);
            expect(received[0] + received[1]).toBeGreaterThanOrEqual(MESSAGES[name]!);
            expect(Math.min(...received)).toBeGreaterThan(MESSAGES[name]! / 5);
          }),
          { numRuns: 1, endOnFailure: true },
        );
      });
    }
  });
}
