import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameTooLargeError, IntroError } from '../src/errors';
import { FrameDecoder } from '../src/frame-decoder';
import { encodeFrame, encodeFrames } from '../src/frame-encoder';
import { readFrameLength, writeFrameLength } from '../src/framing';
import { encodeIntro, ServerFrameDecoder } from '../src/intro';
import { FRAME_MAX_SIZE, MAX_ROUTING_INFO_SIZE, waConnHeader } from '../src/wa-constants';
import { bytesToHex, concat, hexToBytes, recorded } from './wa-helpers';

/** Frame payloads: mostly short, sometimes past one read's worth, empty ones included (they are legal). */
const payloadArb = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1000, maxLength: 5000 }) },
);

/** Cuts `stream` at the given offsets (taken modulo its length, deduplicated, sorted). */
function split(stream: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (stream.length === 0 ? 0 : c % (stream.length + 1))))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, stream.length]) {
    chunks.push(stream.slice(start, point));
    start = point;
  }
  return chunks;
}

function decodeAll(decoder: { push(chunk: Uint8Array): Uint8Array[] }, chunks: Uint8Array[]): string[] {
  return chunks.flatMap((chunk) => decoder.push(chunk).map(bytesToHex));
}

describe('framing vectors from whatsapp-rust framing.rs', () => {
  const cases = recorded.framing.cases;

  it('holds the 7 recorded cases', () => {
    expect(cases).toHaveLength(7);
  });

  for (const [index, vector] of cases.entries()) {
    it(`reproduces framing case ${index} (${Object.keys(vector)[0]})`, () => {
      if ('encode' in vector) {
        const header = vector.encode.header_hex === null ? undefined : hexToBytes(vector.encode.header_hex);
        expect(bytesToHex(encodeFrame(hexToBytes(vector.encode.payload_hex), header))).toBe(vector.frame_hex);
      } else if ('length_header' in vector) {
        const out = new Uint8Array(3);
        writeFrameLength(vector.length_header.length, out);
        expect(bytesToHex(out)).toBe(vector.bytes_hex);
        expect(readFrameLength(hexToBytes(vector.bytes_hex))).toBe(vector.length_header.length);
      } else if ('decode_stream' in vector) {
        const decoder = new FrameDecoder();
        const chunks = vector.decode_stream.chunks_hex.map(hexToBytes);
        // The recorded note for the split case: the first chunk alone yields no frame.
        const head = chunks.length > 1 ? decoder.push(chunks.shift()!) : [];
        expect(head).toEqual([]);
        expect(decodeAll(decoder, chunks)).toEqual(vector.frames_hex);
        expect(decoder.bufferedBytes).toBe(0);
      } else if ('encode_too_large' in vector) {
        const payload = new Uint8Array(vector.encode_too_large.length);
        expect(() => encodeFrame(payload)).toThrow(FrameTooLargeError);
        expect(() => writeFrameLength(vector.encode_too_large.length, new Uint8Array(3))).toThrow(
          FrameTooLargeError,
        );
      } else {
        throw new Error(`unknown framing case ${JSON.stringify(vector)}`);
      }
    });
  }
});

