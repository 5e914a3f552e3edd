/**
 * `NoiseConnection` alone, against a small server of real parts (ServerHandshake, NoiseTransport,
 * the node codec) over the in-memory transport: the rules of its file header, on the synchronous
 * frame path (a provider whose prepared keys have `encryptSync`/`decryptSync`) and on the async one
 * (prepared keys with promises only, and no prepared keys at all).
 */
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { ServerFrameDecoder, ServerHandshake } from '@wakit/noise';
import { issueCertChain } from '@wakit/noise/testing';
import { ClientPayloadSchema, create, toBinary } from '@wakit/proto';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type ConnectionEnd,
  HANDSHAKE_TIMEOUT_MS,
  NoiseConnection,
} from '../src/connection/noise-connection';
import { ConnectionClosedError, UndecodableFrameError } from '../src/errors';
import { createMemoryTransportPair, type MemoryTransport } from '../src/transport/memory-transport';
import { FakeTimers } from './_fake-timers';
import { until } from './_wait';

/** `base` whose prepared keys have only their promises: the transport then has no synchronous path. */
function withoutSyncKeys(base: CryptoProvider): CryptoProvider {
  return {
    ...base,
    name: `${base.name}, async prepared keys`,
    aesGcmKey: (key) => {
      const prepared = base.aesGcmKey!(key);
      return {
        encrypt: (...args) => prepared.encrypt(...args),
        decrypt: (...args) => prepared.decrypt(...args),
      };
    },
  };
}

/** `base` without prepared keys: every frame through the one-shot `aesGcmEncrypt`/`aesGcmDecrypt`. */
function withoutPreparedKeys(base: CryptoProvider): CryptoProvider {
  const { aesGcmKey: _, ...oneShot } = base;
  return { ...oneShot, name: `${base.name}, one-shot GCM` };
}

const CASES: readonly { crypto: CryptoProvider; sync: boolean }[] = [
  { crypto: nodeCrypto, sync: true },
  { crypto: nobleCrypto, sync: true },
  { crypto: withoutSyncKeys(nodeCrypto), sync: false },
  { crypto: withoutPreparedKeys(nodeCrypto), sync: false },
];

const node = (n: number): BinaryNode => ({ tag: 'iq', attrs: { id: String(n) } });
const ids = (nodes: readonly BinaryNode[]) => nodes.map((n) => n.attrs.id);

