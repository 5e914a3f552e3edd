/**
 * A scripted server for client tests, over in-memory transports: the real server side of the
 * handshake (`ServerHandshake` with a chain from `issueCertChain`), real frame encryption and the
 * real node codec. What it says after the handshake is scripted by each test; by default it logs a
 * paired device in (`<success>`), answers keepalive pings and the post-login IQs, and registers an
 * unpaired one silently (the test sends `pair-device` itself).
 */
import { type BinaryNode, decodeNode, encodeNode, getChild } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { ServerFrameDecoder, ServerHandshake } from '@wakit/noise';
import { issueCertChain } from '@wakit/noise/testing';
import { type ClientPayload, ClientPayloadSchema, fromBinary } from '@wakit/proto';
import { createMemoryTransportPair, type MemoryTransport } from '../src/transport/memory-transport';
import type { TransportFactory } from '../src/transport/transport';
import { DEADLINE_MS } from './_wait';

export const S = '@s.whatsapp.net';

/** The server's `<iq type="set" id="pd1"><pair-device>` offering `refs` to an unpaired client. */
export function pairDeviceNode(refs: readonly string[]): BinaryNode {
  return {
    tag: 'iq',
    attrs: { from: S, type: 'set', id: 'pd1', xmlns: 'md' },
    content: [
      {
        tag: 'pair-device',
        attrs: {},
        content: refs.map((ref) => ({ tag: 'ref', attrs: {}, content: ref })),
      },
    ],
  };
}

/** One accepted connection. */
export class FakeConnection {
  readonly received: BinaryNode[] = [];
  payload: ClientPayload | undefined;
  #handshake: ServerHandshake;
  #decoder = new ServerFrameDecoder();
  #chain: Promise<void> = Promise.resolve();
  #waiters: { match: (node: BinaryNode) => boolean; resolve: (node: BinaryNode) => void }[] = [];
  #ready: { resolve: () => void; promise: Promise<void> };
  closed = false;

