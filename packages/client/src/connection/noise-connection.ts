/**
 * One connection to the server: a transport, the Noise handshake over it, then encrypted binary
 * nodes both ways. This is the IO shell around the sans-IO parts (`FrameDecoder`, `ClientHandshake`,
 * `NoiseTransport`, `encodeNode`/`decodeNode`); it knows nothing about pairing, login or reconnects.
 *
 * Rules this file keeps:
 * - Received frames are handled strictly in order, one at a time (the receive nonce is a counter);
 *   a node is fully handled (`onNode` settled) before the next frame is decrypted.
 * - Sent nodes are encrypted and written strictly in the order `send` was called.
 * - `onClose` runs exactly once, with the first reason the connection ended for. When the transport
 *   closes, frames already received are handled first, so a `<stream:error>` followed by the
 *   server's close is reported as the stream error, not as a bare close.
 * - Anything the server sends that does not decrypt or decode ends the connection with
 *   `UndecodableFrameError` (never a foreign error).
 *
 * The fast path: when the session's `NoiseTransport` works synchronously (`supportsSync`: the
 * provider's prepared AES-GCM keys have synchronous methods, as both of @wakit/crypto's do), `send`
 * encodes, encrypts and writes its frame before it returns, and a received frame is decrypted,
 * decoded and handed to `onNode` in the transport's `data` event. Frames wait in a queue only while
 * an `onNode` promise is pending (or, before the handshake completed, while the handshake reads).
 * No promise is made per frame otherwise. Without `supportsSync`, both directions await the
 * transport's promises, through the same queue and a chain of writes; the rules above hold either way.
 */
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { TimeoutError } from '@wakit/errors';
import { ClientHandshake, FrameDecoder, type NoiseTransport } from '@wakit/noise';
import { ConnectionClosedError, UndecodableFrameError } from '../errors';
import type { TimerHandle, Timers } from '../timers';
import type { Transport } from '../transport/transport';
import type { DisconnectAction, DisconnectReason } from './disconnect-policy';

/** The WhatsApp handshake response timeout (docs/protocol.md §2.2: 20 s in whatsapp-rust and whatsmeow). */
export const HANDSHAKE_TIMEOUT_MS = 20_000;

/** Why a connection ended. */
export interface ConnectionEnd {
  reason: DisconnectReason;
  /** What the client should do next, when whoever closed already decided it. */
  action?: DisconnectAction | undefined;
  error?: unknown;
}

/** Options of `NoiseConnection`. */
export interface NoiseConnectionOptions {
  transport: Transport;
  crypto: CryptoProvider;
  noiseKey: KeyPair;
  /** The encoded ClientPayload (login or registration). */
  payload: Uint8Array;
  rootPublicKey?: Uint8Array | undefined;
  routingInfo?: Uint8Array | undefined;
  timers: Timers;
  /** Covers opening the transport and the whole handshake. */
  handshakeTimeoutMs: number;
  /** Runs when the transport opened, before the handshake starts. */
  onTransportOpen(): void;
  /** The handshake completed; runs before any later frame is handled. */
  onHandshakeComplete(): void;
  /**
   * Every received node, in order; the next frame waits until the returned promise settles. It may
   * run inside the transport's `data` event. It should not throw or reject: a failure is left
   * unhandled (a bug to see, not the server's fault), and the next frame is handled after it.
   */
  onNode(node: BinaryNode): void | Promise<void>;
  /** Once, when the connection ended. */
  onClose(end: ConnectionEnd): void;
}

/** What a synchronous `send` returns: it has written its frame already. */
const SENT: Promise<void> = Promise.resolve();

/** A connection: open it with `start()`, then `send` nodes until it closes. */
export class NoiseConnection {
  readonly #options: NoiseConnectionOptions;
  readonly #decoder = new FrameDecoder();
  #handshake: ClientHandshake | undefined;
  #noise: NoiseTransport | undefined;
  // Set with #noise when its transport encrypts and decrypts synchronously (the fast path above).
  #sync = false;
  // Received frames not yet handled, in order. They wait only while #busy.
  readonly #frames: Uint8Array[] = [];
  // True while a frame is being handled: during the synchronous loop, and while a promise of one
  // (onNode, or the handshake's read, or an async decrypt) is pending.
  #busy = false;
  // Set when the transport ended while frames were still queued: the close waits for them.
  #closeWhenDrained: ConnectionEnd | undefined;
  // The write chain, for transports without the synchronous path only.
  #outbound: Promise<void> = Promise.resolve();
  #handshakeDone: { resolve(): void; reject(error: unknown): void } | undefined;
  #timer: TimerHandle | undefined;
  #end: ConnectionEnd | undefined;
  #lastReceivedAt: number;