/** A promise with its resolve, for onNode handlers a test finishes by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

let server: { staticKeyPair: KeyPair; certChain: Uint8Array; rootPublicKey: Uint8Array };

beforeAll(async () => {
  const staticKeyPair = await nodeCrypto.generateKeyPair();
  const issued = await issueCertChain({ crypto: nodeCrypto, leafKey: staticKeyPair.publicKey });
  server = { staticKeyPair, certChain: issued.bytes, rootPublicKey: issued.rootPublicKey };
});

/** The server end: answers the handshake, records what it receives, sends what a test asks for. */
class TestServer {
  readonly received: BinaryNode[] = [];
  readonly #handshake = new ServerHandshake({
    crypto: nodeCrypto,
    staticKeyPair: server.staticKeyPair,
    certChain: server.certChain,
  });
  readonly #decoder = new ServerFrameDecoder();
  #chain: Promise<void> = Promise.resolve();

  constructor(readonly transport: MemoryTransport) {
    transport.on('data', (chunk) => {
      for (const frame of this.#decoder.push(chunk))
        this.#chain = this.#chain.then(() => this.#onFrame(frame));
    });
  }

  get ready(): boolean {
    return this.#handshake.isComplete;
  }

  /** A transport frame holding `plaintext` (a node's encoding, or any bytes). */
  frame(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#handshake.result.transport.encryptFrame(plaintext);
  }

  /** Sends `nodes` as frames in one chunk, so the client receives them in one `data` event. */
  async sendTogether(nodes: readonly BinaryNode[]): Promise<void> {
    const frames = [];
    for (const n of nodes) frames.push(await this.frame(encodeNode(n)));
    const chunk = new Uint8Array(frames.reduce((sum, f) => sum + f.length, 0));
    let offset = 0;
    for (const f of frames) {
      chunk.set(f, offset);
      offset += f.length;
    }
    this.transport.send(chunk);
  }

  async #onFrame(frame: Uint8Array): Promise<void> {
    if (!this.#handshake.isComplete) {
      const reply = await this.#handshake.receive(frame);
      if (reply !== undefined) this.transport.send(reply);
      return;
    }
    this.received.push(decodeNode(await this.#handshake.result.transport.decrypt(frame)));
  }
}

/** A started connection on `crypto`, its server, and what reached `onNode` and `onClose`. */
async function connect(
  crypto: CryptoProvider,
  onNode: (node: BinaryNode) => void | Promise<void> = () => {},
) {
  const pair = createMemoryTransportPair();
  const peer = new TestServer(pair.server);
  const delivered: BinaryNode[] = [];
  const ends: ConnectionEnd[] = [];
  const connection = new NoiseConnection({
    transport: pair.client,
    crypto,
    noiseKey: await crypto.generateKeyPair(),
    payload: toBinary(ClientPayloadSchema, create(ClientPayloadSchema, { passive: true })),
    rootPublicKey: server.rootPublicKey,
    timers: new FakeTimers(),
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    onTransportOpen: () => {},
    onHandshakeComplete: () => {},
    onNode: (n) => {
      delivered.push(n);
      return onNode(n);
    },
    onClose: (end) => ends.push(end),
  });
  await connection.start();
  await until(() => peer.ready, 'the server to complete the handshake');
  return { connection, peer, client: pair.client, delivered, ends };
}

describe.each(CASES.map((c) => [c.crypto.name, c] as const))(
  'NoiseConnection on %s',
  (_, { crypto, sync }) => {
    test(`${sync ? 'writes' : 'does not write'} a frame before send() returns`, async () => {
      const { connection, client, peer } = await connect(crypto);
      const written: Uint8Array[] = [];
      const send = client.send.bind(client);
      client.send = (data) => {
        written.push(data);
        send(data);
      };
      const sent = connection.send(node(1));
      expect(written).toHaveLength(sync ? 1 : 0);
      await sent;
      expect(written).toHaveLength(1);
      await until(() => peer.received.length === 1, 'the node at the server');
      expect(ids(peer.received)).toEqual(['1']);
    });

    test(`${sync ? 'hands' : 'does not hand'} a received node to onNode inside the transport's data event`, async () => {
      const { client, peer, delivered } = await connect(crypto);
      // Registered after the connection's listener, so it runs right after it, in the same event.
      const seenInEvent: number[] = [];
      client.on('data', () => seenInEvent.push(delivered.length));
      await peer.sendTogether([node(1)]);
      await until(() => delivered.length === 1, 'the node');
      expect(seenInEvent).toEqual([sync ? 1 : 0]);
    });

    test('writes nodes in the order send() was called, none awaited, and reads every one', async () => {
      const { connection, peer } = await connect(crypto);
      const sends = Array.from({ length: 30 }, (_, n) =>
        connection.send({ ...node(n), content: new Uint8Array((n * 37) % 500) }),
      );
      await Promise.all(sends);
      await until(() => peer.received.length === 30, 'thirty nodes at the server');
      expect(ids(peer.received)).toEqual(Array.from({ length: 30 }, (_, n) => String(n)));
    });

    test('delivers the frames of one chunk in order, all in that event when onNode returns nothing', async () => {
      const { client, peer, delivered } = await connect(crypto);
      const seenInEvent: number[] = [];
      client.on('data', () => seenInEvent.push(delivered.length));
      await peer.sendTogether([1, 2, 3, 4].map(node));
      await until(() => delivered.length === 4, 'four nodes');
      expect(ids(delivered)).toEqual(['1', '2', '3', '4']);
      if (sync) expect(seenInEvent).toEqual([4]);
    });

    test('decrypts no frame while an onNode promise is pending, frames of later chunks included', async () => {
      const gates = new Map([1, 2, 3, 4, 5].map((n) => [String(n), deferred()]));
      const { peer, delivered } = await connect(crypto, (n) => gates.get(n.attrs.id!)!.promise);
      await peer.sendTogether([1, 2, 3].map(node));
      await until(() => delivered.length === 1, 'the first node');
      await peer.sendTogether([4, 5].map(node));
      // Both chunks arrived (the memory transport delivers in a microtask) and wait behind node 1.
      await new Promise((resolve) => setImmediate(resolve));
      expect(ids(delivered)).toEqual(['1']);
      gates.get('1')!.resolve();
      await until(() => delivered.length === 2, 'the second node');
      expect(ids(delivered)).toEqual(['1', '2']);
      for (const n of ['2', '3', '4']) gates.get(n)!.resolve();
      await until(() => delivered.length === 5, 'every node');
      expect(ids(delivered)).toEqual(['1', '2', '3', '4', '5']);
    });

    test('handles every frame already received before reporting the transport closed', async () => {
      const gate = deferred();
      const { peer, delivered, ends } = await connect(crypto, (n) =>
        n.attrs.id === '1' ? gate.promise : undefined,
      );
      await peer.sendTogether([node(1), node(2), { tag: 'stream:error', attrs: { code: '503' } }]);
      peer.transport.close();
      await until(() => peer.transport.isClosed && delivered.length === 1, 'the first node and the close');
      await new Promise((resolve) => setImmediate(resolve));
      expect(ends).toEqual([]);
      gate.resolve();
      await until(() => ends.length === 1, 'the close');
      expect(delivered.map((n) => n.tag)).toEqual(['iq', 'iq', 'stream:error']);
      expect(ends[0]).toMatchObject({ reason: 'transport-closed' });
      expect(ends[0]!.error).toBeInstanceOf(ConnectionClosedError);
    });

    test('closes at once when the transport closes with nothing left to handle', async () => {
      const { peer, ends } = await connect(crypto);
      peer.transport.close();
      await until(() => ends.length === 1, 'the close');
      expect(ends[0]).toMatchObject({ reason: 'transport-closed' });
    });

    test('ends with UndecodableFrameError on a frame that does not decrypt, and handles nothing after it', async () => {
      const { connection, peer, delivered, ends } = await connect(crypto);
      const good = await peer.frame(encodeNode(node(1)));
      const tampered = good.slice();
      tampered[good.length - 1]! ^= 1;
      // The tampered frame takes the counter good would have had; the next frame cannot be read either.
      peer.transport.send(tampered);
      peer.transport.send(await peer.frame(encodeNode(node(2))));
      await until(() => ends.length === 1, 'the close');
      expect(ends[0]).toMatchObject({ reason: 'undecodable-frame' });
      expect(ends[0]!.error).toBeInstanceOf(UndecodableFrameError);
      expect(delivered).toEqual([]);
      await expect(connection.send(node(3))).rejects.toBeInstanceOf(ConnectionClosedError);
    });

    test('ends with UndecodableFrameError on a frame that decrypts but is no node', async () => {
      const { peer, delivered, ends } = await connect(crypto);
      await peer.sendTogether([node(1)]);
      peer.transport.send(await peer.frame(Uint8Array.of(0x00, 0xf8)));
      await until(() => ends.length === 1, 'the close');
      expect(ids(delivered)).toEqual(['1']);
      expect(ends[0]).toMatchObject({ reason: 'undecodable-frame' });
      expect((ends[0]!.error as Error).cause).toBeDefined();
    });

    test('handles nothing more once onNode closed the connection', async () => {
      let connection: NoiseConnection | undefined;
      const started = await connect(crypto, (n) => {
        if (n.attrs.id === '2') connection!.close({ reason: 'user' });
      });
      connection = started.connection;
      await started.peer.sendTogether([1, 2, 3].map(node));
      await until(() => started.ends.length === 1, 'the close');
      await new Promise((resolve) => setImmediate(resolve));
      expect(ids(started.delivered)).toEqual(['1', '2']);
      expect(started.ends[0]).toMatchObject({ reason: 'user' });
    });

    test('carries on with the next frame after an onNode that throws, leaving the failure unhandled', async () => {
      // The failure must surface as an unhandled rejection; vitest's own listener would count it as
      // a failure of the run, so this test takes the event for itself while it waits for it.
      const saved = process.listeners('unhandledRejection');
      process.removeAllListeners('unhandledRejection');
      const unhandled: unknown[] = [];
      process.on('unhandledRejection', (reason) => unhandled.push(reason));
      try {
        const failure = new TypeError('a handler bug');
        const { peer, delivered, ends } = await connect(crypto, (n) => {
          if (n.attrs.id === '1') throw failure;
        });
        await peer.sendTogether([1, 2].map(node));
        await until(() => delivered.length === 2 && unhandled.length === 1, 'both nodes and the failure');
        expect(ids(delivered)).toEqual(['1', '2']);
        expect(unhandled).toEqual([failure]);
        expect(ends).toEqual([]);
      } finally {
        process.removeAllListeners('unhandledRejection');
        for (const listener of saved) process.on('unhandledRejection', listener);
      }
    });
  },
);
