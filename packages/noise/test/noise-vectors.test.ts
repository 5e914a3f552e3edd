/**
 * Known-answer tests of the generic Noise core against cacophony, snow and noise-c
 * (test/vectors/README.md): every handshake ciphertext, every transport ciphertext and, where the
 * file gives one, the handshake hash, with every CryptoProvider.
 */
import { readFileSync } from 'node:fs';
import { type CryptoProvider, type KeyPair, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import {
  type CipherState,
  HandshakeState,
  type HandshakeStateOptions,
  NoiseDecryptError,
} from '../src/index';
import { withoutPreparedKeys, withoutSyncKeys } from './wa-helpers';

interface NoiseVector {
  protocol_name: string;
  init_prologue: string;
  init_static: string;
  init_ephemeral: string;
  init_remote_static?: string;
  resp_prologue: string;
  resp_static: string;
  resp_ephemeral: string;
  handshake_hash?: string;
  messages: { payload: string; ciphertext: string }[];
  source: { repo: string; path: string; commit: string };
}

interface VectorFile {
  count: number;
  vectors: NoiseVector[];
}

const load = (name: string): VectorFile =>
  JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as VectorFile;
const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const XX_FILE = load('noise-xx-25519-aesgcm-sha256.json');
const IK_FILE = load('noise-ik-25519-aesgcm-sha256.json');
const FALLBACK_FILE = load('noise-xxfallback-25519-aesgcm-sha256.json');

/** The providers whose prepared keys work synchronously: the transport vectors run through those methods too. */
const SYNC_PROVIDERS: ReadonlySet<CryptoProvider> = new Set([nobleCrypto, nodeCrypto]);

// The node provider twice more, with prepared keys that have only promises and without prepared keys,
// so the vectors also cover CipherState's async prepared path and its one-shot path.
const PROVIDERS: readonly CryptoProvider[] = [
  nobleCrypto,
  nodeCrypto,
  withoutSyncKeys(nodeCrypto),
  withoutPreparedKeys(nodeCrypto),
];

async function keyPair(crypto: CryptoProvider, privateHex: string): Promise<KeyPair> {
  const privateKey = hex(privateHex);
  return { privateKey, publicKey: await crypto.publicKeyOf(privateKey) };
}

/** Plays `messages` alternately from `first` and `second`, checking every byte. */
async function playHandshake(
  first: HandshakeState,
  second: HandshakeState,
  messages: NoiseVector['messages'],
): Promise<void> {
  let [writer, reader] = [first, second];
  for (const message of messages) {
    expect(toHex(await writer.writeMessage(hex(message.payload)))).toBe(message.ciphertext);
    expect(toHex(await reader.readMessage(hex(message.ciphertext)))).toBe(message.payload);
    [writer, reader] = [reader, writer];
  }
  expect(first.isComplete && second.isComplete).toBe(true);
}

interface Side {
  send: CipherState;
  receive: CipherState;
}

/**
 * Plays the transport part of `messages`: messages[i] is the initiator's (Alice's) when i is even,
 * as in the whole vector, so the first transport message may come from either side. Through the
 * promise-returning methods, then, when `sync` (the provider has synchronous AES-GCM), once more
 * through the synchronous methods on clones taken before the first message.
 */
async function playTransport(
  alice: Side,
  bob: Side,
  messages: NoiseVector['messages'],
  firstIndex: number,
  sync: boolean,
): Promise<void> {
  const clone = (side: Side): Side => ({ send: side.send.clone(), receive: side.receive.clone() });
  const [aliceSync, bobSync] = [clone(alice), clone(bob)];
  const empty = new Uint8Array(0);
  for (const [offset, message] of messages.entries()) {
    const [from, to] = (firstIndex + offset) % 2 === 0 ? [alice, bob] : [bob, alice];
    expect(toHex(await from.send.encryptWithAd(empty, hex(message.payload)))).toBe(message.ciphertext);
    expect(toHex(await to.receive.decryptWithAd(empty, hex(message.ciphertext)))).toBe(message.payload);
  }
  for (const side of [aliceSync, bobSync])
    expect([side.send, side.receive].map((cs) => cs.supportsSync)).toEqual([sync, sync]);
  if (!sync) return;
  for (const [offset, message] of messages.entries()) {
    const [from, to] = (firstIndex + offset) % 2 === 0 ? [aliceSync, bobSync] : [bobSync, aliceSync];
    expect(toHex(from.send.encryptWithAdSync(empty, hex(message.payload)))).toBe(message.ciphertext);
    expect(toHex(to.receive.decryptWithAdSync(empty, hex(message.ciphertext)))).toBe(message.payload);
  }
}

/** Both sides of a vector's (non-fallback) handshake, with the vector's keys injected. */
async function sides(
  crypto: CryptoProvider,
  v: NoiseVector,
  pattern: 'XX' | 'IK',
): Promise<[HandshakeState, HandshakeState]> {
  const common: Pick<HandshakeStateOptions, 'pattern' | 'crypto'> = { pattern, crypto };
  const initiator = new HandshakeState({
    ...common,
    initiator: true,
    prologue: hex(v.init_prologue),
    s: await keyPair(crypto, v.init_static),
    e: await keyPair(crypto, v.init_ephemeral),
    ...(v.init_remote_static === undefined ? {} : { rs: hex(v.init_remote_static) }),
  });
  const responder = new HandshakeState({
    ...common,
    initiator: false,
    prologue: hex(v.resp_prologue),
    s: await keyPair(crypto, v.resp_static),
    e: await keyPair(crypto, v.resp_ephemeral),
  });
  return [initiator, responder];
}

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'Noise vectors with %s',
  (_, crypto) => {
    for (const [pattern, file, handshakeLength] of [
      ['XX', XX_FILE, 3],
      ['IK', IK_FILE, 2],
    ] as const) {
      describe(`Noise_${pattern}_25519_AESGCM_SHA256`, () => {
        it(`holds ${file.count} vectors from cacophony, snow and noise-c`, () => {
          expect(file.vectors).toHaveLength(3);
          expect(file.vectors.map((v) => v.source.repo).sort()).toEqual([
            'haskell-cryptography/cacophony',
            'mcginty/snow',
            'rweather/noise-c',
          ]);
        });

        for (const v of file.vectors) {
          it(`reproduces every handshake and transport ciphertext of ${v.source.repo} ${v.source.path}`, async () => {
            const [initiator, responder] = await sides(crypto, v, pattern);
            expect(initiator.protocolName).toBe(v.protocol_name);
            await playHandshake(initiator, responder, v.messages.slice(0, handshakeLength));

            expect(toHex(initiator.handshakeHash)).toBe(toHex(responder.handshakeHash));
            // snow's vector file states no handshake hash; the other two do, and must match it.
            if (v.source.repo === 'mcginty/snow') expect(v.handshake_hash).toBeUndefined();
            else expect(toHex(initiator.handshakeHash)).toBe(v.handshake_hash);

            const [i1, i2] = await initiator.split();
            const [r1, r2] = await responder.split();
            // The initiator sends with the first Split key (Noise §5.2).
            const transport = v.messages.slice(handshakeLength);
            await playTransport(
              { send: i1, receive: i2 },
              { send: r2, receive: r1 },
              transport,
              handshakeLength,
              SYNC_PROVIDERS.has(crypto),
            );
          });
        }
      });
    }

    describe('IK rejected, then Noise_XXfallback_25519_AESGCM_SHA256 (noise-c)', () => {
      const [v] = FALLBACK_FILE.vectors as [NoiseVector];
      const payloads = v.messages;

      it('holds the one noise-c vector', () => {
        expect(FALLBACK_FILE.vectors).toHaveLength(FALLBACK_FILE.count);
        expect(FALLBACK_FILE.count).toBe(1);
        expect(v.source).toMatchObject({
          repo: 'rweather/noise-c',
          path: 'tests/vector/noise-c-fallback.txt',
        });
      });

      /** Alice's IK attempt, Bob's failed read of it, and both XXfallback HandshakeStates. */
      async function fallbackSides(): Promise<{ alice: HandshakeState; bob: HandshakeState }> {
        const aliceStatic = await keyPair(crypto, v.init_static);
        const bobStatic = await keyPair(crypto, v.resp_static);
        const aliceIk = new HandshakeState({
          pattern: 'IK',
          initiator: true,
          prologue: hex(v.init_prologue),
          s: aliceStatic,
          e: await keyPair(crypto, v.init_ephemeral),
          rs: hex(v.init_remote_static as string),
          crypto,
        });
        const first = payloads[0] as NoiseVector['messages'][number];
        expect(toHex(await aliceIk.writeMessage(hex(first.payload)))).toBe(first.ciphertext);

        // Alice used a stale static key for Bob, so Bob's IK read must fail, leaving his state as it was.
        const bobIk = new HandshakeState({
          pattern: 'IK',
          initiator: false,
          s: bobStatic,
          prologue: hex(v.resp_prologue),
          crypto,
        });
        await expect(bobIk.readMessage(hex(first.ciphertext))).rejects.toBeInstanceOf(NoiseDecryptError);
        expect(bobIk.isMyTurnToRead).toBe(true);
        expect(bobIk.remoteEphemeral).toBeUndefined();

        const bob = new HandshakeState({
          pattern: 'XXfallback',
          initiator: false,
          prologue: hex(v.resp_prologue),
          s: bobStatic,
          e: await keyPair(crypto, v.resp_ephemeral),
          // Noise §10.2: Alice's `e` from the IK message is the fallback's pre-message.
          re: hex(first.ciphertext).subarray(0, 32),
          crypto,
        });
        const alice = new HandshakeState({
          pattern: 'XXfallback',
          initiator: true,
          prologue: hex(v.init_prologue),
          s: aliceStatic,
          e: aliceIk.localEphemeral,
          crypto,
        });
        expect(alice.protocolName).toBe(v.protocol_name);
        return { alice, bob };
      }

      it('fails the IK read, then reproduces both XXfallback messages and the handshake hash', async () => {
        const { alice, bob } = await fallbackSides();
        await playHandshake(bob, alice, payloads.slice(1, 3));
        expect(toHex(alice.handshakeHash)).toBe(v.handshake_hash);
        expect(toHex(bob.handshakeHash)).toBe(v.handshake_hash);
      });

      it("reproduces noise-c's transport messages with the Split keys the other way round from WhatsApp's", async () => {
        const { alice, bob } = await fallbackSides();
        await playHandshake(bob, alice, payloads.slice(1, 3));
        const [aliceFirst, aliceSecond] = await alice.split();
        const [bobFirst, bobSecond] = await bob.split();
        // Noise §10.1-10.2: after the fallback Bob is the initiator of XXfallback, so a spec-conformant
        // Split (noise-c) gives Bob the first key for sending. WhatsApp keeps the IK initiator (Alice,
        // `initiator: true` here) on the first key, and so does `split()`. So in this vector Bob sends
        // with what our Split calls initiator-to-responder, and Alice with the other key.
        const alicePair = { send: aliceSecond, receive: aliceFirst };
        await playTransport(
          alicePair,
          { send: bobFirst, receive: bobSecond },
          payloads.slice(3),
          3,
          SYNC_PROVIDERS.has(crypto),
        );
      });

      it("does not reproduce noise-c's transport messages with WhatsApp's key assignment", async () => {
        const { alice, bob } = await fallbackSides();
        await playHandshake(bob, alice, payloads.slice(1, 3));
        const [, bobSecond] = await bob.split();
        const bobMessage = payloads[3] as NoiseVector['messages'][number];
        const asWhatsApp = await bobSecond.encryptWithAd(new Uint8Array(0), hex(bobMessage.payload));
        expect(toHex(asWhatsApp)).not.toBe(bobMessage.ciphertext);
      });
    });
  },
);
