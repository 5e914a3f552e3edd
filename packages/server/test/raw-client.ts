/**
 * A minimal WhatsApp client for the tests: a `ws` socket, @wakit/noise's ClientHandshake, and the
 * binary-node codec. It queues every stanza it receives so tests can wait for the next one that
 * matches, and records how the socket closed (a close frame, or a drop with 1006).
 */
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { ClientHandshake, FrameDecoder, type NoiseTransport } from '@wakit/noise';
import WebSocket from 'ws';
import { DEADLINE_MS } from './until';

export interface RawClientOptions {
  rootPublicKey: Uint8Array;
  noiseKey: KeyPair;
  payload: Uint8Array;
  routingInfo?: Uint8Array;
}

export class RawClient {
  readonly #ws: WebSocket;
  readonly #frames = new FrameDecoder();
  readonly #handshake: ClientHandshake;
  #transport: NoiseTransport | undefined;
  #inbox: Promise<void> = Promise.resolve();
  readonly #queue: BinaryNode[] = [];
  readonly #waiters = new Set<() => void>();
  #outbox: Promise<void> = Promise.resolve();
  #counter = 0;
  /** Set when a frame failed to decrypt (the garbage fault). */
  decryptError: Error | undefined;
  /** The close code once the socket closed (1006: dropped without a close frame). */
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  readonly ready: Promise<void>;

  private constructor(url: string, options: RawClientOptions) {
    this.#handshake = new ClientHandshake({
      crypto,
      noiseKey: options.noiseKey,
      payload: options.payload,
      rootPublicKey: options.rootPublicKey,
      routingInfo: options.routingInfo,
    });
    this.#ws = new WebSocket(url, { headers: { origin: 'https://web.whatsapp.com' } });
    this.closed = new Promise((resolve) =>
      this.#ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
        this.#wake();
      }),
    );
    let handshakeDone!: () => void;
    let handshakeFailed!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      handshakeDone = resolve;
      handshakeFailed = reject;
    });
    this.#ws.on('open', async () => this.#ws.send(await this.#handshake.start()));
    this.#ws.on('error', (error) => handshakeFailed(error));
    this.#ws.on('message', (data: Buffer) => {
      for (const frame of this.#frames.push(new Uint8Array(data))) {
        this.#inbox = this.#inbox.then(async () => {
          if (!this.#handshake.isComplete) {
            try {
              const finish = await this.#handshake.receive(frame);
              if (finish) this.#ws.send(finish);
              this.#transport = this.#handshake.result.transport;
              handshakeDone();
            } catch (error) {
              handshakeFailed(error as Error);
            }
            return;
          }
          try {
            this.#queue.push(decodeNode(await this.#transport!.decrypt(frame)));
          } catch (error) {
            this.decryptError = error as Error;
          }
          this.#wake();
        });
      }
    });
  }

  /** Connects and completes the handshake. */
  static async connect(url: string, options: RawClientOptions): Promise<RawClient> {
    const client = new RawClient(url, options);
    await client.ready;
    return client;
  }

  /** Sends a stanza. */
  send(node: BinaryNode): void {
    const bytes = encodeNode(node);
    this.#outbox = this.#outbox.then(async () => {
      if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(await this.#transport!.encryptFrame(bytes));
    });
  }

  /** Sends an IQ (id assigned when absent) and resolves with the reply of the same id. */
  async query(node: BinaryNode, timeoutMs = DEADLINE_MS): Promise<BinaryNode> {
    const id = node.attrs.id ?? `c${++this.#counter}`;
    this.send({ ...node, attrs: { ...node.attrs, id } });
    return this.next(
      (n) => n.tag === 'iq' && n.attrs.id === id && n.attrs.type !== 'get' && n.attrs.type !== 'set',
      timeoutMs,
    );
  }

  /** Removes and returns the first queued stanza matching `match`, waiting up to `timeoutMs`. */
  async next(
    match: (node: BinaryNode) => boolean = () => true,
    timeoutMs = DEADLINE_MS,
  ): Promise<BinaryNode> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#queue.findIndex(match);
      if (index >= 0) return this.#queue.splice(index, 1)[0]!;
      if (this.closeCode !== undefined) {
        await this.#inbox;
        const late = this.#queue.findIndex(match);
        if (late >= 0) return this.#queue.splice(late, 1)[0]!;
        throw new Error(`socket closed (${this.closeCode}) before a matching stanza arrived`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(
          `no matching stanza within ${timeoutMs} ms; queued: ${this.#queue.map((n) => n.tag).join(',')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, remaining);
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(wake);
      });
    }
  }

  /** The next stanza with `tag`. */
  nextTag(tag: string, timeoutMs?: number): Promise<BinaryNode> {
    return this.next((n) => n.tag === tag, timeoutMs);
  }

  /** Closes the socket (close frame) and waits for it to close. */
  async close(): Promise<void> {
    if (this.closeCode === undefined) this.#ws.close();
    await this.closed;
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
