import { type CryptoProvider, type KeyPair, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import {
  defaultProtocolName,
  HandshakeMessageError,
  HandshakeState,
  HandshakeStateError,
  type HandshakeStateOptions,
  IK,
  NoiseDecryptError,
  PATTERNS,
  XX,
  XX_FALLBACK,
} from '../src/index';

const PROVIDERS: readonly CryptoProvider[] = [nobleCrypto, nodeCrypto];
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A point of order 1 on Curve25519 (u = 0): X25519 with it gives all zeros, which providers reject. */
const LOW_ORDER_POINT = new Uint8Array(32);

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'HandshakeState with %s',
  (_, crypto) => {
    const keys = async (): Promise<{ a: KeyPair; b: KeyPair }> => ({
      a: await crypto.generateKeyPair(),
      b: await crypto.generateKeyPair(),
    });

    async function xxPair(options: Partial<HandshakeStateOptions> = {}) {
      const { a, b } = await keys();
      return {
        initiator: new HandshakeState({ pattern: 'XX', initiator: true, s: a, crypto, ...options }),
        responder: new HandshakeState({ pattern: 'XX', initiator: false, s: b, crypto, ...options }),
        a,
        b,
      };
    }

    async function completeXx() {
      const pair = await xxPair();
      await pair.responder.readMessage(await pair.initiator.writeMessage());
      await pair.initiator.readMessage(await pair.responder.writeMessage());
      await pair.responder.readMessage(await pair.initiator.writeMessage());
      return pair;
    }

    describe('protocol names (Noise §5.2 InitializeSymmetric)', () => {
      it('defaults to Noise_<pattern>_25519_AESGCM_SHA256 for each shipped pattern', () => {
        expect(defaultProtocolName(XX)).toBe('Noise_XX_25519_AESGCM_SHA256');
        expect(defaultProtocolName(IK)).toBe('Noise_IK_25519_AESGCM_SHA256');
        expect(defaultProtocolName(XX_FALLBACK)).toBe('Noise_XXfallback_25519_AESGCM_SHA256');
        expect(Object.keys(PATTERNS)).toEqual(['XX', 'IK', 'XXfallback']);
      });

      it('uses a name of at most 32 bytes zero-padded as h, then mixes in the prologue', async () => {
        const { a } = await keys();
        const prologue = ascii('WA\x06\x03');
        const hs = new HandshakeState({ pattern: XX, initiator: true, s: a, prologue, crypto });
        await hs.initialize();
        const h0 = new Uint8Array(32);
        h0.set(ascii('Noise_XX_25519_AESGCM_SHA256'));
        expect(hs.handshakeHash).toEqual(await crypto.sha256(concat(h0, prologue)));
        // WhatsApp spells the name with its 4 NUL bytes of padding: the same h.
        const padded = new HandshakeState({
          pattern: XX,
          initiator: true,
          s: a,
          prologue,
          protocolName: 'Noise_XX_25519_AESGCM_SHA256\0\0\0\0',
          crypto,
        });
        await padded.initialize();
        expect(padded.handshakeHash).toEqual(hs.handshakeHash);
      });

      it('hashes a name longer than 32 bytes (XXfallback is 36) and then the pre-message ephemeral', async () => {
        const { a, b } = await keys();
        const hs = new HandshakeState({ pattern: 'XXfallback', initiator: true, s: a, e: b, crypto });
        await hs.initialize();
        const h0 = await crypto.sha256(ascii('Noise_XXfallback_25519_AESGCM_SHA256'));
        const afterPrologue = await crypto.sha256(h0);
        expect(hs.handshakeHash).toEqual(await crypto.sha256(concat(afterPrologue, b.publicKey)));
      });

      it('rejects a protocol name that is not ASCII', async () => {
        const { a } = await keys();
        const hs = new HandshakeState({
          pattern: XX,
          initiator: true,
          s: a,
          protocolName: 'Noise_XX_ü',
          crypto,
        });
        await expect(hs.initialize()).rejects.toThrow(RangeError);
      });
    });

    describe('turns and completion', () => {
      it('alternates turns as the pattern says and completes after the last message', async () => {
        const { initiator, responder } = await xxPair();
        expect([initiator.isMyTurnToWrite, initiator.isMyTurnToRead]).toEqual([true, false]);
        expect([responder.isMyTurnToWrite, responder.isMyTurnToRead]).toEqual([false, true]);
        await responder.readMessage(await initiator.writeMessage());
        expect([initiator.isMyTurnToWrite, responder.isMyTurnToWrite]).toEqual([false, true]);
        await initiator.readMessage(await responder.writeMessage());
        await responder.readMessage(await initiator.writeMessage());
        expect([initiator.isComplete, responder.isComplete]).toEqual([true, true]);
        expect([initiator.isMyTurnToWrite, initiator.isMyTurnToRead]).toEqual([false, false]);
      });

      it('lets the XXfallback responder write first', async () => {
        const { a, b } = await keys();
        const e = await crypto.generateKeyPair();
        const alice = new HandshakeState({ pattern: 'XXfallback', initiator: true, s: a, e, crypto });
        const bob = new HandshakeState({
          pattern: 'XXfallback',
          initiator: false,
          s: b,
          re: e.publicKey,
          crypto,
        });
        expect([alice.isMyTurnToRead, bob.isMyTurnToWrite]).toEqual([true, true]);
        await alice.readMessage(await bob.writeMessage());
        await bob.readMessage(await alice.writeMessage());
        expect(alice.handshakeHash).toEqual(bob.handshakeHash);
      });

      it('learns the remote keys message by message', async () => {
        const { initiator, responder, a, b } = await xxPair();
        expect(initiator.remoteEphemeral).toBeUndefined();
        expect(initiator.localEphemeral).toBeUndefined();
        await responder.readMessage(await initiator.writeMessage());
        expect(responder.remoteEphemeral).toEqual(initiator.localEphemeral?.publicKey);
        expect(responder.remoteStatic).toBeUndefined();
        await initiator.readMessage(await responder.writeMessage());
        expect(initiator.remoteStatic).toEqual(b.publicKey);
        expect(initiator.remoteEphemeral).toEqual(responder.localEphemeral?.publicKey);
        await responder.readMessage(await initiator.writeMessage());
        expect(responder.remoteStatic).toEqual(a.publicKey);
      });

      it('sends the first XX payload in the clear and the later ones encrypted', async () => {
        const { initiator, responder } = await xxPair();
        const hello = ascii('hello');
        const first = await initiator.writeMessage(hello);
        expect(first.length).toBe(32 + hello.length);
        expect(first.subarray(32)).toEqual(hello);
        expect(await responder.readMessage(first)).toEqual(hello);
        const second = await responder.writeMessage(hello);
        expect(second.length).toBe(32 + 48 + hello.length + 16);
        expect(await initiator.readMessage(second)).toEqual(hello);
      });

      it('returns a payload the caller owns, not a view of the message', async () => {
        const { initiator, responder } = await xxPair();
        const message = await initiator.writeMessage(ascii('abc'));
        const payload = await responder.readMessage(message);
        message.fill(0);
        expect(payload).toEqual(ascii('abc'));
      });
    });

    describe('misuse throws HandshakeStateError', () => {
      it("when writing on the peer's turn", async () => {
        const { responder } = await xxPair();
        await expect(responder.writeMessage()).rejects.toBeInstanceOf(HandshakeStateError);
      });

      it('when reading on our own turn', async () => {
        const { initiator } = await xxPair();
        await expect(initiator.readMessage(new Uint8Array(32))).rejects.toBeInstanceOf(HandshakeStateError);
      });

      it('when writing or reading after completion', async () => {
        const { initiator, responder } = await completeXx();
        await expect(initiator.writeMessage()).rejects.toBeInstanceOf(HandshakeStateError);
        await expect(initiator.readMessage(new Uint8Array(64))).rejects.toBeInstanceOf(HandshakeStateError);
        await expect(responder.writeMessage()).rejects.toBeInstanceOf(HandshakeStateError);
        await expect(responder.readMessage(new Uint8Array(64))).rejects.toBeInstanceOf(HandshakeStateError);
      });

      it('when splitting before completion', async () => {
        const { initiator, responder } = await xxPair();
        await expect(initiator.split()).rejects.toBeInstanceOf(HandshakeStateError);
        await responder.readMessage(await initiator.writeMessage());
        await expect(responder.split()).rejects.toBeInstanceOf(HandshakeStateError);
      });

      it('when a second call starts before the first finished', async () => {
        const { initiator } = await xxPair();
        const first = initiator.writeMessage();
        await expect(initiator.writeMessage()).rejects.toBeInstanceOf(HandshakeStateError);
        await first;
        expect(initiator.isMyTurnToRead).toBe(true);
      });

      it('when the handshake hash is read before initialization', async () => {
        const { initiator } = await xxPair();
        expect(() => initiator.handshakeHash).toThrow(HandshakeStateError);
      });

      it('when a key the pattern needs is left out', async () => {
        const k = await crypto.generateKeyPair();
        const needs: [HandshakeStateOptions, string][] = [
          [{ pattern: 'XX', initiator: true }, '"s"'],
          [{ pattern: 'XX', initiator: false }, '"s"'],
          [{ pattern: 'IK', initiator: true, s: k }, '"rs"'],
          [{ pattern: 'IK', initiator: false }, '"s"'],
          [{ pattern: 'XXfallback', initiator: true, s: k }, '"e"'],
          [{ pattern: 'XXfallback', initiator: false, s: k }, '"re"'],
        ];
        for (const [options, missing] of needs) {
          expect(() => new HandshakeState({ ...options, crypto })).toThrow(HandshakeStateError);
          expect(() => new HandshakeState({ ...options, crypto })).toThrow(missing);
        }
      });

      it('when given a remote key that the pattern transmits', async () => {
        const k = await crypto.generateKeyPair();
        expect(() => new HandshakeState({ pattern: 'XX', initiator: true, s: k, rs: k.publicKey })).toThrow(
          HandshakeStateError,
        );
        expect(() => new HandshakeState({ pattern: 'IK', initiator: false, s: k, re: k.publicKey })).toThrow(
          HandshakeStateError,
        );
      });
    });

    describe('arguments', () => {
      it('rejects keys that are not 32 bytes, and unknown pattern names', async () => {
        const k = await crypto.generateKeyPair();
        expect(
          () => new HandshakeState({ pattern: 'IK', initiator: true, s: k, rs: new Uint8Array(33) }),
        ).toThrow(new RangeError('"rs" expected Uint8Array of length 32, got length=33'));
        const shortPrivate = { publicKey: k.publicKey, privateKey: new Uint8Array(31) };
        expect(() => new HandshakeState({ pattern: 'XX', initiator: true, s: shortPrivate })).toThrow(
          RangeError,
        );
        expect(() => new HandshakeState({ pattern: 'NN' as 'XX', initiator: true })).toThrow(TypeError);
        expect(() => new HandshakeState({ pattern: '__proto__' as 'XX', initiator: true })).toThrow(
          TypeError,
        );
      });
    });

    describe('bad messages leave the state unchanged', () => {
      it('rejects a message too short for its tokens with HandshakeMessageError, then accepts the real one', async () => {
        const { initiator, responder } = await xxPair();
        await responder.readMessage(await initiator.writeMessage());
        const second = await responder.writeMessage(ascii('payload'));
        // 32 (e) + 48 (sealed s) + 16 (tag) is the least a second XX message can be.
        for (const length of [0, 31, 32, 79, 80, 95]) {
          await expect(initiator.readMessage(second.subarray(0, length))).rejects.toBeInstanceOf(
            HandshakeMessageError,
          );
        }
        expect(initiator.remoteEphemeral).toBeUndefined();
        expect(await initiator.readMessage(second)).toEqual(ascii('payload'));
      });

      it('rejects an ephemeral key of low order with HandshakeMessageError', async () => {
        const { initiator, responder } = await xxPair();
        await responder.readMessage(await initiator.writeMessage());
        const second = await responder.writeMessage();
        const forged = second.slice();
        forged.set(LOW_ORDER_POINT, 0);
        await expect(initiator.readMessage(forged)).rejects.toBeInstanceOf(HandshakeMessageError);
        await initiator.readMessage(second);
        expect(initiator.isMyTurnToWrite).toBe(true);
      });

      it('rejects a message encrypted under another prologue with NoiseDecryptError', async () => {
        const { a, b } = await keys();
        const initiator = new HandshakeState({
          pattern: 'XX',
          initiator: true,
          s: a,
          prologue: ascii('one'),
          crypto,
        });
        const responder = new HandshakeState({
          pattern: 'XX',
          initiator: false,
          s: b,
          prologue: ascii('two'),
          crypto,
        });
        await responder.readMessage(await initiator.writeMessage());
        await expect(initiator.readMessage(await responder.writeMessage())).rejects.toBeInstanceOf(
          NoiseDecryptError,
        );
      });

      it('lets an IK client fall back to XXfallback with the same ephemeral after its read fails', async () => {
        const client = await crypto.generateKeyPair();
        const staleServer = await crypto.generateKeyPair();
        const server = await crypto.generateKeyPair();
        const ik = new HandshakeState({
          pattern: 'IK',
          initiator: true,
          s: client,
          rs: staleServer.publicKey,
          crypto,
        });
        const hello = await ik.writeMessage(ascii('login'));

        const serverIk = new HandshakeState({ pattern: 'IK', initiator: false, s: server, crypto });
        await expect(serverIk.readMessage(hello)).rejects.toBeInstanceOf(NoiseDecryptError);
        const serverFallback = new HandshakeState({
          pattern: 'XXfallback',
          initiator: false,
          s: server,
          re: hello.subarray(0, 32),
          crypto,
        });
        const serverHello = await serverFallback.writeMessage(ascii('certificate'));

        // The client tries the reply as IK first; it does not authenticate, and the IK state is intact.
        await expect(ik.readMessage(serverHello)).rejects.toBeInstanceOf(NoiseDecryptError);
        expect(ik.isMyTurnToRead).toBe(true);
        const fallback = new HandshakeState({
          pattern: 'XXfallback',
          initiator: true,
          s: client,
          e: ik.localEphemeral,
          crypto,
        });
        expect(await fallback.readMessage(serverHello)).toEqual(ascii('certificate'));
        expect(fallback.remoteStatic).toEqual(server.publicKey);
        expect(await serverFallback.readMessage(await fallback.writeMessage(ascii('finish')))).toEqual(
          ascii('finish'),
        );
        // WhatsApp's assignment: the client (initiator) sends with the first Split key.
        const [clientSend] = await fallback.split();
        const [serverReceive] = await serverFallback.split();
        const frame = await clientSend.encryptWithAd(new Uint8Array(0), ascii('<iq/>'));
        expect(await serverReceive.decryptWithAd(new Uint8Array(0), frame)).toEqual(ascii('<iq/>'));
      });
    });

    describe('split', () => {
      it('gives the initiator-to-responder CipherState first and applies the options to both', async () => {
        const { initiator, responder } = await completeXx();
        const [i1, i2] = await initiator.split({ nonceLimit: 2 ** 32 });
        const [r1, r2] = await responder.split();
        expect([i1.nonceLimit, i2.nonceLimit]).toEqual([2n ** 32n, 2n ** 32n]);
        const empty = new Uint8Array(0);
        expect(await r1.decryptWithAd(empty, await i1.encryptWithAd(empty, ascii('up')))).toEqual(
          ascii('up'),
        );
        expect(await i2.decryptWithAd(empty, await r2.encryptWithAd(empty, ascii('down')))).toEqual(
          ascii('down'),
        );
      });
    });
  },
);
