/**
 * The server (responder) side of the WhatsApp handshake, sans-IO: what `@wakit/server` and test
 * servers run. It mirrors `ClientHandshake`:
 *
 *   receive(ClientHello {ephemeral})                  XX: -> frame(ServerHello{ephemeral, static, chain})
 *   receive(ClientHello {ephemeral, static, payload}) IK: if the client's static decrypts under our
 *       static key (it cached the current one) -> frame(ServerHello{ephemeral, chain}), complete;
 *       otherwise (a stale cached key, or `acceptIk: false`) XXfallback on the client's ephemeral
 *       -> frame(ServerHello{ephemeral, static, chain})
 *   receive(ClientFinish {static, payload})           XX / XXfallback: complete
 *
 * The "chain" is the encoded CertChain whose leaf certifies this server's static key; WhatsApp's
 * server sends it encrypted in every ServerHello (whatsapp-rust `handshake.rs` test responders do the
 * same in the IK accept path).
 *
 * A ClientHello that is not a HandshakeMessage, lacks a 32-byte ephemeral, has a sealed static of the
 * wrong size, or carries a low-order key is refused with `HandshakeMessageError`: there is no
 * meaningful reply, the IO shell closes the connection. Only an IK first message that does not
 * authenticate leads to XXfallback (that is how a stale cached key looks). Any failure ends the
 * handshake, as on the client.
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { CertChain_NoiseCertificate_DetailsSchema, CertChainSchema, fromBinary } from '@wakit/proto';
import { assertBytes, copyBytes, equalBytes } from './_bytes';
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
import { HandshakeMessageError, HandshakeStateError, NoiseDecryptError } from './errors';
import { encodeFrame } from './frame-encoder';
import type { HandshakeState } from './handshake-state';
import { NoiseTransport } from './transport';
import { DH_KEY_SIZE, WA_NONCE_LIMIT, type WaPattern } from './wa-constants';

export interface ServerHandshakeOptions {
  crypto: CryptoProvider;
  /** The server's static Noise key pair: the key its certificate chain's leaf certifies. */
  staticKeyPair: KeyPair;
  /** The encoded CertChain sent (encrypted) in the ServerHello, e.g. `issueCertChain(...).bytes`. */
  certChain: Uint8Array;
  /** Accept IK resumes whose first message decrypts; `false` always answers with XXfallback. Default true. */
  acceptIk?: boolean | undefined;
  /** The ephemeral key pair, for known-answer tests only; generated when absent. */
  ephemeral?: KeyPair | undefined;
}

/** What a completed server handshake yields. */
export interface ServerHandshakeResult {
  /** The encrypted session: the server sends with the second key of the split, receives with the first. */
  transport: NoiseTransport;
  /** The pattern that completed. */
  pattern: WaPattern;
  /** The client's static Noise key (its `noiseKey`), authenticated by the handshake. */
  clientStatic: Uint8Array;
  /** The decrypted ClientPayload bytes, raw; decode with `fromBinary(ClientPayloadSchema, payload)`. */
  payload: Uint8Array;
  /** The final handshake hash, for channel binding. */
  handshakeHash: Uint8Array;
}

type Phase = 'awaiting-client-hello' | 'awaiting-client-finish' | 'receiving' | 'complete' | 'failed';

/**
 * The server side of one WhatsApp handshake.
 *
 * @example
 * ```ts
 * const server = new ServerHandshake({ crypto, staticKeyPair, certChain: issued.bytes });
 * const decoder = new ServerFrameDecoder();
 * socket.on('data', async (chunk) => {
 *   for (const frame of decoder.push(chunk)) {
 *     if (!server.isComplete) {
 *       const reply = await server.receive(frame);
 *       if (reply) socket.write(reply);
 *     } else {
 *       handle(await server.result.transport.decrypt(frame));
 *     }
 *   }
 * });
 * ```
 */
export class ServerHandshake {
  readonly #options: ServerHandshakeOptions;
  readonly #certChain: Uint8Array;
  #phase: Phase = 'awaiting-client-hello';
  #failure: unknown;
  #noise: HandshakeState | undefined;
  #pattern: WaPattern = 'XX';
  #result: ServerHandshakeResult | undefined;

  /**
   * Checks synchronously that the chain parses and its leaf certifies `staticKeyPair.publicKey`
   * (RangeError otherwise: a server misconfiguration, caught before any client sees it).
   */
  constructor(options: ServerHandshakeOptions) {
    assertBytes('staticKeyPair.publicKey', options.staticKeyPair.publicKey, DH_KEY_SIZE);
    assertBytes('staticKeyPair.privateKey', options.staticKeyPair.privateKey, DH_KEY_SIZE);
    assertBytes('certChain', options.certChain);
    const leafKey = leafKeyOf(options.certChain);
    if (!equalBytes(leafKey, options.staticKeyPair.publicKey)) {
      throw new RangeError('"certChain" certifies another key than "staticKeyPair.publicKey"');
    }
    this.#options = options;
    this.#certChain = copyBytes(options.certChain);
  }

  /** True once the handshake completed and `result` is available. */
  get isComplete(): boolean {
    return this.#phase === 'complete';
  }

