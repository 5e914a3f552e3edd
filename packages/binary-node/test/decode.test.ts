import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DecompressError,
  decodeNode,
  encodeNode,
  InflatedSizeError,
  InvalidJidEncodingError,
  InvalidNodeError,
  InvalidPackedStringError,
  InvalidTokenError,
  InvalidUtf8Error,
  isRemoteProtocolError,
  MAX_INFLATED_SIZE,
  MAX_NODE_DEPTH,
  MaxDepthError,
  UnexpectedEofError,
  UnknownFormatError,
} from '../src/index';
import { hexToBytes } from './fixtures';

/** `<message id=VALUE/>` with the value given as hex. */
const withValue = (valueHex: string) => hexToBytes(`00f8031308${valueHex}`);
/** `<message>CONTENT</message>` with the content given as hex. */
const withContent = (contentHex: string) => hexToBytes(`00f80213${contentHex}`);

describe('frame flag byte', () => {
  it('rejects an empty payload', () => {
    expect(() => decodeNode(new Uint8Array(0))).toThrow(UnexpectedEofError);
  });

  it('rejects flag bytes other than 0x00 and 0x02', () => {
    for (const flag of [0x01, 0x03, 0x04, 0x80, 0xff]) {
      const bytes = encodeNode({ tag: 'a', attrs: {} });
      bytes[0] = flag;
      expect(() => decodeNode(bytes)).toThrow(UnknownFormatError);
    }
  });

  it('inflates a zlib body (flag 0x02) to the same node as the plain body', () => {
    const node = {
      tag: 'iq',
      attrs: { id: '123', type: 'result' },
      content: [{ tag: 'a', attrs: {}, content: new Uint8Array(5000).fill(7) }],
    };
    const plain = encodeNode(node);
    const compressed = Uint8Array.of(0x02, ...deflateSync(plain.subarray(1)));
    expect(compressed.length).toBeLessThan(plain.length);
    expect(decodeNode(compressed)).toEqual(decodeNode(plain));
  });

  it(`refuses a zlib body that inflates beyond ${MAX_INFLATED_SIZE} bytes, without inflating it all`, () => {
    const bomb = deflateSync(new Uint8Array(MAX_INFLATED_SIZE + 1));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => decodeNode(Uint8Array.of(0x02, ...bomb))).toThrow(InflatedSizeError);
  });

  it('rejects a truncated, corrupted or checksum-failing zlib body', () => {
    const good = deflateSync(encodeNode({ tag: 'a', attrs: { v: 'hello world' } }).subarray(1));
    const truncated = good.subarray(0, good.length - 6);
    const badChecksum = Uint8Array.from(good);
    badChecksum[badChecksum.length - 1]! ^= 1;
    const badHeader = Uint8Array.from(good);
    badHeader[0] = 0x00;
    for (const body of [truncated, badChecksum, badHeader, new Uint8Array(0), Uint8Array.of(0x78)]) {
      expect(() => decodeNode(Uint8Array.of(0x02, ...body))).toThrow(DecompressError);
    }
  });
});

describe('strings', () => {
  it('rejects tags 240..244, which no token table assigns', () => {
    for (const tag of [240, 241, 242, 243, 244]) {
      expect(() => decodeNode(withValue(tag.toString(16)))).toThrow(InvalidTokenError);
    }
  });

  it('rejects invalid UTF-8 in a raw string', () => {
    expect(() => decodeNode(withValue('fc02c328'))).toThrow(InvalidUtf8Error);
    expect(() => decodeNode(withValue(`fc28${'61'.repeat(39)}ff`))).toThrow(InvalidUtf8Error);
  });

  it('keeps a leading byte-order mark, which TextDecoder would otherwise strip', () => {
    expect(decodeNode(withValue(`fc24efbbbf${'61'.repeat(33)}`)).attrs.id).toBe(`\ufeff${'a'.repeat(33)}`);
    expect(decodeNode(withValue('fc04efbbbf61')).attrs.id).toBe('\ufeffa');
  });

  it('rejects a pad nibble anywhere but the last position of an odd-length string', () => {
    expect(decodeNode(withValue('ff82123f')).attrs.id).toBe('123');
    expect(() => decodeNode(withValue('ff021f34'))).toThrow(InvalidPackedStringError);
    expect(() => decodeNode(withValue('ff821234'))).toThrow(InvalidPackedStringError);
    expect(() => decodeNode(withValue('ff80'))).toThrow(InvalidPackedStringError);
  });

  it('reads hex packing in upper case and nibble 12..14 as invalid', () => {
    expect(decodeNode(withValue('fb02abcd')).attrs.id).toBe('ABCD');
    for (const nibble of ['c', 'd', 'e'])
      expect(() => decodeNode(withValue(`ff011${nibble}`))).toThrow(InvalidPackedStringError);
  });

  it('rejects a BINARY_20 length whose top nibble is set', () => {
    expect(() => decodeNode(withContent('fd100001aa'))).toThrow(InvalidNodeError);
  });

  it('checks a declared length against the bytes present before allocating', () => {
    expect(() => decodeNode(withContent('feffffffff00'))).toThrow(UnexpectedEofError);
    expect(() => decodeNode(withValue('ff7f'))).toThrow(UnexpectedEofError);
  });
});

