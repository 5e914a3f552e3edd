/**
 * The Noise layer: what the server sends before any key exists (frames, the ServerHello and its
 * certificate chain), and, for `@wakit/server` and test servers, what a client sends (the intro
 * with its optional edge-routing preamble, the ClientHello). Handshake targets start from a fixed
 * ephemeral key, so the seeds (real messages for that key) stay valid and mutations reach past the
 * protobuf into the decryptions and the chain checks.
 */
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  ClientHandshake,
  encodeFrame,
  encodeIntro,
  FrameDecoder,
  ServerFrameDecoder,
  ServerHandshake,
  verifyCertChain,
} from '@wakit/noise';
import { issueCertChain } from '@wakit/noise/testing';
import type { FuzzTarget } from '../target';

const PAYLOAD = new Uint8Array(40).fill(0x2a);
/** Bytes of the connection header that precedes the first frame. */
const HEADER_LENGTH = 4;
const FRAME_LENGTH_SIZE = 3;

interface Fixture {
  server: { staticKeyPair: KeyPair; certChain: Uint8Array; rootPublicKey: Uint8Array };
  client: { noiseKey: KeyPair; ephemeral: KeyPair };
  clientHello: Uint8Array;
  serverHello: Uint8Array;
}

let fixture: Promise<Fixture> | undefined;

/** One server and one client identity, and the first message each sends the other. */
function getFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const staticKeyPair = await crypto.generateKeyPair();
    const issued = await issueCertChain({ crypto, leafKey: staticKeyPair.publicKey });
    const server = { staticKeyPair, certChain: issued.bytes, rootPublicKey: issued.rootPublicKey };
    const client = { noiseKey: await crypto.generateKeyPair(), ephemeral: await crypto.generateKeyPair() };
    const opening = await newClient(server, client).start();
    const clientHello = opening.subarray(HEADER_LENGTH + FRAME_LENGTH_SIZE);
    const serverHello = (await newServer(server).receive(clientHello))!.subarray(FRAME_LENGTH_SIZE);
    return { server, client, clientHello, serverHello };
  })();
  return fixture;
}

function newClient(server: Fixture['server'], client: Fixture['client']): ClientHandshake {
  return new ClientHandshake({
    crypto,
    noiseKey: client.noiseKey,
    ephemeral: client.ephemeral,
    payload: PAYLOAD,
    rootPublicKey: server.rootPublicKey,
  });
}

function newServer(server: Fixture['server']): ServerHandshake {
  return new ServerHandshake({ crypto, staticKeyPair: server.staticKeyPair, certChain: server.certChain });
}

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'noise/frames',
    async seeds() {
      return [encodeFrame(PAYLOAD), encodeFrame(new Uint8Array(0)), encodeFrame(new Uint8Array(300).fill(1))];
    },
    // Split where the input says, so the reassembly across pushes is exercised too.
    run(input) {
      const decoder = new FrameDecoder({ maxFrameSize: 1 << 16 });
      const cut = input.length === 0 ? 0 : input[0]! % (input.length + 1);
      decoder.push(input.subarray(0, cut));
      decoder.push(input.subarray(cut));
    },
  },
  {
    name: 'noise/intro',
    async seeds() {
      return [
        encodeFrame(PAYLOAD, encodeIntro()),
        encodeFrame(PAYLOAD, encodeIntro({ routingInfo: Uint8Array.of(8, 2, 8, 5) })),
      ];
    },
    run(input) {
      new ServerFrameDecoder({ maxFrameSize: 1 << 16 }).push(input);
    },
  },
  {
    name: 'noise/client-hello',
    async seeds() {
      return [(await getFixture()).clientHello];
    },
    async run(input) {
      await newServer((await getFixture()).server).receive(input);
    },
  },
  {
    name: 'noise/server-hello',
    async seeds() {
      return [(await getFixture()).serverHello];
    },
    async run(input) {
      const { server, client } = await getFixture();
      const handshake = newClient(server, client);
      await handshake.start();
      await handshake.receive(input);
    },
  },
  {
    name: 'noise/cert-chain',
    async seeds() {
      return [(await getFixture()).server.certChain];
    },
    async run(input) {
      const { server } = await getFixture();
      await verifyCertChain(input, {
        crypto,
        serverStatic: server.staticKeyPair.publicKey,
        rootPublicKey: server.rootPublicKey,
      });
    },
  },
];
