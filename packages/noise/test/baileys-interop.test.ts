/**
 * Interop with an independent implementation: Baileys' Noise initiator (`makeNoiseHandler`, npm
 * baileys@7.0.0-rc14, the code its socket runs in `validateConnection`) completes the handshake with
 * our ServerHandshake, and frames pass both ways through its transport.
 *
 * Baileys verifies the server chain against WhatsApp's root, hard-coded as
 * `WA_CERT_DETAILS.PUBLIC_KEY` in `baileys/lib/Defaults/index.js`. That export is a plain mutable
 * object, so this test swaps in the test root for the duration of the file and restores it after.
 * (Baileys' check turns out not to enforce anything, see the last test, which checks the signatures
 * with libsignal, the verifier Baileys calls, instead.)
 */
import {
  CertChain_NoiseCertificate_DetailsSchema,
  CertChainSchema,
  ClientPayloadSchema,
  fromBinary,
} from '@wakit/proto';
// Baileys' internals, imported the way its socket uses them (the package has no exports map).
import { NOISE_WA_HEADER, WA_CERT_DETAILS } from 'baileys/lib/Defaults/index.js';
import { Curve, generateSignalPubKey } from 'baileys/lib/Utils/crypto.js';
import type { ILogger } from 'baileys/lib/Utils/logger.js';
import { makeNoiseHandler } from 'baileys/lib/Utils/noise-handler.js';
import { proto } from 'baileys/WAProto/index.js';
// libsignal (npm, WhiskeySockets/libsignal-node) is Baileys' dependency and its signature verifier.
import * as libsignalCurve from 'libsignal/src/curve.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertChain } from '../src/cert-chain-issue';
import { ServerFrameDecoder } from '../src/intro';
import { ServerHandshake } from '../src/server-handshake';
import { bytesToHex, PROVIDERS } from './wa-helpers';