describe('encodeFrame', () => {
  it('accepts the largest payload a 3-byte length can announce', () => {
    const frame = encodeFrame(new Uint8Array(FRAME_MAX_SIZE - 1));
    expect(bytesToHex(frame.subarray(0, 3))).toBe('ffffff');
    expect(frame.length).toBe(FRAME_MAX_SIZE + 2);
  });

  it('rejects a payload of 2^24 bytes with FrameTooLargeError, also among several frames', () => {
    expect(() => encodeFrame(new Uint8Array(FRAME_MAX_SIZE))).toThrow(FrameTooLargeError);
    expect(() => encodeFrames([new Uint8Array(1), new Uint8Array(FRAME_MAX_SIZE)])).toThrow(
      FrameTooLargeError,
    );
  });

  it('lays several frames back to back exactly as encoding them one by one', () => {
    fc.assert(
      fc.property(fc.array(payloadArb, { maxLength: 6 }), (payloads) => {
        expect(encodeFrames(payloads)).toEqual(concat(...payloads.map((p) => encodeFrame(p))));
      }),
    );
  });

  it('rejects a negative or fractional length with RangeError', () => {
    expect(() => writeFrameLength(-1, new Uint8Array(3))).toThrow(RangeError);
    expect(() => writeFrameLength(1.5, new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('FrameDecoder', () => {
  it('yields the same frames for any split of a stream of frames', () => {
    fc.assert(
      fc.property(
        fc.array(payloadArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (payloads, cuts) => {
          const stream = encodeFrames(payloads);
          const decoder = new FrameDecoder();
          expect(decodeAll(decoder, split(stream, cuts))).toEqual(payloads.map(bytesToHex));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('yields the same frames when the stream arrives one byte at a time', () => {
    const payloads = [
      Uint8Array.of(1, 2, 3),
      new Uint8Array(0),
      new Uint8Array(2000).fill(7),
      Uint8Array.of(9),
    ];
    const stream = encodeFrames(payloads);
    const bytes = Array.from(stream, (b) => Uint8Array.of(b));
    expect(decodeAll(new FrameDecoder(), bytes)).toEqual(payloads.map(bytesToHex));
  });

  it('buffers only the unfinished frame, never more than one frame', () => {
    fc.assert(
      fc.property(
        fc.array(payloadArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (payloads, cuts) => {
          const stream = encodeFrames(payloads);
          const decoder = new FrameDecoder();
          let consumed = 0;
          let fed = 0;
          for (const chunk of split(stream, cuts)) {
            fed += chunk.length;
            for (const frame of decoder.push(chunk)) consumed += 3 + frame.length;
            expect(decoder.bufferedBytes).toBe(fed - consumed);
            const largest = Math.max(0, ...payloads.map((p) => p.length));
            expect(decoder.bufferedBytes).toBeLessThan(3 + largest);
          }
        },
      ),
    );
  });

  it('does not reserve the announced size of a frame whose bytes have not arrived', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Uint8Array.of(0xff, 0xff, 0xff, 1, 2, 3))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(6);
    expect(decoder.retainedBytes).toBeLessThanOrEqual(1024);
    // Growth follows the bytes that arrive: at most twice what is buffered (or one small block).
    decoder.push(new Uint8Array(100_000));
    expect(decoder.retainedBytes).toBeLessThanOrEqual(2 * decoder.bufferedBytes);
  });

  it('keeps no reference to a pushed chunk, so callers may reuse their read buffer', () => {
    const stream = encodeFrame(Uint8Array.of(1, 2, 3, 4, 5, 6));
    const readBuffer = stream.slice(0, 5);
    const decoder = new FrameDecoder();
    expect(decoder.push(readBuffer)).toEqual([]);
    readBuffer.fill(0xee);
    expect(decoder.push(stream.slice(5)).map(bytesToHex)).toEqual(['010203040506']);
  });

  it('rejects a frame announcing more than maxFrameSize, and keeps rejecting (the stream is out of sync)', () => {
    const decoder = new FrameDecoder({ maxFrameSize: 10 });
    expect(decoder.push(encodeFrame(new Uint8Array(10))).map((f) => f.length)).toEqual([10]);
    expect(() => decoder.push(Uint8Array.of(0, 0))).not.toThrow();
    expect(() => decoder.push(Uint8Array.of(11))).toThrow(FrameTooLargeError);
    expect(() => decoder.push(encodeFrame(new Uint8Array(1)))).toThrow(FrameTooLargeError);
  });

  it('rejects a maxFrameSize the 3-byte prefix cannot express', () => {
    expect(() => new FrameDecoder({ maxFrameSize: FRAME_MAX_SIZE })).toThrow(RangeError);
    expect(() => new FrameDecoder({ maxFrameSize: -1 })).toThrow(RangeError);
  });
});

describe('intro', () => {
  it('is the 4-byte connection header 57 41 06 03 without routing info', () => {
    expect(bytesToHex(encodeIntro())).toBe('57410603');
    expect(bytesToHex(waConnHeader())).toBe(recorded.constants.wa_conn_header_hex);
  });

  it('puts the "ED" 00 01 preamble with a 3-byte length and the routing info before the header', () => {
    expect(bytesToHex(encodeIntro({ routingInfo: Uint8Array.of(1, 2, 3) }))).toBe(
      '45440001000003010203' + '57410603',
    );
    expect(bytesToHex(encodeIntro({ routingInfo: new Uint8Array(0) }))).toBe('45440001000000' + '57410603');
    const large = encodeIntro({ routingInfo: new Uint8Array(0x010203) });
    expect(bytesToHex(large.subarray(0, 7))).toBe('45440001010203');
  });

  it('refuses routing info longer than a 3-byte length can announce', () => {
    expect(() => encodeIntro({ routingInfo: new Uint8Array(MAX_ROUTING_INFO_SIZE + 1) })).toThrow(RangeError);
  });
});

describe('ServerFrameDecoder', () => {
  const routingArb = fc.option(fc.uint8Array({ maxLength: 30 }), { nil: undefined });

  it('reads the intro (with or without preamble) and then the same frames, for any split', () => {
    fc.assert(
      fc.property(
        routingArb,
        fc.array(payloadArb, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (routingInfo, payloads, cuts) => {
          const stream = concat(encodeIntro({ routingInfo }), encodeFrames(payloads));
          const decoder = new ServerFrameDecoder();
          expect(decodeAll(decoder, split(stream, cuts))).toEqual(payloads.map(bytesToHex));
          expect(decoder.intro).toBeDefined();
          expect(bytesToHex(decoder.intro!.header)).toBe('57410603');
          expect(decoder.intro!.routingInfo).toEqual(routingInfo);
        },
      ),
    );
  });

  it('reports no intro until its last byte has arrived', () => {
    const decoder = new ServerFrameDecoder();
    expect(decoder.push(Uint8Array.of(0x57, 0x41, 0x06))).toEqual([]);
    expect(decoder.intro).toBeUndefined();
    expect(decoder.push(Uint8Array.of(0x03, 0, 0, 1, 0xaa)).map(bytesToHex)).toEqual(['aa']);
  });

  it('rejects a connection header of another dictionary version with IntroError as soon as it differs', () => {
    const decoder = new ServerFrameDecoder();
    expect(() => decoder.push(Uint8Array.of(0x57, 0x41, 0x06, 0x02))).toThrow(IntroError);
    expect(() => new ServerFrameDecoder().push(Uint8Array.of(0x00))).toThrow(IntroError);
    expect(() => new ServerFrameDecoder().push(Uint8Array.of(0x16, 0x03, 0x01))).toThrow(/57 41 06 03/);
  });

  it('keeps rejecting after a bad intro', () => {
    const decoder = new ServerFrameDecoder();
    expect(() => decoder.push(hexToBytes('47455420'))).toThrow(IntroError);
    expect(() => decoder.push(encodeIntro())).toThrow(IntroError);
  });

  it('rejects a preamble with the wrong magic or over the routing-info limit', () => {
    expect(() => new ServerFrameDecoder().push(hexToBytes('45440002'))).toThrow(IntroError);
    const limited = new ServerFrameDecoder({ maxRoutingInfoSize: 4 });
    expect(() => limited.push(hexToBytes('45440001000005'))).toThrow(/limit is 4/);
    const ok = new ServerFrameDecoder({ maxRoutingInfoSize: 4 });
    expect(
      ok.push(concat(encodeIntro({ routingInfo: Uint8Array.of(1, 2, 3, 4) }), encodeFrame(Uint8Array.of(5)))),
    ).toHaveLength(1);
  });

  it('rejects a missing connection header after a valid preamble', () => {
    const decoder = new ServerFrameDecoder();
    expect(() => decoder.push(concat(hexToBytes('4544000100000109'), hexToBytes('000001')))).toThrow(
      IntroError,
    );
  });
});