describe('JIDs', () => {
  it('renders every JID tag as its canonical string', () => {
    expect(decodeNode(withValue('fa0003')).attrs.id).toBe('@s.whatsapp.net');
    expect(decodeNode(withValue('f70105ff021234')).attrs.id).toBe('1234:5@lid');
    expect(decodeNode(withValue('f70000ff021234')).attrs.id).toBe('1234@s.whatsapp.net');
    expect(decodeNode(withValue('f6ff021234012ccc')).attrs.id).toBe('1234:300@msgr');
    expect(decodeNode(withValue('f6ff0212340000cc')).attrs.id).toBe('1234@msgr');
  });

  it('reads INTEROP_JID with and without a trailing interop server', () => {
    expect(decodeNode(withValue('f5ff02123400020007')).attrs.id).toBe('7-1234:2@interop');
    const withServer = hexToBytes('00f8051308f5ff02123400020007fc07696e7465726f70' + '1107');
    expect(decodeNode(withServer).attrs).toEqual({ id: '7-1234:2@interop', to: 'receipt' });
  });

  it('rejects AD_JID domains other than 0, 1, 128 and 129', () => {
    for (const domain of [2, 3, 64, 127, 130, 131, 255]) {
      expect(() => decodeNode(withValue(`f7${domain.toString(16).padStart(2, '0')}05ff021234`))).toThrow(
        InvalidJidEncodingError,
      );
    }
  });

  it('rejects a JID whose part is itself a JID, so nesting cannot exhaust the stack', () => {
    expect(() => decodeNode(withValue('fafa0003' + '03'))).toThrow(InvalidJidEncodingError);
    const deep = withValue('fa'.repeat(100_000));
    expect(() => decodeNode(deep)).toThrow(InvalidJidEncodingError);
  });

  it('rejects a JID_PAIR without a server and an FB_JID outside msgr', () => {
    expect(() => decodeNode(withValue('faff02123400'))).toThrow(InvalidJidEncodingError);
    expect(() => decodeNode(withValue('f6ff021234000103'))).toThrow(InvalidJidEncodingError);
  });
});

describe('node structure', () => {
  it('rejects a duplicate attribute rather than silently keeping one value', () => {
    expect(() => decodeNode(hexToBytes('00f805130855' + '0855'))).toThrow(InvalidNodeError);
  });

  it('reads LIST_EMPTY as an attribute value as the empty string', () => {
    expect(decodeNode(withValue('00')).attrs.id).toBe('');
  });

  it('reads an empty child list as [] and no content as an absent key', () => {
    expect(decodeNode(hexToBytes('00f8021300'))).toEqual({ tag: 'message', attrs: {}, content: [] });
    const bare = decodeNode(hexToBytes('00f80113'));
    expect(bare).toEqual({ tag: 'message', attrs: {} });
    expect('content' in bare).toBe(false);
  });

  it('returns byte content as a view into the input by default', () => {
    const bytes = withContent('fc03010203');
    const node = decodeNode(bytes);
    expect(node.content).toEqual(Uint8Array.of(1, 2, 3));
    expect((node.content as Uint8Array).buffer).toBe(bytes.buffer);
  });

  it('copies byte content out of a Buffer input too (a Buffer slice would be a view)', () => {
    const bytes = Buffer.from(withContent('fc03010203'));
    const node = decodeNode(bytes, { copyBytes: true });
    bytes.fill(0);
    expect(node.content).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('returns byte content as copies that do not change with the input when asked to', () => {
    const bytes = withContent('fc03010203');
    const node = decodeNode(bytes, { copyBytes: true });
    bytes.fill(0);
    expect(node.content).toEqual(Uint8Array.of(1, 2, 3));
    expect((node.content as Uint8Array).buffer).not.toBe(bytes.buffer);
  });

  it(`decodes ${MAX_NODE_DEPTH} levels of nesting and rejects ${MAX_NODE_DEPTH + 1}`, () => {
    const nested = (levels: number) => hexToBytes(`00${'f80213f801'.repeat(levels - 1)}f80113`);
    expect(decodeNode(nested(MAX_NODE_DEPTH)).tag).toBe('message');
    expect(() => decodeNode(nested(MAX_NODE_DEPTH + 1))).toThrow(MaxDepthError);
  });

  it('reports where decoding failed', () => {
    try {
      decodeNode(hexToBytes('00f8031308f0'));
      expect.unreachable();
    } catch (error) {
      expect(isRemoteProtocolError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'ERR_BINARY_INVALID_TOKEN', offset: 4 });
    }
  });

  it('rejects a non-Uint8Array argument with a TypeError', () => {
    expect(() => decodeNode('00' as never)).toThrow(TypeError);
  });
});
