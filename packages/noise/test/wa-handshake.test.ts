import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { create, fromBinary, HandshakeMessageSchema, toBinary } from '@wakit/proto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { waHandshakeState } from '../src/_wa-noise';
import { issueCertChain } from '../src/cert-chain-issue';
import { ClientHandshake, type ClientHandshakeOptions } from '../src/client-handshake';
import {
  CertificateChainError,
  HandshakeMessageError,
  HandshakeStateError,
  NoiseDecryptError,
} from '../src/errors';
import { FrameDecoder } from '../src/frame-decoder';
import { encodeFrame } from '../src/frame-encoder';
import { ServerFrameDecoder } from '../src/intro';
import { ServerHandshake, type ServerHandshakeOptions } from '../src/server-handshake';
import { bytesToHex, concat, PROVIDERS } from './wa-helpers';

const LOGIN = new TextEncoder().encode('client payload: login');

/** A test server: static key, chain issued under a fresh test root. */
async function makeServer(crypto: CryptoProvider) {
  const staticKeyPair = await crypto.generateKeyPair();
  const issued = await issueCertChain({ crypto, leafKey: staticKeyPair.publicKey });
  const options = (extra: Partial<ServerHandshakeOptions> = {}): ServerHandshakeOptions => ({
    crypto,
    staticKeyPair,
    certChain: issued.bytes,
    ...extra,
  });
  return { staticKeyPair, issued, options };
}

type TestServer = Awaited<ReturnType<typeof makeServer>>;

/** The frame payloads in `bytes` as the server reads them (intro first). */
function serverFrames(bytes: Uint8Array): Uint8Array[] {
  return new ServerFrameDecoder().push(bytes);
}

function clientFrames(bytes: Uint8Array): Uint8Array[] {
  return new FrameDecoder().push(bytes);
}

/** Runs a whole handshake in memory, each side reading the other's bytes through its frame decoder. */
async function runHandshake(client: ClientHandshake, server: ServerHandshake) {
  const [hello] = serverFrames(await client.start());
  const [serverHello] = clientFrames((await server.receive(hello!))!);
  const finish = await client.receive(serverHello!);
  if (finish !== undefined) {
    const [finishFrame] = clientFrames(finish);
    expect(await server.receive(finishFrame!)).toBeUndefined();
  }
  return { client: client.result, server: server.result, finish };
}

