/**
 * The client (initiator) side of the WhatsApp handshake, sans-IO (docs/protocol.md §2.2; whatsapp-rust
 * `wacore/noise/src/handshake.rs`, whatsmeow `handshake.go`):
 *
 *   start()            -> intro || frame(ClientHello)           XX: {ephemeral}
 *                                                               IK: {ephemeral, static, payload}
 *   receive(frame)     <- ServerHello
 *     XX               {ephemeral, static, payload}: verify the chain -> frame(ClientFinish{static, payload})
 *     IK accepted      {ephemeral, payload} (no static): complete, nothing to send
 *     IK rejected      {ephemeral, static, payload}: XXfallback with the same ephemeral, verify the
 *                      chain -> frame(ClientFinish{static, payload})
 *   result             { transport, pattern, serverStatic, certChain, ... }
 *
 * IK rejection is detected the way WA Web does it: the ServerHello carries a `static` field
 * ("resumeNoiseHandshake failed: serverStaticCiphertext not null", whatsapp-rust
 * `agent_docs/noise_handshake.md`). The XXfallback then reuses the ephemeral already on the wire.
 *
 * Any failure (malformed message, bad tag, refused certificate) ends the handshake: later calls throw
 * `HandshakeStateError` with the failure as `cause`. The stream cannot be resynchronised, so the
 * caller closes the connection; after a failed IK it should forget the cached server static.
 * Timeouts (WhatsApp uses 20 s) belong to the IO shell.
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { assertBytes, copyBytes } from './_bytes';
import {
  decodeHandshakeMessage,
  encodeHandshakeMessage,
  joinNoiseMessage,
  requireCiphertext,
  requireLength,
  SEALED_KEY_SIZE,
  splitNoiseMessage,
} from './_wa-handshake-message';
import { waHandshakeState } from './_wa-noise';
import { type VerifiedCertChain, verifyCertChain } from './cert-chain';
import { HandshakeStateError } from './errors';
import { encodeFrame } from './frame-encoder';
import type { HandshakeState } from './handshake-state';
import { encodeIntro } from './intro';
import { NoiseTransport } from './transport';
import { DH_KEY_SIZE, WA_NONCE_LIMIT, type WaPattern } from './wa-constants';

export interface ClientHandshakeOptions {
  crypto: CryptoProvider;
  /** The device's long-term Noise key pair (`noiseKey` in every client's store). */
  noiseKey: KeyPair;
  /** The encoded ClientPayload (login or registration, docs/protocol.md §2.5), sent encrypted. */
  payload: Uint8Array;
  /** Root key the server's certificate chain must lead to. Defaults to WhatsApp's. */
  rootPublicKey?: Uint8Array | undefined;
  /** Clock for the certificate windows, milliseconds since the Unix epoch; defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** Edge-routing info from an earlier `<edge_routing>`: sent in the preamble before the header. */
  routingInfo?: Uint8Array | undefined;
  /**
   * The server static key cached from an earlier handshake (its leaf key). When given, the client
   * tries IK and sends `payload` in its first message; the server may still fall back to XX.
   */
  serverStatic?: Uint8Array | undefined;
  /** The ephemeral key pair, for known-answer tests only; generated when absent. */
  ephemeral?: KeyPair | undefined;
}

/** What a completed client handshake yields. */
export interface ClientHandshakeResult {
  /** The encrypted session: the client sends with the first key of the split, receives with the second. */
  transport: NoiseTransport;
  /** The pattern that completed: `IK` when the server accepted the resume. */
  pattern: WaPattern;
  /** The server's static key: verified through its certificate chain (XX, XXfallback) or the cached one (IK). */
  serverStatic: Uint8Array;
  /**
   * The verified chain, to cache with `serverStatic` for the next IK attempt. Undefined after IK:
   * the cached chain stays authoritative, and completing IK proved the server holds that key.
   */
  certChain: VerifiedCertChain | undefined;
  /** The decrypted ServerHello payload (the encoded CertChain in XX and XXfallback). */
  serverPayload: Uint8Array;
  /** The final handshake hash, for channel binding. */
  handshakeHash: Uint8Array;
}

type Phase = 'new' | 'starting' | 'awaiting-server-hello' | 'receiving' | 'complete' | 'failed';