  constructor(
    readonly server: FakeServer,
    readonly transport: MemoryTransport,
  ) {
    this.#handshake = new ServerHandshake({
      crypto: nodeCrypto,
      staticKeyPair: server.staticKeyPair,
      certChain: server.certChain,
    });
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    this.#ready = { resolve, promise };
    transport.on('data', (chunk) => {
      for (const frame of this.#decoder.push(chunk)) {
        this.#chain = this.#chain
          .then(() => this.#onFrame(frame))
          .catch((error: unknown) => {
            server.errors.push(error);
            transport.close();
          });
      }
    });
    transport.on('close', () => {
      this.closed = true;
    });
  }

  /** True when the client logged in (username set) rather than registered. */
  get paired(): boolean {
    return this.payload?.username !== undefined && this.payload.username !== 0n;
  }

  /** What the client sent before its first frame: the header and any edge-routing preamble. */
  get intro() {
    return this.#decoder.intro;
  }

  /** Resolves once the handshake completed. */
  ready(): Promise<void> {
    return this.#ready.promise;
  }

  /** Encrypts and sends a node. */
  async send(node: BinaryNode): Promise<void> {
    const frame = await this.#handshake.result.transport.encryptFrame(encodeNode(node));
    this.transport.send(frame);
  }

  /** Sends raw bytes (as a frame payload, unencrypted framing). */
  sendFrame(payload: Uint8Array): void {
    const frame = new Uint8Array(3 + payload.length);
    frame[0] = payload.length >> 16;
    frame[1] = (payload.length >> 8) & 0xff;
    frame[2] = payload.length & 0xff;
    frame.set(payload, 3);
    this.transport.send(frame);
  }

  close(): void {
    this.transport.close();
  }

  /** The next received node (already received ones count) that `match` accepts. */
  waitFor(match: (node: BinaryNode) => boolean, what = 'a node'): Promise<BinaryNode> {
    const seen = this.received.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the fake server never received ${what}`)),
        DEADLINE_MS,
      );
      this.#waiters.push({
        match,
        resolve: (node) => {
          clearTimeout(timer);
          resolve(node);
        },
      });
    });
  }

  async #onFrame(frame: Uint8Array): Promise<void> {
    if (!this.#handshake.isComplete) {
      if (!this.server.answerHandshake) return;
      const reply = await this.#handshake.receive(frame);
      if (reply !== undefined) this.transport.send(reply);
      if (this.#handshake.isComplete) {
        this.payload = fromBinary(ClientPayloadSchema, this.#handshake.result.payload);
        this.#ready.resolve();
        await this.server.onReady(this);
      }
      return;
    }
    const node = decodeNode(await this.#handshake.result.transport.decrypt(frame));
    this.received.push(node);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(node)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(node);
      }
    }
    await this.server.onNode(this, node);
  }
}

/** Scripts: what the server does at each point. Tests overwrite the fields they need. */
export class FakeServer {
  readonly connections: FakeConnection[] = [];
  readonly errors: unknown[] = [];
  /** How many next transports refuse to open (a server that is down). */
  refuseNext = 0;
  /** Answer the client's handshake messages (false: a server that accepts the socket, then stays silent). */
  answerHandshake = true;
  /** Send `<success>` to a paired client right after the handshake. */
  autoSuccess = true;
  /** Answer `w:p` pings. */
  answerPings = true;
  /** The prekey count the server claims. */
  preKeyCount = 100;
  /**
   * The answer to the key-bundle `<digest/>` query: the `<digest>` node, or an IQ error code. This
   * server keeps no keys, so by default it says 501 (the client logs it and moves on).
   */
  digest: BinaryNode | number = 501;
  /** Extra IQ answers: return a reply node to send, or undefined for the default. */
  onIq: ((connection: FakeConnection, iq: BinaryNode) => BinaryNode | undefined | 'ignore') | undefined;
  /** Called after each handshake (after the default success). */
  onConnection: ((connection: FakeConnection) => void | Promise<void>) | undefined;
  #listeners: ((connection: FakeConnection) => void)[] = [];

  private constructor(
    readonly staticKeyPair: KeyPair,
    readonly certChain: Uint8Array,
    readonly rootPublicKey: Uint8Array,
  ) {}

  static async create(): Promise<FakeServer> {
    const staticKeyPair = await nodeCrypto.generateKeyPair();
    const issued = await issueCertChain({ crypto: nodeCrypto, leafKey: staticKeyPair.publicKey });
    return new FakeServer(staticKeyPair, issued.bytes, issued.rootPublicKey);
  }

  /** The client's transport factory: every call is a new in-memory connection to this server. */
  readonly transport: TransportFactory = () => {
    const { client, server } = createMemoryTransportPair();
    if (this.refuseNext > 0) {
      this.refuseNext -= 1;
      client.refuseWith = new Error('connection refused (fake server down)');
      return client;
    }
    const connection = new FakeConnection(this, server);
    this.connections.push(connection);
    for (const listener of this.#listeners.splice(0)) listener(connection);
    return client;
  };

  /** The latest connection. */
  get last(): FakeConnection {
    const connection = this.connections.at(-1);
    if (connection === undefined) throw new Error('no connection yet');
    return connection;
  }

  /** Resolves with connection number `index` (0-based) once it exists and finished its handshake. */
  async connection(index: number): Promise<FakeConnection> {
    let connection = this.connections[index];
    while (connection === undefined) {
      connection = await new Promise<FakeConnection>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`connection #${index} never came`)), DEADLINE_MS);
        this.#listeners.push((c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      connection = this.connections[index];
    }
    await connection.ready();
    return connection;
  }

  /** @internal */
  async onReady(connection: FakeConnection): Promise<void> {
    if (connection.paired && this.autoSuccess) {
      await connection.send({ tag: 'success', attrs: { t: '1700000000', lid: '99887766:2@lid' } });
    }
    await this.onConnection?.(connection);
  }

  /** @internal */
  async onNode(connection: FakeConnection, node: BinaryNode): Promise<void> {
    if (node.tag !== 'iq' || (node.attrs.type !== 'get' && node.attrs.type !== 'set')) return;
    const custom = this.onIq?.(connection, node);
    if (custom === 'ignore') return;
    if (custom !== undefined) {
      await connection.send(custom);
      return;
    }
    const result = (content?: BinaryNode[]): BinaryNode => ({
      tag: 'iq',
      attrs: { from: S, type: 'result', id: node.attrs.id ?? '' },
      ...(content === undefined ? {} : { content }),
    });
    const xmlns = node.attrs.xmlns;
    if (xmlns === 'w:p') {
      if (this.answerPings) await connection.send(result());
    } else if (xmlns === 'encrypt' && getChild(node, 'digest') !== undefined) {
      await connection.send(
        typeof this.digest === 'number'
          ? {
              tag: 'iq',
              attrs: { from: S, type: 'error', id: node.attrs.id ?? '' },
              content: [{ tag: 'error', attrs: { code: String(this.digest), text: 'scripted' } }],
            }
          : result([this.digest]),
      );
    } else if (xmlns === 'encrypt' && getChild(node, 'count') !== undefined) {
      await connection.send(result([{ tag: 'count', attrs: { value: String(this.preKeyCount) } }]));
    } else if (xmlns === 'encrypt' || xmlns === 'passive' || xmlns === 'md') {
      await connection.send(result());
    }
  }
}