const silentLogger: ILogger = {
  level: 'silent',
  child: () => silentLogger,
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** `<message>receipt</message>`: a node Baileys' transport decodes (docs/protocol.md §3.1). */
const NODE_BYTES = Uint8Array.of(0x00, 0xf8, 0x02, 0x13, 0x07);
const REAL_ROOT = WA_CERT_DETAILS.PUBLIC_KEY;

afterAll(() => {
  WA_CERT_DETAILS.PUBLIC_KEY = REAL_ROOT;
});

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'Baileys as client, our server (%s)',
  (_, crypto) => {
    let server: {
      staticKeyPair: Awaited<ReturnType<typeof crypto.generateKeyPair>>;
      chain: Uint8Array;
      root: Uint8Array;
    };

    beforeAll(async () => {
      const staticKeyPair = await crypto.generateKeyPair();
      const issued = await issueCertChain({ crypto, leafKey: staticKeyPair.publicKey });
      server = { staticKeyPair, chain: issued.bytes, root: issued.rootPublicKey };
      // Baileys' hard-coded WhatsApp root, patched to this server's test root (restored in afterAll).
      WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.root);
    });

    /** Baileys' `validateConnection` against our server, in memory; returns both ends. */
    async function connect(options: { routingInfo?: Buffer } = {}) {
      const ephemeral = Curve.generateKeyPair();
      const noiseKey = Curve.generateKeyPair();
      const baileys = makeNoiseHandler({
        keyPair: ephemeral,
        NOISE_HEADER: NOISE_WA_HEADER,
        logger: silentLogger,
        routingInfo: options.routingInfo,
      });
      const ours = new ServerHandshake({
        crypto,
        staticKeyPair: server.staticKeyPair,
        certChain: server.chain,
      });
      const decoder = new ServerFrameDecoder();

      const hello = proto.HandshakeMessage.encode({ clientHello: { ephemeral: ephemeral.public } }).finish();
      const [helloFrame] = decoder.push(baileys.encodeFrame(hello));
      const serverHello = (await ours.receive(helloFrame!))!;

      const received: unknown[] = [];
      await baileys.decodeFrame(serverHello, (frame) => received.push(frame));
      const handshake = proto.HandshakeMessage.decode(received[0] as Uint8Array);
      const keyEnc = baileys.processHandshake(handshake, noiseKey);
      const clientPayload = proto.ClientPayload.encode({
        username: 15551234567,
        device: 3,
        passive: true,
      }).finish();
      const payloadEnc = baileys.encrypt(clientPayload);
      const finish = proto.HandshakeMessage.encode({
        clientFinish: { static: keyEnc, payload: payloadEnc },
      }).finish();
      const [finishFrame] = decoder.push(baileys.encodeFrame(finish));
      expect(await ours.receive(finishFrame!)).toBeUndefined();
      await baileys.finishInit();
      return { baileys, ours, decoder, noiseKey, clientPayload };
    }

    it('completes the handshake with our server when Baileys trusts the test root', async () => {
      const { ours, noiseKey, clientPayload } = await connect();
      expect(ours.result.pattern).toBe('XX');
      expect(bytesToHex(ours.result.clientStatic)).toBe(bytesToHex(noiseKey.public));
      expect(ours.result.payload).toEqual(new Uint8Array(clientPayload));
      const login = fromBinary(ClientPayloadSchema, ours.result.payload);
      expect([login.username, login.device, login.passive]).toEqual([15551234567n, 3, true]);
    });

    // Both providers' keys work synchronously, so our side runs either way: the promises, or the
    // synchronous methods a connection's frame loop uses.
    it.each(['promises', 'synchronous methods'] as const)(
      'passes frames both ways through the transports, in order, whole or split (ours: %s)',
      async (how) => {
        const { baileys, ours, decoder } = await connect({ routingInfo: Buffer.from([1, 2, 3]) });
        expect(decoder.intro?.routingInfo).toEqual(Uint8Array.of(1, 2, 3));
        const transport = ours.result.transport;
        expect(transport.supportsSync).toBe(true);
        const decrypt = async (frame: Uint8Array) =>
          how === 'promises' ? await transport.decrypt(frame) : transport.decryptSync(frame);
        const encryptFrame = async (plaintext: Uint8Array) =>
          how === 'promises'
            ? await transport.encryptFrame(plaintext)
            : transport.encryptFrameSync(plaintext);

        // Baileys -> us: its encodeFrame encrypts once the transport is up.
        const upstream = [Uint8Array.of(0, 1), NODE_BYTES, new Uint8Array(5000).fill(7)];
        for (const plaintext of upstream) {
          const [frame] = decoder.push(baileys.encodeFrame(plaintext));
          expect(await decrypt(frame!)).toEqual(plaintext);
        }

        // Us -> Baileys: three frames in one chunk, then one split across two chunks. Baileys decodes
        // each transport frame as a binary node.
        const nodes: unknown[] = [];
        const frames = [];
        for (let i = 0; i < 4; i++) frames.push(await encryptFrame(NODE_BYTES));
        await baileys.decodeFrame(Buffer.concat(frames.slice(0, 3)), (node) => nodes.push(node));
        await baileys.decodeFrame(frames[3]!.subarray(0, 10), (node) => nodes.push(node));
        expect(nodes).toHaveLength(3);
        await baileys.decodeFrame(frames[3]!.subarray(10), (node) => nodes.push(node));
        expect(nodes).toEqual(Array(4).fill({ tag: 'message', attrs: {}, content: 'receipt' }));
      },
    );

    it('signs the chain so that libsignal, the verifier Baileys calls, accepts it under the test root only', () => {
      // Baileys' `Curve.verify` returns true unless libsignal throws, and libsignal returns false for a
      // bad signature instead of throwing: Baileys would complete against any chain. So the signatures
      // are checked here with libsignal directly, under the key Baileys was given.
      const chain = fromBinary(CertChainSchema, server.chain);
      const intermediate = chain.intermediate!;
      const leaf = chain.leaf!;
      const intermediateKey = fromBinary(CertChain_NoiseCertificate_DetailsSchema, intermediate.details).key;
      const verify = (key: Uint8Array, cert: { details: Uint8Array; signature: Uint8Array }) =>
        libsignalCurve.verifySignature(
          generateSignalPubKey(Buffer.from(key)),
          Buffer.from(cert.details),
          Buffer.from(cert.signature),
        );
      expect(verify(server.root, intermediate)).toBe(true);
      expect(verify(intermediateKey, leaf)).toBe(true);
      expect(verify(REAL_ROOT, intermediate)).toBe(false);
      expect(verify(server.root, leaf)).toBe(false);
    });
  },
);