/**
 * The client side of one WhatsApp handshake.
 *
 * @example
 * ```ts
 * const client = new ClientHandshake({ crypto, noiseKey, payload: toBinary(ClientPayloadSchema, login) });
 * socket.write(await client.start());
 * const frames = new FrameDecoder();
 * // on the first frame from the server:
 * const finish = await client.receive(frame);
 * if (finish) socket.write(finish);
 * const { transport, serverStatic, certChain } = client.result;
 * ```
 */
export class ClientHandshake {
  readonly #options: ClientHandshakeOptions;
  #phase: Phase = 'new';
  #failure: unknown;
  #noise: HandshakeState | undefined;
  #result: ClientHandshakeResult | undefined;

  /** Checks the keys and options synchronously (TypeError/RangeError); no IO, no crypto yet. */
  constructor(options: ClientHandshakeOptions) {
    assertBytes('payload', options.payload);
    assertBytes('noiseKey.publicKey', options.noiseKey?.publicKey, DH_KEY_SIZE);
    assertBytes('noiseKey.privateKey', options.noiseKey.privateKey, DH_KEY_SIZE);
    if (options.ephemeral !== undefined) {
      assertBytes('ephemeral.publicKey', options.ephemeral.publicKey, DH_KEY_SIZE);
      assertBytes('ephemeral.privateKey', options.ephemeral.privateKey, DH_KEY_SIZE);
    }
    if (options.serverStatic !== undefined) assertBytes('serverStatic', options.serverStatic, DH_KEY_SIZE);
    if (options.routingInfo !== undefined) assertBytes('routingInfo', options.routingInfo);
    if (options.rootPublicKey !== undefined) assertBytes('rootPublicKey', options.rootPublicKey, DH_KEY_SIZE);
    this.#options = options;
  }

  /** The pattern attempted first: `IK` with a cached server static, else `XX`. */
  get attemptedPattern(): 'XX' | 'IK' {
    return this.#options.serverStatic === undefined ? 'XX' : 'IK';
  }

  /** True once the handshake completed and `result` is available. */
  get isComplete(): boolean {
    return this.#phase === 'complete';
  }