  /**
   * The outcome once complete.
   *
   * @throws HandshakeStateError before completion (with the failure as `cause` after one).
   */
  get result(): ServerHandshakeResult {
    if (this.#result === undefined) {
      throw new HandshakeStateError(`the handshake is ${this.#phase}, not complete`, this.#cause());
    }
    return this.#result;
  }

  /**
   * Processes the client's next handshake frame payload (ClientHello, then ClientFinish for XX).
   * Resolves to the frame to write back (the ServerHello), or `undefined` after the ClientFinish.
   *
   * @throws HandshakeMessageError, NoiseDecryptError: the client's message is invalid; the handshake is over.
   */
  async receive(frame: Uint8Array): Promise<Uint8Array | undefined> {
    assertBytes('frame', frame);
    const phase = this.#phase;
    if (phase !== 'awaiting-client-hello' && phase !== 'awaiting-client-finish') {
      throw new HandshakeStateError(
        `the server handshake is ${phase}; it expects no more frames`,
        this.#cause(),
      );
    }
    this.#phase = 'receiving';
    try {
      const reply =
        phase === 'awaiting-client-hello'
          ? await this.#onClientHello(frame)
          : await this.#onClientFinish(frame);
      this.#phase = this.#result === undefined ? 'awaiting-client-finish' : 'complete';
      return reply;
    } catch (error) {
      this.#phase = 'failed';
      this.#failure = error;
      throw error;
    }
  }

  async #onClientHello(frame: Uint8Array): Promise<Uint8Array> {
    const hello = decodeHandshakeMessage(frame, 'clientHello');
    const ephemeral = requireLength(hello.ephemeral, DH_KEY_SIZE, 'ClientHello.ephemeral');
    if (hello.static.length === 0) {
      if (hello.payload.length > 0)
        throw new HandshakeMessageError('ClientHello has a payload but no static key');
      // WhatsApp's XX: the ephemeral is the whole first message, a pre-message for the core (see _wa-noise.ts).
      this.#noise = this.#handshake('XX', ephemeral);
      return this.#writeServerHello(true);
    }
    const sealed = requireLength(hello.static, SEALED_KEY_SIZE, 'ClientHello.static');
    const payload = requireCiphertext(hello.payload, 'ClientHello.payload');
    if (this.#options.acceptIk !== false) {
      const ik = this.#handshake('IK');
      let clientPayload: Uint8Array | undefined;
      try {
        clientPayload = await ik.readMessage(joinNoiseMessage({ ephemeral, static: sealed, payload }));
      } catch (error) {
        // A tag that does not verify means the client derived `es` from another static key: its
        // cached key is stale. Anything else (a low-order ephemeral) is a bad message.
        if (!(error instanceof NoiseDecryptError)) throw error;
      }
      if (clientPayload !== undefined) {
        this.#noise = ik;
        this.#pattern = 'IK';
        const reply = await this.#writeServerHello(false);
        await this.#finish(clientPayload);
        return reply;
      }
    }
    // WA Web `doFallbackHandshake`: XXfallback with the client's ephemeral as the pre-message.
    this.#noise = this.#handshake('XXfallback', ephemeral);
    this.#pattern = 'XXfallback';
    return this.#writeServerHello(true);
  }

  async #onClientFinish(frame: Uint8Array): Promise<undefined> {
    const finish = decodeHandshakeMessage(frame, 'clientFinish');
    const sealed = requireLength(finish.static, SEALED_KEY_SIZE, 'ClientFinish.static');
    const payload = requireCiphertext(finish.payload, 'ClientFinish.payload');
    const clientPayload = await this.#noise!.readMessage(joinNoiseMessage({ static: sealed, payload }));
    await this.#finish(clientPayload);
    return undefined;
  }

  async #writeServerHello(withStatic: boolean): Promise<Uint8Array> {
    const message = await this.#noise!.writeMessage(this.#certChain);
    const parts = splitNoiseMessage(message, { ephemeral: true, static: withStatic });
    return encodeFrame(encodeHandshakeMessage('serverHello', parts));
  }

  #handshake(pattern: WaPattern, clientEphemeral?: Uint8Array): HandshakeState {
    const { crypto, staticKeyPair: s, ephemeral: e } = this.#options;
    return waHandshakeState(pattern, false, { crypto, s, e, re: clientEphemeral });
  }

  async #finish(payload: Uint8Array): Promise<void> {
    const noise = this.#noise!;
    // The mirror of the client: it sends with the first key, so the server receives with it.
    const [receive, send] = await noise.split({ nonceLimit: WA_NONCE_LIMIT });
    this.#result = {
      transport: new NoiseTransport(send, receive),
      pattern: this.#pattern,
      clientStatic: noise.remoteStatic!,
      payload,
      handshakeHash: noise.handshakeHash,
    };
  }

  #cause(): { cause: unknown } | undefined {
    return this.#phase === 'failed' ? { cause: this.#failure } : undefined;
  }
}

/** The key a CertChain's leaf certifies; RangeError when the chain does not parse. */
function leafKeyOf(chain: Uint8Array): Uint8Array {
  let key: Uint8Array | undefined;
  try {
    const details = fromBinary(CertChainSchema, chain).leaf?.details;
    if (details !== undefined) key = fromBinary(CertChain_NoiseCertificate_DetailsSchema, details).key;
  } catch (cause) {
    throw new RangeError('"certChain" is not an encoded CertChain', { cause });
  }
  if (key === undefined) throw new RangeError('"certChain" has no leaf certificate');
  return key;
}
