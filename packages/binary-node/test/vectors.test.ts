import { describe, expect, it } from 'vitest';
import {
  decodeNode,
  encodeNode,
  fromXml,
  InvalidJidEncodingError,
  InvalidNodeError,
  InvalidPackedStringError,
  TrailingBytesError,
  toXml,
  UnexpectedEofError,
} from '../src/index';
import { bytesToHex, type FixtureNode, fromFixture, hexToBytes, loadVector } from './fixtures';

interface Fixtures {
  recorded_nodes: { name: string; hex: string; node: FixtureNode }[];
  upstream_byte_fixtures: {
    encode: { name: string; node?: FixtureNode; hex?: string; hex_after_flag?: string }[];
    decode_packed_value: {
      token: 'HEX_8' | 'NIBBLE_8';
      bytes_after_token: string;
      string?: string;
      error?: string;
    }[];
    decode_u20_be: { bytes: string; value: number }[];
    decode_errors_no_flag_byte: { hex: string; as?: 'node' | 'value'; error: string }[];
    leftover_data: { hex: string };
  };
  encode_decode_fixtures: { count: number; fixtures: { name: string; hex: string; node: FixtureNode }[] };
}

const fixtures = loadVector<Fixtures>('wa-binary-node-fixtures.json');
const TOKEN_BYTE = { HEX_8: 'fb', NIBBLE_8: 'ff' } as const;

/** `<message>` (token 0x13) whose content is the given value bytes. */
const messageWithContent = (valueHex: string) => hexToBytes(`00f80213${valueHex}`);
/** `<message id=VALUE/>`: tag token 0x13, key `id` token 0x08, then the value bytes. */
const messageWithIdValue = (valueHex: string) => hexToBytes(`00f8031308${valueHex}`);

describe('encode/decode fixtures agreed on by Baileys and whatsapp-rust-bridge', () => {
  it('holds all 28 fixtures', () => {
    expect(fixtures.encode_decode_fixtures.fixtures).toHaveLength(fixtures.encode_decode_fixtures.count);
    expect(fixtures.encode_decode_fixtures.count).toBe(28);
  });

  for (const fixture of fixtures.encode_decode_fixtures.fixtures) {
    it(`encodes ${fixture.name} to the agreed bytes and decodes them back`, () => {
      const node = fromFixture(fixture.node);
      expect(bytesToHex(encodeNode(node))).toBe(fixture.hex);
      expect(decodeNode(hexToBytes(fixture.hex))).toEqual(node);
    });
  }
});

describe('XML of the fixtures', () => {
  const all = [...fixtures.recorded_nodes, ...fixtures.encode_decode_fixtures.fixtures];
  for (const fixture of all) {
    it(`prints ${fixture.name} as XML that parses back to the same node and bytes`, () => {
      const node = decodeNode(hexToBytes(fixture.hex));
      const back = fromXml(toXml(node));
      expect(back).toEqual(node);
      expect(bytesToHex(encodeNode(back))).toBe(fixture.hex);
    });
  }
});

describe('the recorded <success> node from a real server', () => {
  const [recorded] = fixtures.recorded_nodes;

  it('decodes to the recorded attributes in the recorded order', () => {
    const node = decodeNode(hexToBytes(recorded!.hex));
    expect(node).toEqual(fromFixture(recorded!.node));
    expect(Object.keys(node.attrs)).toEqual([
      't',
      'props',
      'location',
      'lid',
      'abprops',
      'creation',
      'companion_enc_static',
    ]);
    expect(node.attrs.lid).toBe('100000000000001:42@lid');
  });

  it('re-encodes to the identical bytes', () => {
    expect(bytesToHex(encodeNode(decodeNode(hexToBytes(recorded!.hex))))).toBe(recorded!.hex);
  });
});

describe('whatsapp-rust encoder and decoder unit fixtures', () => {
  const upstream = fixtures.upstream_byte_fixtures;

  for (const fixture of upstream.encode) {
    it(`encodes ${fixture.name}`, () => {
      if (fixture.node) {
        expect(bytesToHex(encodeNode(fromFixture(fixture.node)))).toBe(fixture.hex);
        return;
      }
      // list_start_N: a node with N children starts its content with that list header.
      const size = Number(fixture.name.replace('list_start_', ''));
      const children = Array.from({ length: size }, () => ({ tag: 'a', attrs: {} }));
      const encoded = bytesToHex(encodeNode({ tag: 'message', attrs: {}, content: children }));
      expect(encoded.slice('00f80213'.length).startsWith(fixture.hex_after_flag!)).toBe(true);
    });
  }

  for (const fixture of upstream.decode_packed_value) {
    const bytes = messageWithContent(`${TOKEN_BYTE[fixture.token]}${fixture.bytes_after_token}`);
    if (fixture.error === undefined) {
      it(`unpacks ${fixture.token} ${fixture.bytes_after_token} to "${fixture.string}"`, () => {
        expect(decodeNode(bytes).content).toBe(fixture.string);
      });
    } else {
      it(`rejects ${fixture.token} ${fixture.bytes_after_token}: ${fixture.error}`, () => {
        expect(() => decodeNode(bytes)).toThrow(InvalidPackedStringError);
      });
    }
  }

  for (const fixture of upstream.decode_u20_be) {
    it(`reads the BINARY_20 length ${fixture.bytes} as ${fixture.value}`, () => {
      const payload = '00'.repeat(fixture.value);
      const node = decodeNode(messageWithContent(`fd${fixture.bytes}${payload}`));
      expect((node.content as Uint8Array).length).toBe(fixture.value);
    });
  }

  // Our error class for each upstream negative case (the fixture names the failure in prose).
  const expectedError: Record<string, new (...args: never[]) => Error> = {
    '': UnexpectedEofError,
    fc640102030405: UnexpectedEofError,
    fd000100010203: UnexpectedEofError,
    f80a01: UnexpectedEofError,
    f803ec00fc026964: UnexpectedEofError,
    f803ec0000: InvalidNodeError,
    f809ec00: UnexpectedEofError,
    '00': InvalidNodeError,
    f7: UnexpectedEofError,
    f70201fc03313233: InvalidJidEncodingError,
  };

  for (const fixture of upstream.decode_errors_no_flag_byte) {
    it(`rejects ${fixture.hex || 'empty input'}: ${fixture.error}`, () => {
      const bytes = fixture.as === 'value' ? messageWithIdValue(fixture.hex) : hexToBytes(`00${fixture.hex}`);
      expect(expectedError).toHaveProperty([fixture.hex]);
      expect(() => decodeNode(bytes)).toThrow(expectedError[fixture.hex]!);
    });
  }

  it('rejects bytes left over after the root node (whatsapp-rust LeftoverData)', () => {
    expect(() => decodeNode(hexToBytes(`00${upstream.leftover_data.hex}`))).toThrow(TrailingBytesError);
    expect(decodeNode(hexToBytes('00f801fc0474657374'))).toEqual({ tag: 'test', attrs: {} });
  });
});