  /**
   * The current handshake hash (known-answer tests, channel binding).
   *
   * @throws HandshakeStateError before `start()`.
   */
  get handshakeHash(): Uint8Array {
    if (this.#noise === undefined) throw new HandshakeStateError('the handshake hash exists after start()');
    return this.#noise.handshakeHash;
  }

  /**
   * The outcome once complete.
   *
   * @throws HandshakeStateError before completion (with the failure as `cause` after one).
   */
  get result(): ClientHandshakeResult {
    if (this.#result === undefined) {
      throw new HandshakeStateError(`the handshake is ${this.#phase}, not complete`, this.#cause());
    }
    return this.#result;
  }

  /**
   * The first bytes to write on a new connection: the intro (preamble, `WA 06 03`) and the
   * ClientHello frame.
   */
  async start(): Promise<Uint8Array> {
    this.#enter('new', 'starting');
    try {
      const { crypto, noiseKey: s, ephemeral } = this.#options;
      let hello: Uint8Array;
      if (this.attemptedPattern === 'IK') {
        const rs = this.#options.serverStatic;
        this.#noise = waHandshakeState('IK', true, { crypto, s, e: ephemeral, rs });
        const message = await this.#noise.writeMessage(this.#options.payload);
        hello = encodeHandshakeMessage(
          'clientHello',
          splitNoiseMessage(message, { ephemeral: true, static: true }),
        );
      } else {
        // WhatsApp's XX: the ephemeral is the whole first message, a pre-message for the core (see _wa-noise.ts).
        const e = ephemeral ?? (await crypto.generateKeyPair());
        this.#noise = waHandshakeState('XX', true, { crypto, s, e });
        await this.#noise.initialize();
        hello = encodeHandshakeMessage('clientHello', { ephemeral: e.publicKey, payload: new Uint8Array(0) });
      }
      const bytes = encodeFrame(hello, encodeIntro({ routingInfo: this.#options.routingInfo }));
      this.#phase = 'awaiting-server-hello';
      return bytes;
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /**
   * Processes the ServerHello (one frame payload). Resolves to the ClientFinish frame to write, or to
   * `undefined` when IK completed and there is nothing to send. Then `result` is available.
   *
   * @throws HandshakeMessageError, NoiseDecryptError, CertificateChainError: the server's message is
   *   invalid; the handshake is over.
   */
  async receive(frame: Uint8Array): Promise<Uint8Array | undefined> {
    assertBytes('frame', frame);
    this.#enter('awaiting-server-hello', 'receiving');
    try {
      const hello = decodeHandshakeMessage(frame, 'serverHello');
      const ephemeral = requireLength(hello.ephemeral, DH_KEY_SIZE, 'ServerHello.ephemeral');
      const payload = requireCiphertext(hello.payload, 'ServerHello.payload');
      let finish: Uint8Array | undefined;
      if (this.attemptedPattern === 'IK' && hello.static.length === 0) {
        finish = await this.#completeIk(ephemeral, payload);
      } else {
        let pattern: WaPattern = 'XX';
        if (this.attemptedPattern === 'IK') {
          // WA Web: "resumeNoiseHandshake failed: serverStaticCiphertext not null" -> doFallbackHandshake,
          // with the ephemeral already on the wire.
          const { crypto, noiseKey: s } = this.#options;
          this.#noise = waHandshakeState('XXfallback', true, { crypto, s, e: this.#noise!.localEphemeral });
          pattern = 'XXfallback';
        }
        const sealed = requireLength(hello.static, SEALED_KEY_SIZE, 'ServerHello.static');
        finish = await this.#completeXx(pattern, ephemeral, sealed, payload);
      }
      this.#phase = 'complete';
      return finish;
    } catch (error) {
      throw this.#fail(error);
    }
  }

  async #completeIk(ephemeral: Uint8Array, payload: Uint8Array): Promise<undefined> {
    const serverPayload = await this.#noise!.readMessage(joinNoiseMessage({ ephemeral, payload }));
    await this.#finish('IK', copyBytes(this.#options.serverStatic!), undefined, serverPayload);
    return undefined;
  }

  async #completeXx(
    pattern: WaPattern,
    ephemeral: Uint8Array,
    sealed: Uint8Array,
    payload: Uint8Array,
  ): Promise<Uint8Array> {
    const noise = this.#noise!;
    const serverPayload = await noise.readMessage(joinNoiseMessage({ ephemeral, static: sealed, payload }));
    const serverStatic = noise.remoteStatic!;
    const certChain = await verifyCertChain(serverPayload, {
      crypto: this.#options.crypto,
      serverStatic,
      rootPublicKey: this.#options.rootPublicKey,
      now: this.#options.now,
    });
    const message = await noise.writeMessage(this.#options.payload);
    const finish = encodeHandshakeMessage(
      'clientFinish',
      splitNoiseMessage(message, { ephemeral: false, static: true }),
    );
    await this.#finish(pattern, serverStatic, certChain, serverPayload);
    return encodeFrame(finish);
  }

  async #finish(
    pattern: WaPattern,
    serverStatic: Uint8Array,
    certChain: VerifiedCertChain | undefined,
    serverPayload: Uint8Array,
  ): Promise<void> {
    // docs/protocol.md §2.2 step 4: the client writes with the first key and reads with the second, with
    // 32-bit counters. The core's split gives the IK initiator the first key in XXfallback too.
    const noise = this.#noise!;
    const [send, receive] = await noise.split({ nonceLimit: WA_NONCE_LIMIT });
    this.#result = {
      transport: new NoiseTransport(send, receive),
      pattern,
      serverStatic,
      certChain,
      serverPayload,
      handshakeHash: noise.handshakeHash,
    };
  }

  #enter(expected: Phase, next: Phase): void {
    if (this.#phase !== expected) {
      throw new HandshakeStateError(
        `the client handshake is ${this.#phase}; this call needs it ${expected}`,
        this.#cause(),
      );
    }
    this.#phase = next;
  }

  #fail(error: unknown): unknown {
    this.#phase = 'failed';
    this.#failure = error;
    return error;
  }

  #cause(): { cause: unknown } | undefined {
    return this.#phase === 'failed' ? { cause: this.#failure } : undefined;
  }
}