  constructor(options: NoiseConnectionOptions) {
    this.#options = options;
    this.#lastReceivedAt = options.timers.now();
  }

  /** When bytes last arrived (ms, on the injected clock). */
  get lastReceivedAt(): number {
    return this.#lastReceivedAt;
  }

  /** True once the connection ended. */
  get closed(): boolean {
    return this.#end !== undefined;
  }

  /** Why the connection ended, once it has. */
  get end(): ConnectionEnd | undefined {
    return this.#end;
  }

  /**
   * Opens the transport and runs the handshake. Resolves when nodes may be sent; rejects with the
   * reason's error when the connection ended first (`onClose` has then run).
   */
  async start(): Promise<void> {
    const { transport, timers } = this.#options;
    this.#timer = timers.setTimeout(() => {
      const ms = this.#options.handshakeTimeoutMs;
      this.close({ reason: 'handshake-failed', error: new TimeoutError(`no handshake within ${ms} ms`, ms) });
    }, this.#options.handshakeTimeoutMs);
    const done = new Promise<void>((resolve, reject) => {
      this.#handshakeDone = { resolve, reject };
    });
    // Nobody else awaits `done` when start() fails early; keep its rejection from going unhandled.
    done.catch(() => {});
    transport.on('data', (chunk) => this.#onData(chunk));
    transport.on('error', (error) => this.#drainThenClose({ reason: 'transport-error', error }));
    transport.on('close', (info) => {
      const error = new ConnectionClosedError(
        `the transport closed${info.code === undefined ? '' : ` (code ${info.code})`}`,
      );
      this.#drainThenClose({ reason: 'transport-closed', error });
    });
    try {
      await transport.open();
    } catch (error) {
      this.close({ reason: 'transport-error', error });
      throw error;
    }
    if (this.#end !== undefined) throw this.#endError();
    this.#options.onTransportOpen();
    const { crypto, noiseKey, payload, rootPublicKey, routingInfo } = this.#options;
    this.#handshake = new ClientHandshake({
      crypto,
      noiseKey,
      payload,
      rootPublicKey,
      routingInfo,
      now: () => timers.now(),
    });
    try {
      transport.send(await this.#handshake.start());
    } catch (error) {
      this.close({ reason: 'handshake-failed', error });
    }
    await done;
  }

  /**
   * Encrypts and writes `node`; rejects with `ConnectionClosedError` when the connection is closed.
   * On the synchronous path the frame is on the transport when `send` returns.
   */
  send(node: BinaryNode): Promise<void> {
    if (this.#end !== undefined || this.#noise === undefined) {
      return Promise.reject(new ConnectionClosedError('the connection is not open'));
    }
    const noise = this.#noise;
    const plaintext = encodeNode(node);
    if (this.#sync) {
      // Written before returning, so frames reach the transport in call order with no chain at all.
      try {
        this.#options.transport.send(noise.encryptFrameSync(plaintext));
      } catch (error) {
        return Promise.reject(error);
      }
      return SENT;
    }
    const write = this.#outbound.then(async () => {
      const frame = await noise.encryptFrame(plaintext);
      if (this.#end !== undefined)
        throw new ConnectionClosedError('the connection closed before the node was sent');
      this.#options.transport.send(frame);
    });
    this.#outbound = write.catch(() => {});
    return write;
  }

  /** Ends the connection (idempotent: the first reason wins) and closes the transport. */
  close(end: ConnectionEnd): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    if (this.#timer !== undefined) this.#options.timers.clearTimeout(this.#timer);
    this.#handshakeDone?.reject(this.#endError());
    this.#options.transport.close();
    this.#options.onClose(end);
  }

