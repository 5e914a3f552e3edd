/**
 * Properties of complete handshakes with random keys, prologues and payloads.
 *
 * Generators: private keys are any 32 bytes (X25519 clamps every scalar, RFC 7748 §5, so every
 * such key is valid and its public key is never of low order); nothing is avoided. Payloads stay
 * under 200 bytes and prologues under 40, since length only matters to the AEAD, which the
 * CipherState tests cover.
 */
import { type CryptoProvider, type KeyPair, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CipherState,
  HandshakeMessageError,
  HandshakeState,
  NoiseDecryptError,
  type PatternName,
} from '../src/index';

const PROVIDERS: readonly CryptoProvider[] = [nobleCrypto, nodeCrypto];
const EMPTY = new Uint8Array(0);
const NUM_RUNS = 30;

const privateKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const payload = fc.uint8Array({ maxLength: 200 });
const setup = fc.record({
  initiatorStatic: privateKey,
  responderStatic: privateKey,
  staleResponderStatic: privateKey,
  initiatorEphemeral: privateKey,
  responderEphemeral: privateKey,
  prologue: fc.uint8Array({ maxLength: 40 }),
  payloads: fc.array(payload, { minLength: 3, maxLength: 3 }),
  transport: fc.array(payload, { minLength: 1, maxLength: 4 }),
});
type Setup = typeof setup extends fc.Arbitrary<infer T> ? T : never;