/** Both transports carry `message` both ways. */
async function expectTransportsAgree(client: ClientHandshake, server: ServerHandshake, message: Uint8Array) {
  const up = clientFrames(await client.result.transport.encryptFrame(message));
  expect(await server.result.transport.decrypt(up[0]!)).toEqual(message);
  const down = await server.result.transport.encrypt(message);
  expect(await client.result.transport.decrypt(down)).toEqual(message);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'WhatsApp handshake (%s)',
  (_, crypto) => {
    let noiseKey: KeyPair;
    let server: TestServer;
    const clientOptions = (extra: Partial<ClientHandshakeOptions> = {}): ClientHandshakeOptions => ({
      crypto,
      noiseKey,
      payload: LOGIN,
      rootPublicKey: server.issued.rootPublicKey,
      ...extra,
    });

    beforeAll(async () => {
      noiseKey = await crypto.generateKeyPair();
      server = await makeServer(crypto);
    });

    describe('XX', () => {
      it('completes, authenticates both statics, delivers the payload and agrees on keys', async () => {
        const client = new ClientHandshake(clientOptions());
        const srv = new ServerHandshake(server.options());
        const { client: c, server: s, finish } = await runHandshake(client, srv);
        expect(finish).toBeDefined();
        expect(c.pattern).toBe('XX');
        expect(s.pattern).toBe('XX');
        expect(c.serverStatic).toEqual(server.staticKeyPair.publicKey);
        expect(c.certChain?.leaf.key).toEqual(server.staticKeyPair.publicKey);
        expect(c.serverPayload).toEqual(server.issued.bytes);
        expect(s.clientStatic).toEqual(noiseKey.publicKey);
        expect(s.payload).toEqual(LOGIN);
        expect(c.handshakeHash).toEqual(s.handshakeHash);
        await expectTransportsAgree(client, srv, Uint8Array.of(0, 0xf8, 2, 0x13, 7));
      });

      it('opens the stream with WA 06 03 and a ClientHello holding the ephemeral only', async () => {
        const client = new ClientHandshake(clientOptions());
        const first = await client.start();
        expect(bytesToHex(first.subarray(0, 4))).toBe('57410603');
        const decoder = new ServerFrameDecoder();
        const [hello] = decoder.push(first);
        expect(decoder.intro?.routingInfo).toBeUndefined();
        const message = fromBinary(HandshakeMessageSchema, hello!);
        expect(message.clientHello?.ephemeral).toHaveLength(32);
        expect(message.clientHello?.static).toHaveLength(0);
        expect(message.clientHello?.payload).toHaveLength(0);
        expect(client.handshakeHash).toHaveLength(32);
      });

      it('puts the edge-routing preamble before the header when given routing info', async () => {
        const routingInfo = Uint8Array.of(8, 2, 8, 5);
        const client = new ClientHandshake(clientOptions({ routingInfo }));
        const decoder = new ServerFrameDecoder();
        const [hello] = decoder.push(await client.start());
        expect(decoder.intro?.routingInfo).toEqual(routingInfo);
        // The preamble is not part of the prologue: the server completes as usual.
        const srv = new ServerHandshake(server.options());
        const [serverHello] = clientFrames((await srv.receive(hello!))!);
        await srv.receive(clientFrames((await client.receive(serverHello!))!)[0]!);
        expect(srv.result.payload).toEqual(LOGIN);
      });

      it('is refused by a client with the default (WhatsApp) root: the test server is unknown', async () => {
        const client = new ClientHandshake(clientOptions({ rootPublicKey: undefined }));
        const srv = new ServerHandshake(server.options());
        const error = await failure(runHandshake(client, srv));
        expect(error).toBeInstanceOf(CertificateChainError);
        expect((error as CertificateChainError).reason).toBe('intermediate-signature');
        expect(() => client.result).toThrow(HandshakeStateError);
        await expect(client.receive(new Uint8Array(1))).rejects.toThrow(HandshakeStateError);
      });

      it('is refused by the client when the server chain has expired', async () => {
        const client = new ClientHandshake(clientOptions({ now: () => Date.now() + 2 * 365 * 86_400_000 }));
        const error = await failure(runHandshake(client, new ServerHandshake(server.options())));
        expect((error as CertificateChainError).reason).toBe('expired');
      });

      it('is refused by the client when the chain certifies another key than the one the server proved', async () => {
        // A rogue responder (the bare Noise core) replays the real server's chain with its own static key.
        // ServerHandshake itself refuses that configuration up front.
        const impostor = await crypto.generateKeyPair();
        expect(
          () => new ServerHandshake({ crypto, staticKeyPair: impostor, certChain: server.issued.bytes }),
        ).toThrow(RangeError);
        const client = new ClientHandshake(clientOptions());
        const hello = fromBinary(HandshakeMessageSchema, serverFrames(await client.start())[0]!).clientHello!;
        const rogue = waHandshakeState('XX', false, { crypto, s: impostor, re: hello.ephemeral });
        const reply = await rogue.writeMessage(server.issued.bytes);
        const serverHello = create(HandshakeMessageSchema, {
          serverHello: {
            ephemeral: reply.subarray(0, 32),
            static: reply.subarray(32, 80),
            payload: reply.subarray(80),
          },
        });
        const error = await failure(client.receive(toBinary(HandshakeMessageSchema, serverHello)));
        expect((error as CertificateChainError).reason).toBe('leaf-key-mismatch');
      });

      it('refuses a ServerHello whose sealed static key was tampered with', async () => {
        const client = new ClientHandshake(clientOptions());
        const srv = new ServerHandshake(server.options());
        const [serverHello] = clientFrames((await srv.receive(serverFrames(await client.start())[0]!))!);
        const message = fromBinary(HandshakeMessageSchema, serverHello!.slice());
        message.serverHello!.static[0]! ^= 1;
        await expect(client.receive(toBinary(HandshakeMessageSchema, message))).rejects.toThrow(
          NoiseDecryptError,
        );
      });

      it('refuses a tampered ClientFinish on the server', async () => {
        const client = new ClientHandshake(clientOptions());
        const srv = new ServerHandshake(server.options());
        const [hello] = serverFrames(await client.start());
        const [serverHello] = clientFrames((await srv.receive(hello!))!);
        const [finish] = clientFrames((await client.receive(serverHello!))!);
        const tampered = finish!.slice();
        tampered[tampered.length - 1]! ^= 0x80;
        await expect(srv.receive(tampered)).rejects.toThrow(NoiseDecryptError);
        expect(() => srv.result).toThrow(HandshakeStateError);
      });
    });

    describe('IK', () => {
      it('completes in one round trip when the cached server static is current', async () => {
        const client = new ClientHandshake(clientOptions({ serverStatic: server.staticKeyPair.publicKey }));
        const srv = new ServerHandshake(server.options());
        expect(client.attemptedPattern).toBe('IK');
        const [hello] = serverFrames(await client.start());
        const message = fromBinary(HandshakeMessageSchema, hello!);
        expect(message.clientHello?.static).toHaveLength(48);
        expect(message.clientHello?.payload).toHaveLength(LOGIN.length + 16);
        const serverHello = (await srv.receive(hello!))!;
        // The server is done as soon as it answers: the payload came in the first message.
        expect(srv.isComplete).toBe(true);
        expect(srv.result.payload).toEqual(LOGIN);
        expect(
          fromBinary(HandshakeMessageSchema, clientFrames(serverHello)[0]!).serverHello?.static,
        ).toHaveLength(0);
        expect(await client.receive(clientFrames(serverHello)[0]!)).toBeUndefined();
        expect(client.result.pattern).toBe('IK');
        expect(srv.result.pattern).toBe('IK');
        expect(client.result.certChain).toBeUndefined();
        expect(client.result.serverStatic).toEqual(server.staticKeyPair.publicKey);
        expect(srv.result.clientStatic).toEqual(noiseKey.publicKey);
        expect(client.result.handshakeHash).toEqual(srv.result.handshakeHash);
        await expectTransportsAgree(client, srv, Uint8Array.of(1, 2, 3));
      });

      it('falls back to XXfallback when the cached server static is stale, reusing the ephemeral', async () => {
        const rotated = await crypto.generateKeyPair();
        const client = new ClientHandshake(clientOptions({ serverStatic: rotated.publicKey }));
        const srv = new ServerHandshake(server.options());
        const { client: c, server: s, finish } = await runHandshake(client, srv);
        expect(finish).toBeDefined();
        expect(c.pattern).toBe('XXfallback');
        expect(s.pattern).toBe('XXfallback');
        // The fallback verified the new chain: the client learns the rotated key to cache next time.
        expect(c.serverStatic).toEqual(server.staticKeyPair.publicKey);
        expect(c.certChain?.leaf.key).toEqual(server.staticKeyPair.publicKey);
        expect(s.payload).toEqual(LOGIN);
        expect(s.clientStatic).toEqual(noiseKey.publicKey);
        expect(c.handshakeHash).toEqual(s.handshakeHash);
        await expectTransportsAgree(client, srv, Uint8Array.of(4, 5, 6));
      });

      it('falls back when the server declines resumes, even with the current key', async () => {
        const client = new ClientHandshake(clientOptions({ serverStatic: server.staticKeyPair.publicKey }));
        const srv = new ServerHandshake(server.options({ acceptIk: false }));
        const { client: c, server: s } = await runHandshake(client, srv);
        expect([c.pattern, s.pattern]).toEqual(['XXfallback', 'XXfallback']);
        await expectTransportsAgree(client, srv, Uint8Array.of(7));
      });

      it('fails the client when an IK answer does not authenticate', async () => {
        const client = new ClientHandshake(clientOptions({ serverStatic: server.staticKeyPair.publicKey }));
        const srv = new ServerHandshake(server.options());
        const [hello] = serverFrames(await client.start());
        const [serverHello] = clientFrames((await srv.receive(hello!))!);
        const tampered = serverHello!.slice();
        tampered[tampered.length - 1]! ^= 1;
        await expect(client.receive(tampered)).rejects.toThrow(NoiseDecryptError);
      });
    });

    describe('properties', () => {
      it('random keys and payloads complete every pattern with agreeing keys', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.uint8Array({ maxLength: 300 }),
            fc.constantFrom('XX', 'IK', 'stale IK' as const),
            fc.uint8Array({ minLength: 1, maxLength: 100 }),
            async (payload, mode, message) => {
              const key = await crypto.generateKeyPair();
              const rotated = await crypto.generateKeyPair();
              const serverStatic =
                mode === 'XX'
                  ? undefined
                  : mode === 'IK'
                    ? server.staticKeyPair.publicKey
                    : rotated.publicKey;
              const client = new ClientHandshake(clientOptions({ noiseKey: key, payload, serverStatic }));
              const srv = new ServerHandshake(server.options());
              const { client: c, server: s } = await runHandshake(client, srv);
              expect(c.pattern).toBe(mode === 'XX' ? 'XX' : mode === 'IK' ? 'IK' : 'XXfallback');
              expect(s.payload).toEqual(payload);
              expect(s.clientStatic).toEqual(key.publicKey);
              expect(c.handshakeHash).toEqual(s.handshakeHash);
              await expectTransportsAgree(client, srv, message);
            },
          ),
          { numRuns: 15 },
        );
      });

      it('any chunking of the whole conversation gives the same frames on both sides', async () => {
        const client = new ClientHandshake(clientOptions({ routingInfo: Uint8Array.of(1) }));
        const srv = new ServerHandshake(server.options());
        const first = await client.start();
        const serverHello = (await srv.receive(serverFrames(first)[0]!))!;
        const finish = (await client.receive(clientFrames(serverHello)[0]!))!;
        await srv.receive(clientFrames(finish)[0]!);
        const messages = [
          Uint8Array.of(1),
          new Uint8Array(3000).fill(2),
          new Uint8Array(0),
          Uint8Array.of(3, 3),
        ];
        const upstream = [first, finish];
        for (const m of messages) upstream.push(await client.result.transport.encryptFrame(m));
        const stream = concat(...upstream);
        await fc.assert(
          fc.asyncProperty(fc.array(fc.nat(stream.length), { maxLength: 10 }), async (cuts) => {
            const points = [...new Set(cuts)].sort((a, b) => a - b);
            const decoder = new ServerFrameDecoder();
            const frames: Uint8Array[] = [];
            let start = 0;
            for (const point of [...points, stream.length]) {
              frames.push(...decoder.push(stream.slice(start, point)));
              start = point;
            }
            expect(frames.map(bytesToHex)).toEqual([
              bytesToHex(serverFrames(first)[0]!),
              bytesToHex(clientFrames(finish)[0]!),
              ...upstream.slice(2).map((f) => bytesToHex(clientFrames(f)[0]!)),
            ]);
          }),
        );
      });
    });

    describe('malformed messages', () => {
      const hello = (body: Record<string, Uint8Array>) =>
        toBinary(HandshakeMessageSchema, create(HandshakeMessageSchema, { clientHello: body }));

      it('the server refuses a ClientHello that is not a HandshakeMessage, and stays failed', async () => {
        const srv = new ServerHandshake(server.options());
        await expect(srv.receive(Uint8Array.of(0xff, 0xff, 0xff))).rejects.toThrow(HandshakeMessageError);
        const error = await failure(srv.receive(hello({ ephemeral: new Uint8Array(32).fill(9) })));
        expect(error).toBeInstanceOf(HandshakeStateError);
        expect((error as HandshakeStateError).cause).toBeInstanceOf(HandshakeMessageError);
      });

      it('the server refuses a ClientHello without a 32-byte ephemeral, or with a misshapen static', async () => {
        const cases = [
          hello({}),
          hello({ ephemeral: new Uint8Array(31).fill(1) }),
          hello({
            ephemeral: new Uint8Array(32).fill(1),
            static: new Uint8Array(47),
            payload: new Uint8Array(16),
          }),
          hello({
            ephemeral: new Uint8Array(32).fill(1),
            static: new Uint8Array(48),
            payload: new Uint8Array(15),
          }),
          hello({ ephemeral: new Uint8Array(32).fill(1), payload: new Uint8Array(16) }),
          toBinary(HandshakeMessageSchema, create(HandshakeMessageSchema, { clientFinish: {} })),
        ];
        for (const frame of cases) {
          await expect(new ServerHandshake(server.options()).receive(frame)).rejects.toThrow(
            HandshakeMessageError,
          );
        }
      });

      it('the server refuses a low-order ephemeral key', async () => {
        const zero = hello({ ephemeral: new Uint8Array(32) });
        await expect(new ServerHandshake(server.options()).receive(zero)).rejects.toThrow(
          HandshakeMessageError,
        );
      });

      it('the client refuses a ServerHello that is garbage or misses a part', async () => {
        const good = new ServerHandshake(server.options());
        const reference = new ClientHandshake(clientOptions());
        const serverHello = fromBinary(
          HandshakeMessageSchema,
          clientFrames((await good.receive(serverFrames(await reference.start())[0]!))!)[0]!,
        ).serverHello!;
        const variants = [
          Uint8Array.of(0x1a, 0xff),
          toBinary(HandshakeMessageSchema, create(HandshakeMessageSchema, { clientHello: {} })),
          toBinary(
            HandshakeMessageSchema,
            create(HandshakeMessageSchema, { serverHello: { ...serverHello, static: new Uint8Array(0) } }),
          ),
          toBinary(
            HandshakeMessageSchema,
            create(HandshakeMessageSchema, {
              serverHello: { ...serverHello, ephemeral: new Uint8Array(33) },
            }),
          ),
          toBinary(
            HandshakeMessageSchema,
            create(HandshakeMessageSchema, { serverHello: { ...serverHello, payload: new Uint8Array(0) } }),
          ),
        ];
        for (const frame of variants) {
          const client = new ClientHandshake(clientOptions());
          await client.start();
          await expect(client.receive(frame)).rejects.toThrow(HandshakeMessageError);
        }
      });
    });

    describe('misuse', () => {
      it('throws HandshakeStateError when called out of order', async () => {
        const client = new ClientHandshake(clientOptions());
        await expect(client.receive(new Uint8Array(0))).rejects.toThrow(HandshakeStateError);
        const fresh = new ClientHandshake(clientOptions());
        await fresh.start();
        await expect(fresh.start()).rejects.toThrow(HandshakeStateError);
        const srv = new ServerHandshake(server.options());
        await runHandshake(new ClientHandshake(clientOptions()), srv);
        await expect(srv.receive(encodeFrame(new Uint8Array(1)))).rejects.toThrow(HandshakeStateError);
        expect(() => new ServerHandshake(server.options()).result).toThrow(HandshakeStateError);
      });

      it('rejects misshapen options with TypeError or RangeError before any IO', async () => {
        expect(() => new ClientHandshake(clientOptions({ serverStatic: new Uint8Array(31) }))).toThrow(
          RangeError,
        );
        expect(() => new ClientHandshake(clientOptions({ rootPublicKey: new Uint8Array(31) }))).toThrow(
          RangeError,
        );
        expect(
          () => new ClientHandshake({ ...clientOptions(), payload: 'x' as unknown as Uint8Array }),
        ).toThrow(TypeError);
        expect(() => new ServerHandshake(server.options({ certChain: Uint8Array.of(1, 2, 3) }))).toThrow(
          RangeError,
        );
      });
    });
  },
);