  #endError(): unknown {
    return this.#end?.error ?? new ConnectionClosedError(`the connection closed (${this.#end?.reason})`);
  }

  /** Closes with `end` once every frame received so far was handled: at once when none waits. */
  #drainThenClose(end: ConnectionEnd): void {
    if (this.#busy) this.#closeWhenDrained ??= end;
    else this.close(end);
  }

  #onData(chunk: Uint8Array): void {
    if (this.#end !== undefined) return;
    this.#lastReceivedAt = this.#options.timers.now();
    let frames: Uint8Array[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.close({
        reason: 'undecodable-frame',
        error: new UndecodableFrameError('the frame stream broke', { cause: error }),
      });
      return;
    }
    for (const frame of frames) this.#frames.push(frame);
    // While busy, the loop that is running (or the promise it waits on) takes these in turn; this
    // also covers a transport that delivers data from inside onNode.
    if (!this.#busy) this.#drain();
  }

  /**
   * Handles queued frames in order until the queue is empty or a frame's handling returns a
   * promise; that promise's settling resumes the loop. Then, once idle, a pending close runs.
   */
  #drain(): void {
    this.#busy = true;
    const frames = this.#frames;
    while (frames.length > 0) {
      if (this.#end !== undefined) {
        frames.length = 0;
        break;
      }
      const pending = this.#handleFrame(frames.shift()!);
      if (pending !== undefined) {
        pending.then(
          () => this.#drain(),
          (error: unknown) => {
            this.#drain();
            // onNode broke its contract: surface the failure rather than hide it (see onNode).
            throw error;
          },
        );
        return;
      }
    }
    this.#busy = false;
    const end = this.#closeWhenDrained;
    if (end !== undefined) this.close(end);
  }

  /** Handles one frame; returns a promise only when the next frame must wait for it. */
  #handleFrame(frame: Uint8Array): Promise<void> | undefined {
    const noise = this.#noise;
    if (noise === undefined) return this.#onServerHello(frame);
    if (!this.#sync) return this.#onFrameAsync(noise, frame);
    let node: BinaryNode;
    try {
      node = decodeNode(noise.decryptSync(frame));
    } catch (error) {
      this.#undecodable(error);
      return undefined;
    }
    return this.#deliver(node);
  }

  /** The transport without the synchronous path: the decrypt is awaited. */
  async #onFrameAsync(noise: NoiseTransport, frame: Uint8Array): Promise<void> {
    let node: BinaryNode;
    try {
      node = decodeNode(await noise.decrypt(frame));
    } catch (error) {
      this.#undecodable(error);
      return;
    }
    if (this.#end !== undefined) return;
    await this.#deliver(node);
  }

  /** `onNode(node)`; its promise when it returned one, a throw as a rejected promise. */
  #deliver(node: BinaryNode): Promise<void> | undefined {
    let handled: unknown;
    try {
      handled = this.#options.onNode(node);
    } catch (error) {
      return Promise.reject(error);
    }
    return isPromiseLike(handled) ? Promise.resolve(handled) : undefined;
  }

  #undecodable(cause: unknown): void {
    const error = new UndecodableFrameError('a frame from the server did not decrypt or decode', { cause });
    this.close({ reason: 'undecodable-frame', error });
  }

  async #onServerHello(frame: Uint8Array): Promise<void> {
    const handshake = this.#handshake;
    if (handshake === undefined) {
      this.close({
        reason: 'handshake-failed',
        error: new UndecodableFrameError('a frame arrived before the handshake started'),
      });
      return;
    }
    try {
      const finish = await handshake.receive(frame);
      if (this.#end !== undefined) return;
      // Set before writing the finish: the server's first encrypted frame can only follow it.
      const transport = handshake.result.transport;
      this.#noise = transport;
      this.#sync = transport.supportsSync;
      if (finish !== undefined) this.#options.transport.send(finish);
    } catch (error) {
      // By code, not instanceof: a second copy of @wakit/noise throws its own class.
      const reason = isCertificateError(error) ? 'certificate-refused' : 'handshake-failed';
      this.close({ reason, error });
      return;
    }
    if (this.#timer !== undefined) this.#options.timers.clearTimeout(this.#timer);
    this.#options.onHandshakeComplete();
    this.#handshakeDone?.resolve();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function isCertificateError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_NOISE_CERT_CHAIN';
}
