/**
 * The connection intro: what a client sends once, before its first frame (docs/protocol.md §1).
 *
 *   [ "ED" 00 01 || 3-byte BE length || routing info ]   optional edge-routing preamble
 *   57 41 06 03                                         the connection header ("WA", 6, 3)
 *
 * The preamble is sent on reconnects when the server handed out `<edge_routing>` info
 * (whatsapp-rust `wacore/noise/src/edge_routing.rs`, Baileys `noise-handler.ts`). It is not part of
 * the Noise prologue, which is the 4-byte header alone (whatsapp-rust `src/handshake.rs` test
 * `xx_and_ik_share_same_first_frame_prologue`).
 *
 * `encodeIntro` is the client's half; `ServerFrameDecoder` is the server's: it checks the intro,
 * then splits the frames that follow.
 */
import { assertBytes, copyBytes, copyRange, equalBytes } from './_bytes';
import { IntroError } from './errors';
import { FrameDecoder, type FrameDecoderOptions } from './frame-decoder';
import { readFrameLength, writeFrameLength } from './framing';
import {
  EDGE_ROUTING_MAGIC,
  FRAME_LENGTH_SIZE,
  MAX_ROUTING_INFO_SIZE,
  WA_CONN_HEADER_SIZE,
  waConnHeader,
} from './wa-constants';

const PREAMBLE_HEAD_SIZE = EDGE_ROUTING_MAGIC.length + FRAME_LENGTH_SIZE;
const CONN_HEADER = waConnHeader();

/**
 * The bytes a client writes before its first frame: the connection header, preceded by the
 * edge-routing preamble when `routingInfo` is given. Throws `RangeError` when the routing info is
 * longer than 2^24 - 1 bytes (whatsapp-rust then silently drops the preamble; we make the caller decide).
 *
 * @example
 * ```ts
 * encodeIntro();                                    // 57 41 06 03
 * encodeIntro({ routingInfo: Uint8Array.of(9, 9) }); // 45 44 00 01 00 00 02 09 09 57 41 06 03
 * ```
 */
export function encodeIntro(options: { routingInfo?: Uint8Array | undefined } = {}): Uint8Array {
  const { routingInfo } = options;
  if (routingInfo === undefined) return waConnHeader();
  assertBytes('routingInfo', routingInfo);
  if (routingInfo.length > MAX_ROUTING_INFO_SIZE) {
    throw new RangeError(
      `"routingInfo" may hold at most ${MAX_ROUTING_INFO_SIZE} bytes, got ${routingInfo.length}`,
    );
  }
  const out = new Uint8Array(PREAMBLE_HEAD_SIZE + routingInfo.length + WA_CONN_HEADER_SIZE);
  out.set(EDGE_ROUTING_MAGIC, 0);
  writeFrameLength(routingInfo.length, out, EDGE_ROUTING_MAGIC.length);
  out.set(routingInfo, PREAMBLE_HEAD_SIZE);
  out.set(CONN_HEADER, PREAMBLE_HEAD_SIZE + routingInfo.length);
  return out;
}

export interface ServerFrameDecoderOptions extends FrameDecoderOptions {
  /** Longest routing info accepted in the preamble; defaults to 2^24 - 1, all the format allows. */
  maxRoutingInfoSize?: number;
}

/** What a client sent before its frames. */
export interface Intro {
  /** The 4-byte connection header (always `57 41 06 03` once accepted). */
  header: Uint8Array;
  /** The edge-routing info of the preamble, when the client sent one. */
  routingInfo?: Uint8Array;
}

/**
 * The server side of the stream a client writes: the intro (edge-routing preamble optional, then
 * `WA 06 03`), then frames. Throws `IntroError` when the intro is wrong (and on every later push,
 * the stream being unusable); frame errors are the `FrameDecoder`'s.
 *
 * @example
 * ```ts
 * const decoder = new ServerFrameDecoder();
 * socket.on('data', (chunk) => {
 *   for (const frame of decoder.push(chunk)) server.receive(frame);
 * });
 * decoder.intro?.routingInfo; // set once the intro has arrived
 * ```
 */