/** The two sides of a handshake, the messages in order, and who wrote each. */
interface Run {
  initiator: HandshakeState;
  responder: HandshakeState;
  /** Remaining steps: the writer and reader of each message still to send. */
  steps: [HandshakeState, HandshakeState][];
}

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'handshake properties with %s',
  (_, crypto) => {
    const pair = async (key: Uint8Array): Promise<KeyPair> => ({
      privateKey: key,
      publicKey: await crypto.publicKeyOf(key),
    });

    /**
     * Fresh HandshakeStates for `pattern`. For XXfallback this first runs the IK attempt against a
     * stale responder key and checks that the responder's IK read fails, as Noise Pipes do (§10.4).
     */
    async function start(pattern: PatternName, s: Setup): Promise<Run> {
      const common = { prologue: s.prologue, crypto };
      const initiatorStatic = await pair(s.initiatorStatic);
      const responderStatic = await pair(s.responderStatic);
      const initiatorEphemeral = await pair(s.initiatorEphemeral);
      const responderEphemeral = await pair(s.responderEphemeral);
      if (pattern === 'XXfallback') {
        const stale = await pair(s.staleResponderStatic);
        fc.pre(stale.publicKey.some((byte, i) => byte !== responderStatic.publicKey[i]));
        const ik = new HandshakeState({
          ...common,
          pattern: 'IK',
          initiator: true,
          s: initiatorStatic,
          e: initiatorEphemeral,
          rs: stale.publicKey,
        });
        const hello = await ik.writeMessage(s.payloads[0]);
        const responderIk = new HandshakeState({
          ...common,
          pattern: 'IK',
          initiator: false,
          s: responderStatic,
        });
        await expect(responderIk.readMessage(hello)).rejects.toBeInstanceOf(NoiseDecryptError);
        const initiator = new HandshakeState({
          ...common,
          pattern,
          initiator: true,
          s: initiatorStatic,
          e: ik.localEphemeral,
        });
        const responder = new HandshakeState({
          ...common,
          pattern,
          initiator: false,
          s: responderStatic,
          e: responderEphemeral,
          re: hello.subarray(0, 32),
        });
        return {
          initiator,
          responder,
          steps: [
            [responder, initiator],
            [initiator, responder],
          ],
        };
      }
      const initiator = new HandshakeState({
        ...common,
        pattern,
        initiator: true,
        s: initiatorStatic,
        e: initiatorEphemeral,
        ...(pattern === 'IK' ? { rs: responderStatic.publicKey } : {}),
      });
      const responder = new HandshakeState({
        ...common,
        pattern,
        initiator: false,
        s: responderStatic,
        e: responderEphemeral,
      });
      const steps: [HandshakeState, HandshakeState][] = [
        [initiator, responder],
        [responder, initiator],
        [initiator, responder],
      ];
      return { initiator, responder, steps: steps.slice(0, pattern === 'IK' ? 2 : 3) };
    }

    /** Sends every handshake message, checking each payload arrives. */
    async function finish(run: Run, s: Setup): Promise<void> {
      for (const [i, [writer, reader]] of run.steps.entries()) {
        const p = s.payloads[i] as Uint8Array;
        expect(await reader.readMessage(await writer.writeMessage(p))).toEqual(p);
      }
    }

    /** Transport messages both ways; identical ciphertexts from both sides' copies prove equal keys. */
    async function checkTransport(run: Run, messages: Uint8Array[]): Promise<void> {
      const [i1, i2] = await run.initiator.split();
      const [r1, r2] = await run.responder.split();
      const sameKey = async (x: CipherState, y: CipherState) =>
        expect(await x.clone().encryptWithAd(EMPTY, EMPTY)).toEqual(
          await y.clone().encryptWithAd(EMPTY, EMPTY),
        );
      await sameKey(i1, r1);
      await sameKey(i2, r2);
      for (const m of messages) {
        expect(await r1.decryptWithAd(EMPTY, await i1.encryptWithAd(EMPTY, m))).toEqual(m);
        expect(await i2.decryptWithAd(EMPTY, await r2.encryptWithAd(EMPTY, m))).toEqual(m);
      }
    }

    for (const pattern of ['XX', 'IK', 'XXfallback'] as const) {
      describe(pattern, () => {
        it('completes with random keys and payloads, both sides agreeing on the hash and the Split keys', async () => {
          await fc.assert(
            fc.asyncProperty(setup, async (s) => {
              const run = await start(pattern, s);
              await finish(run, s);
              expect(run.initiator.isComplete && run.responder.isComplete).toBe(true);
              expect(run.initiator.handshakeHash).toEqual(run.responder.handshakeHash);
              expect(run.initiator.remoteStatic).toEqual(await crypto.publicKeyOf(s.responderStatic));
              expect(run.responder.remoteStatic).toEqual(await crypto.publicKeyOf(s.initiatorStatic));
              await checkTransport(run, s.transport);
            }),
            { numRuns: NUM_RUNS },
          );
        });

        it('refuses a handshake message with a flipped byte and then accepts the original', async () => {
          await fc.assert(
            fc.asyncProperty(
              setup,
              fc.nat(),
              fc.nat(),
              fc.integer({ min: 1, max: 255 }),
              async (s, which, at, flip) => {
                const run = await start(pattern, s);
                // XX's first message is an ephemeral key and a payload in the clear: nothing in it is
                // authenticated yet (a flip shows up only at the next message), so only later ones are tampered with.
                const firstAuthenticated = pattern === 'XX' ? 1 : 0;
                const target = firstAuthenticated + (which % (run.steps.length - firstAuthenticated));
                for (const [i, [writer, reader]] of run.steps.entries()) {
                  const p = s.payloads[i] as Uint8Array;
                  const message = await writer.writeMessage(p);
                  if (i === target) {
                    const tampered = message.slice();
                    tampered[at % tampered.length] ^= flip;
                    const before = await snapshot(reader);
                    await expect(reader.readMessage(tampered)).rejects.toSatisfy(isNoiseRejection);
                    expect(await snapshot(reader)).toEqual(before);
                  }
                  expect(await reader.readMessage(message)).toEqual(p);
                }
                expect(run.initiator.handshakeHash).toEqual(run.responder.handshakeHash);
                await checkTransport(run, s.transport);
              },
            ),
            { numRuns: NUM_RUNS },
          );
        });

        it('refuses a truncated handshake message with HandshakeMessageError and then accepts the original', async () => {
          await fc.assert(
            fc.asyncProperty(setup, fc.nat(), fc.nat(), async (s, which, cut) => {
              const run = await start(pattern, s);
              const target = which % run.steps.length;
              for (const [i, [writer, reader]] of run.steps.entries()) {
                const p = s.payloads[i] as Uint8Array;
                const message = await writer.writeMessage(p);
                // Cutting into the keys and tag (not the payload) is always too short to parse.
                const minimum = message.length - p.length;
                if (i === target && minimum > 0) {
                  const before = await snapshot(reader);
                  await expect(reader.readMessage(message.subarray(0, cut % minimum))).rejects.toBeInstanceOf(
                    HandshakeMessageError,
                  );
                  expect(await snapshot(reader)).toEqual(before);
                }
                expect(await reader.readMessage(message)).toEqual(p);
              }
              expect(run.initiator.handshakeHash).toEqual(run.responder.handshakeHash);
            }),
            { numRuns: NUM_RUNS },
          );
        });
      });
    }

    it('refuses a transport message with a flipped byte, keeping the nonce, then accepts the original', async () => {
      await fc.assert(
        fc.asyncProperty(setup, fc.nat(), fc.integer({ min: 1, max: 255 }), async (s, at, flip) => {
          const run = await start('XX', s);
          await finish(run, s);
          const [send] = await run.initiator.split();
          const [receive] = await run.responder.split();
          for (const m of s.transport) {
            const frame = await send.encryptWithAd(EMPTY, m);
            const tampered = frame.slice();
            tampered[at % tampered.length] ^= flip;
            const nonce = receive.nonce;
            await expect(receive.decryptWithAd(EMPTY, tampered)).rejects.toBeInstanceOf(NoiseDecryptError);
            expect(receive.nonce).toBe(nonce);
            expect(await receive.decryptWithAd(EMPTY, frame)).toEqual(m);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });
  },
);

/** What a reader exposes; equal snapshots before and after a failed read mean nothing moved. */
async function snapshot(hs: HandshakeState) {
  await hs.initialize();
  return {
    hash: hs.handshakeHash,
    re: hs.remoteEphemeral,
    rs: hs.remoteStatic,
    turn: [hs.isMyTurnToRead, hs.isMyTurnToWrite, hs.isComplete],
  };
}

/** A flipped byte breaks a tag (NoiseDecryptError) or, rarely, makes a low-order key (HandshakeMessageError). */
function isNoiseRejection(error: unknown): boolean {
  return error instanceof NoiseDecryptError || error instanceof HandshakeMessageError;
}
