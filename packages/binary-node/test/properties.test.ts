import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BinaryNode, decodeNode, encodeNode, isRemoteProtocolError, type NodeInput } from '../src/index';
import { anyNode } from './arbitraries';

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * `decoded` is what `input` must decode to. One documented normalisation: the format has no
 * string type for raw text, so string content that is not a token, packed digits or a JID comes
 * back as its UTF-8 bytes (as in every reference).
 */
function expectRoundTrip(input: NodeInput, decoded: BinaryNode): void {
  expect(decoded.tag).toBe(input.tag);
  expect(decoded.attrs).toEqual(input.attrs ?? {});
  expect(Object.keys(decoded.attrs)).toEqual(Object.keys(input.attrs ?? {}));
  const content = input.content;
  if (content === undefined) {
    expect('content' in decoded).toBe(false);
  } else if (typeof content === 'string') {
    if (typeof decoded.content === 'string') expect(decoded.content).toBe(content);
    else expect(decoded.content).toEqual(utf8(content));
  } else if (content instanceof Uint8Array) {
    expect(decoded.content).toEqual(content);
  } else {
    const children = decoded.content as BinaryNode[];
    expect(children).toHaveLength(content.length);
    for (const [i, child] of content.entries()) expectRoundTrip(child, children[i]!);
  }
}

function expectOnlyTypedErrors(bytes: Uint8Array): void {
  try {
    decodeNode(bytes);
  } catch (error) {
    if (!isRemoteProtocolError(error)) throw error;
  }
}

describe('round trips', () => {
  it('decodeNode(encodeNode(node)) gives the node back, whatever its strings', () => {
    fc.assert(
      fc.property(anyNode, (node) => expectRoundTrip(node, decodeNode(encodeNode(node)))),
      { numRuns: 2000 },
    );
  });

  it('re-encoding a decoded node reproduces the bytes', () => {
    fc.assert(
      fc.property(anyNode, (node) => {
        const bytes = encodeNode(node);
        expect(encodeNode(decodeNode(bytes))).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hostile input', () => {
  it('random bytes give a node or a RemoteProtocolError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(0, 2, undefined), (bytes, flag) => {
        if (flag !== undefined && bytes.length > 0) bytes[0] = flag;
        expectOnlyTypedErrors(bytes);
      }),
      { numRuns: 20_000 },
    );
  });

  it('mutated valid payloads give a node or a RemoteProtocolError', () => {
    const mutation = fc.record({
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
      kind: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'),
    });
    fc.assert(
      fc.property(anyNode, fc.array(mutation, { minLength: 1, maxLength: 4 }), (node, mutations) => {
        let bytes = Array.from(encodeNode(node));
        for (const { at, byte, kind } of mutations) {
          const i = at % (bytes.length + 1);
          if (kind === 'flip') bytes[i % bytes.length] = (bytes[i % bytes.length] ?? 0) ^ (1 << (byte % 8));
          else if (kind === 'set') bytes[i % bytes.length] = byte;
          else if (kind === 'insert') bytes.splice(i, 0, byte);
          else if (kind === 'delete') bytes.splice(i, 1);
          else bytes = bytes.slice(0, i);
        }
        expectOnlyTypedErrors(Uint8Array.from(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('whatever decodes is canonical after one re-encode: decode(encode(decode(b))) equals decode(b)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 120 }), (bytes) => {
        bytes[0] = 0;
        let node: BinaryNode;
        try {
          node = decodeNode(bytes);
        } catch (error) {
          if (isRemoteProtocolError(error)) return;
          throw error;
        }
        expect(decodeNode(encodeNode(node))).toEqual(node);
      }),
      { numRuns: 20_000 },
    );
  });
});