export class ServerFrameDecoder {
  readonly #frames: FrameDecoder;
  readonly #maxRoutingInfoSize: number;
  /** Intro bytes received so far (`#head[0, #headLength)`), until the intro is complete. */
  #head: Uint8Array = new Uint8Array(0);
  #headLength = 0;
  #intro: Intro | undefined;
  #failure: IntroError | undefined;

  constructor(options: ServerFrameDecoderOptions = {}) {
    const maxRouting = options.maxRoutingInfoSize ?? MAX_ROUTING_INFO_SIZE;
    if (!Number.isSafeInteger(maxRouting) || maxRouting < 0 || maxRouting > MAX_ROUTING_INFO_SIZE) {
      throw new RangeError(
        `"maxRoutingInfoSize" expected an integer in [0, ${MAX_ROUTING_INFO_SIZE}], got ${maxRouting}`,
      );
    }
    this.#maxRoutingInfoSize = maxRouting;
    this.#frames = new FrameDecoder(options);
  }

  /** The intro, once it has arrived completely. */
  get intro(): Intro | undefined {
    return this.#intro;
  }

  /** Feeds the next bytes from the client; returns the frames they complete. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#intro !== undefined) return this.#frames.push(chunk);
    const required = this.#headLength + chunk.length;
    if (required > this.#head.length) {
      // Doubling keeps a preamble dribbled in byte by byte linear, not quadratic.
      const grown = new Uint8Array(Math.max(required, 2 * this.#head.length, 64));
      grown.set(this.#head.subarray(0, this.#headLength));
      this.#head = grown;
    }
    this.#head.set(chunk, this.#headLength);
    this.#headLength = required;
    const head = this.#head.subarray(0, required);
    const used = this.#parseIntro(head);
    if (used < 0) return [];
    this.#head = new Uint8Array(0);
    this.#headLength = 0;
    return this.#frames.push(head.subarray(used));
  }

  /** Parses the intro at the start of `bytes`: its length once complete, -1 while incomplete. */
  #parseIntro(bytes: Uint8Array): number {
    let offset = 0;
    let routingInfo: Uint8Array | undefined;
    if (bytes.length > 0 && bytes[0] === EDGE_ROUTING_MAGIC[0]) {
      const magic = bytes.subarray(0, EDGE_ROUTING_MAGIC.length);
      if (!equalBytes(magic, Uint8Array.from(EDGE_ROUTING_MAGIC).subarray(0, magic.length))) {
        this.#fail(`expected the edge-routing preamble "ED" 00 01, got ${hex(magic)}`);
      }
      if (bytes.length < PREAMBLE_HEAD_SIZE) return -1;
      const length = readFrameLength(bytes, EDGE_ROUTING_MAGIC.length);
      if (length > this.#maxRoutingInfoSize) {
        this.#fail(`edge-routing info of ${length} bytes; the limit is ${this.#maxRoutingInfoSize}`);
      }
      if (bytes.length < PREAMBLE_HEAD_SIZE + length) return -1;
      routingInfo = copyRange(bytes, PREAMBLE_HEAD_SIZE, PREAMBLE_HEAD_SIZE + length);
      offset = PREAMBLE_HEAD_SIZE + length;
    }
    const header = bytes.subarray(offset, offset + WA_CONN_HEADER_SIZE);
    if (!equalBytes(header, CONN_HEADER.subarray(0, header.length))) {
      this.#fail(`expected the connection header 57 41 06 03, got ${hex(header)}`);
    }
    if (header.length < WA_CONN_HEADER_SIZE) return -1;
    this.#intro =
      routingInfo === undefined ? { header: copyBytes(header) } : { header: copyBytes(header), routingInfo };
    return offset + WA_CONN_HEADER_SIZE;
  }

  #fail(message: string): never {
    this.#failure = new IntroError(message);
    throw this.#failure;
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing)';
}
