/**
 * The thin IO shell around one WebSocket: intro and frame splitting (`ServerFrameDecoder`), the
 * Noise responder (`ServerHandshake`), the encrypted transport, and the binary-node codec. Frames
 * are handled strictly in arrival order and stanzas are written strictly in send order, because
 * the transport's counters require both. The protocol itself lives in `ConnectionHandler`.
 *
 * Fault hooks for tests live here too, since they act on the socket: drop it without a close
 * frame, stall it, write a frame that does not decrypt, end it with a stream error.
 */
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { encodeFrame, type NoiseTransport, ServerFrameDecoder, ServerHandshake } from '@wakit/noise';
import type { WebSocket } from 'ws';
import { ConnectionHandler } from './connection-handler';
import type { ConnectionState } from './connection-state';
import type { StreamConflict } from './nodes';
import type { ServerState } from './server-state';

/** The server's Noise identity: its static key and the chain certifying it. */
export interface NoiseIdentity {
  staticKeyPair: KeyPair;
  certChain: Uint8Array;
  /** Drop a client that has not finished the handshake by then (docs/protocol.md §2.2: 20 s). */
  handshakeTimeoutMs: number;
}

/** One client connection, with its fault hooks. */
export class ServerConnection {
  readonly handler: ConnectionHandler;
  readonly #ws: WebSocket;
  readonly #decoder = new ServerFrameDecoder();
  readonly #handshake: ServerHandshake;
  #transport: NoiseTransport | undefined;
  #inbox: Promise<void> = Promise.resolve();
  #outbox: Promise<void> = Promise.resolve();
  #stall: Promise<void> | undefined;
  #ended = false;
  #framesReceived = 0;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Built by the server for every accepted WebSocket. */
  constructor(ws: WebSocket, state: ServerState, identity: NoiseIdentity, id: number) {
    this.#ws = ws;
    this.#handshake = new ServerHandshake({
      crypto: state.crypto,
      staticKeyPair: identity.staticKeyPair,
      certChain: identity.certChain,
    });
    this.#handshakeTimer = setTimeout(() => this.#abort('handshake timed out'), identity.handshakeTimeoutMs);
    this.handler = new ConnectionHandler(
      state,
      {
        send: (node) => this.#write(node),
        close: (reason) => this.#closeAfterWrites(reason),
        abort: (reason) => this.#abort(reason),
      },
      id,
    );
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return this.#abort('text WebSocket message');
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      let frames: Uint8Array[];
      try {
        frames = this.#decoder.push(bytes);
      } catch (error) {
        return this.#abort(`bad intro or frame: ${(error as Error).message}`);
      }
      this.#framesReceived += frames.length;
      for (const frame of frames) this.#inbox = this.#inbox.then(() => this.#onFrame(frame));
    });
    ws.on('close', () => this.#ended || this.#end('socket closed'));
    ws.on('error', () => this.#abort('socket error'));
  }

  /** Server-assigned id. */
  get id(): number {
    return this.handler.id;
  }

  /** The device on this connection, once logged in or paired. */
  get deviceJid(): string | undefined {
    return this.handler.deviceJid;
  }

  /** The client's passive mode: `true` after `<passive/>`, `false` after `<active/>`, undefined before either. */
  get passive(): boolean | undefined {
    return this.handler.passive;
  }

  /** Lifecycle state (`handshaking`, `unpaired`, `pairing`, `paired`, `logged-in`, `closed`). */
  get state(): ConnectionState {
    return this.handler.state;
  }

  /** The pairing refs issued to this connection while it waits unpaired (one QR each). */
  get refs(): readonly string[] {
    return this.handler.refs;
  }

  /** Frames received from the client so far (handshake included), processed or still queued. */
  get framesReceived(): number {
    return this.#framesReceived;
  }

  /** Sends a stanza to the client. */
  send(node: BinaryNode): void {
    this.handler.send(node);
  }

  /** Fault: destroys the socket with no close frame and no stream error, like a network drop. */
  drop(): void {
    this.#abort('dropped by fault hook');
  }

  /**
   * Fault: stops processing the client's frames and writing anything until the returned function
   * is called; what arrived or was sent meanwhile is then handled in order.
   */
  stall(): () => void {
    let release!: () => void;
    const stall = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#stall = stall;
    const gate = (): Promise<void> => stall;
    this.#inbox = this.#inbox.then(gate);
    this.#outbox = this.#outbox.then(gate);
    return () => {
      if (this.#stall === stall) this.#stall = undefined;
      release();
    };
  }

  /** Fault: `<stream:error code=…>` (optionally with a conflict), then closes, as the real server does. */
  sendStreamError(code: number | undefined, conflict?: StreamConflict): void {
    this.handler.kick(code, conflict);
  }

  /** Fault: writes one frame of random bytes that cannot decrypt under the session's keys. */
  sendGarbage(length = 48): void {
    const garbage = crypto.getRandomValues(new Uint8Array(length));
    this.#outbox = this.#outbox.then(() => this.#wsSend(encodeFrame(garbage)));
  }

  /** Closes gracefully (close frame) after pending writes. */
  close(reason = 'closed by server'): Promise<void> {
    this.#closeAfterWrites(reason);
    this.handler.closed(reason);
    return this.#outbox;
  }

  /** @internal Destroys the socket at once (server shutdown). */
  terminate(): void {
    this.#abort('server closed');
  }

  async #onFrame(frame: Uint8Array): Promise<void> {
    if (this.#ended) return;
    try {
      if (!this.#handshake.isComplete) {
        const reply = await this.#handshake.receive(frame);
        if (reply !== undefined) this.#outbox = this.#outbox.then(() => this.#wsSend(reply));
        if (this.#handshake.isComplete) {
          clearTimeout(this.#handshakeTimer);
          const { transport, clientStatic, payload } = this.#handshake.result;
          this.#transport = transport;
          await this.handler.start(clientStatic, payload);
        }
        return;
      }
      const node = decodeNode(await this.#transport!.decrypt(frame));
      await this.handler.receive(node);
    } catch (error) {
      this.#abort(`bad frame: ${(error as Error).message}`);
    }
  }

  #write(node: BinaryNode): void {
    const plaintext = encodeNode(node);
    this.#outbox = this.#outbox.then(async () => {
      if (this.#transport === undefined || this.#ended) return;
      this.#wsSend(await this.#transport.encryptFrame(plaintext));
    });
  }

  #wsSend(bytes: Uint8Array): void {
    if (!this.#ended && this.#ws.readyState === this.#ws.OPEN) this.#ws.send(bytes);
  }

  #closeAfterWrites(reason: string): void {
    this.#outbox = this.#outbox.then(() => {
      if (this.#ended) return;
      clearTimeout(this.#handshakeTimer);
      this.#ended = true;
      this.#ws.close(1000, reason.slice(0, 100));
    });
  }

  #abort(reason: string): void {
    this.#end(reason);
    this.#ws.terminate();
  }

  #end(reason: string): void {
    clearTimeout(this.#handshakeTimer);
    this.#ended = true;
    this.handler.closed(reason);
  }
}
