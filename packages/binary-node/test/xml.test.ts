import { isLocalProtocolError } from '@wakit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmlParseError } from '../src/errors';
import type { BinaryNode } from '../src/node';
import { MAX_NODE_DEPTH } from '../src/tags';
import { fromXml } from '../src/xml-parse';
import { toXml } from '../src/xml-print';

const bytes = (...b: number[]) => new Uint8Array(b);

/** Attributes built the way the parser builds them, so `__proto__` is an own key. */
function attrsOf(entries: [string, string][]): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return attrs;
}

/** `[description, node, printed XML]`, read in both directions. */
const KNOWN: [string, BinaryNode, string][] = [
  ['an element without content', { tag: 'ping', attrs: {} }, '<ping/>'],
  ['attributes in key order', { tag: 'iq', attrs: { type: 'get', id: '1' } }, '<iq type="get" id="1"/>'],
  [
    'byte content as "#" and lowercase hex',
    { tag: 'enc', attrs: { type: 'pkmsg' }, content: bytes(0x33, 0x0a, 0x21) },
    '<enc type="pkmsg">#330a21</enc>',
  ],
  ['empty bytes as a lone "#"', { tag: 'enc', attrs: {}, content: bytes() }, '<enc>#</enc>'],
  ['an empty child list', { tag: 'list', attrs: {}, content: [] }, '<list></list>'],
  ['string content inline', { tag: 'body', attrs: {}, content: 'hi there' }, '<body>hi there</body>'],
  [
    'a leading "#" in a string as &#35;',
    { tag: 'body', attrs: {}, content: '#hash' },
    '<body>&#35;hash</body>',
  ],
  [
    'escaped text and attribute values',
    { tag: 'body', attrs: { q: 'a"b<c>&d' }, content: '<x> & y "z"' },
    '<body q="a&quot;b&lt;c&gt;&amp;d">&lt;x&gt; &amp; y "z"</body>',
  ],
  [
    'children on their own lines, indented by two spaces',
    {
      tag: 'iq',
      attrs: { id: '1', to: '@s.whatsapp.net' },
      content: [
        { tag: 'list', attrs: {}, content: [{ tag: 'item', attrs: { jid: '1@lid' } }] },
        { tag: 'ping', attrs: {} },
      ],
    },
    '<iq id="1" to="@s.whatsapp.net">\n  <list>\n    <item jid="1@lid"/>\n  </list>\n  <ping/>\n</iq>',
  ],
  [
    'whitespace inside string content verbatim',
    { tag: 't', attrs: {}, content: ' a\n\tb ' },
    '<t> a\n\tb </t>',
  ],
  [
    'names like __proto__ and constructor as plain keys',
    {
      tag: '__proto__',
      attrs: attrsOf([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    },
    '<__proto__ __proto__="x" constructor="y"/>',
  ],
];

/** `[input, fragment of the message, line, column]` */
const MALFORMED: [string, string, number, number][] = [
  ['', 'expected "<" to start the root element', 1, 1],
  ['hello', 'expected "<"', 1, 1],
  ['<a>', 'unexpected end of input inside <a>', 1, 4],
  ['<a', 'unexpected end of input inside the <a> start tag', 1, 3],
  ['<a/><b/>', 'unexpected content after the root element', 1, 5],
  ['<a>\n  <b>\n</a>', 'expected </b>, found </a>', 3, 3],
  ['<a x="1" x="2"/>', 'duplicate attribute "x"', 1, 10],
  ['<a x/>', 'expected "=" after attribute "x"', 1, 5],
  ['<a x=1/>', 'expected a quoted attribute value', 1, 6],
  ['<a x="1/>', 'unterminated attribute value', 1, 10],
  ['<a x="<"/>', 'raw "<" in an attribute value', 1, 7],
  ['<a x="1"y="2"/>', 'expected whitespace', 1, 9],
  ['<a>&nbsp;</a>', 'unknown entity "&nbsp;"', 1, 4],
  ['<a>&#x110000;</a>', 'unknown entity', 1, 4],
  ['<a>a & b</a>', '"&" must start an entity', 1, 6],
  ['<a>#abc</a>', 'byte content must be "#" and pairs of hex digits', 1, 4],
  ['<a>#zz</a>', 'byte content must be', 1, 4],
  ['<a>\n<b>#0a0b…(3 bytes)</b></a>', 'shortened by toXml({ maxBytes })', 2, 4],
  ['<a>text<b/></a>', 'text mixed with child elements in <a>', 1, 4],
  ['<a><b/>x</a>', 'text mixed with child elements', 1, 8],
  ['<?xml version="1.0"?><a/>', 'declarations, CDATA and instructions', 1, 2],
  ['<!DOCTYPE a><a/>', 'declarations, CDATA', 1, 2],
  ['<a><![CDATA[x]]></a>', 'declarations, CDATA', 1, 5],
  ['<a><!-- open</a>', 'unterminated comment', 1, 4],
  ['</a>', 'expected a tag name', 1, 2],
  ['< a/>', 'expected a tag name', 1, 2],
  ['<a></ b>', 'expected a closing tag name', 1, 6],
  ['<a></a x>', 'expected ">" to close </a', 1, 8],
];

/** Tag and attribute names: everyday ones, prototype-polluting ones, and anything in the name grammar. */
const name = fc.oneof(
  fc.constantFrom(
    'iq',
    'enc',
    'w:g2',
    'key-index-list',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ),
  fc.stringMatching(/^[A-Za-z_:][A-Za-z0-9_:.#@-]{0,8}$/),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 6 })
    .filter((s) => [...s].every((ch) => ch > ' ' && ch !== '\u007f' && !'<>/="\'&!?'.includes(ch))),
);

/**
 * Nodes of every content kind. Avoids empty string content, which prints like an empty child
 * list (decoded nodes never carry "": the encoder writes it as empty raw bytes).
 */
const { node } = fc.letrec<{ node: BinaryNode }>((tie) => ({
  node: fc
    .record({
      tag: name,
      attrs: fc.uniqueArray(fc.tuple(name, fc.string({ unit: 'binary', maxLength: 12 })), {
        selector: ([key]) => key,
        maxLength: 4,
      }),
      content: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constant(undefined),
        fc.uint8Array({ maxLength: 24 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })
    .map(({ tag, attrs, content }) => {
      const n: BinaryNode = { tag, attrs: attrsOf(attrs) };
      if (content !== undefined) n.content = content;
      return n;
    }),
}));

function expectOnlyXmlParseError(text: string): void {
  try {
    fromXml(text);
  } catch (error) {
    if (!(error instanceof XmlParseError)) throw error;
  }
}

function nested(depth: number): BinaryNode {
  let n: BinaryNode = { tag: 'x', attrs: {} };
  for (let i = 1; i < depth; i++) n = { tag: 'x', attrs: {}, content: [n] };
  return n;
}

describe('toXml and fromXml', () => {
  it.each(KNOWN)('prints and reads back %s', (_what, n, xml) => {
    expect(toXml(n)).toBe(xml);
    expect(fromXml(xml)).toStrictEqual(n);
  });

  it.each(MALFORMED)('rejects %j with a positioned XmlParseError', (input, message, line, column) => {
    let caught: unknown;
    try {
      fromXml(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(XmlParseError);
    const e = caught as XmlParseError;
    expect(e.code).toBe('ERR_XML_PARSE');
    expect(isLocalProtocolError(e)).toBe(true);
    expect(e.message).toContain(message);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toContain(`(at line ${line}, column ${column})`);
  });

  it('reads back every generated node unchanged', () => {
    fc.assert(
      fc.property(node, (n) => {
        expect(fromXml(toXml(n))).toStrictEqual(n);
      }),
    );
  });

  it('reads back every generated node printed with another indent', () => {
    fc.assert(
      fc.property(node, fc.constantFrom('', '\t', '    '), (n, indent) => {
        expect(fromXml(toXml(n, { indent }))).toStrictEqual(n);
      }),
    );
  });

  it('throws nothing but XmlParseError for random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 64 }), expectOnlyXmlParseError));
    const xmlChars = fc.constantFrom(...'<>/="\'&#;!?- \nabx0-'.split(''), '<!--', '-->', '&amp;', '&#x41;');
    fc.assert(
      fc.property(
        fc.array(xmlChars, { maxLength: 40 }).map((a) => a.join('')),
        expectOnlyXmlParseError,
      ),
    );
  });

  it('throws nothing but XmlParseError for printed XML with one character changed', () => {
    const mutated = fc
      .tuple(
        node.map((n) => toXml(n)),
        fc.nat(),
        fc.constantFrom('<', '>', '/', '"', '&', '#', '=', ' ', ''),
      )
      .map(([xml, at, c]) => {
        const i = at % (xml.length + 1);
        return xml.slice(0, i) + c + xml.slice(i + 1);
      });
    fc.assert(fc.property(mutated, expectOnlyXmlParseError));
  });

  it('never sets a prototype from an attribute named __proto__', () => {
    const n = fromXml('<a __proto__="x" constructor="y" toString="z"/>');
    expect(Object.getPrototypeOf(n.attrs)).toBe(Object.prototype);
    expect(Object.keys(n.attrs)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(n.attrs, '__proto__')?.value).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('tolerates whitespace between elements, around "=" and before ">", and comments anywhere', () => {
    const xml = `<!-- head -->\n<a  k = 'v "q"' >\n  <!-- c -->\n  <b/>\t<c x="1" />\n</a >\n<!-- tail -->\n`;
    expect(fromXml(xml)).toStrictEqual({
      tag: 'a',
      attrs: { k: 'v "q"' },
      content: [
        { tag: 'b', attrs: {} },
        { tag: 'c', attrs: { x: '1' } },
      ],
    });
    expect(fromXml('<a><!-- only a comment --></a>').content).toEqual([]);
  });

  it('decodes every entity form', () => {
    const n = fromXml('<a v="&apos;&#65;&#x1F600;">&amp;&lt;&gt;&quot;&apos;&#35;&#x41;</a>');
    expect(n.attrs.v).toBe("'A😀");
    expect(n.content).toBe('&<>"\'#A');
  });

  it('accepts uppercase hex in byte content, and reads text not starting with "#" as a string', () => {
    expect(fromXml('<a>#0AfF</a>').content).toEqual(bytes(0x0a, 0xff));
    expect(fromXml('<a> #0a</a>').content).toBe(' #0a');
    expect(fromXml('<a><!-- c -->#0a</a>').content).toEqual(bytes(0x0a));
  });

  it(`accepts ${MAX_NODE_DEPTH} nested elements and rejects one more`, () => {
    const open = (n: number) => `${'<x>'.repeat(n - 1)}<x/>${'</x>'.repeat(n - 1)}`;
    expect(fromXml(open(MAX_NODE_DEPTH))).toStrictEqual(nested(MAX_NODE_DEPTH));
    expect(() => fromXml(open(MAX_NODE_DEPTH + 1))).toThrow(/nested deeper than 128/);
    expect(() => fromXml('<x>'.repeat(200_000))).toThrow(XmlParseError);
  });

  it('refuses to print a node nested too deep or cyclic', () => {
    expect(toXml(nested(MAX_NODE_DEPTH)).split('\n')).toHaveLength(2 * MAX_NODE_DEPTH - 1);
    expect(() => toXml(nested(MAX_NODE_DEPTH + 1))).toThrow(RangeError);
    const cyclic: BinaryNode = { tag: 'a', attrs: {}, content: [] };
    (cyclic.content as BinaryNode[]).push(cyclic);
    expect(() => toXml(cyclic)).toThrow(/cyclic/);
  });

  it('shortens byte content to maxBytes for display', () => {
    const n: BinaryNode = { tag: 'enc', attrs: {}, content: bytes(10, 11, 12, 13) };
    expect(toXml(n, { maxBytes: 2 })).toBe('<enc>#0a0b…(4 bytes)</enc>');
    expect(toXml(n, { maxBytes: 4 })).toBe('<enc>#0a0b0c0d</enc>');
    expect(toXml(n, { maxBytes: 0 })).toBe('<enc>#…(4 bytes)</enc>');
    expect(() => toXml(n, { maxBytes: -1 })).toThrow(RangeError);
    expect(() => toXml(n, { maxBytes: 1.5 })).toThrow(RangeError);
  });

  it('prints an empty string like an empty child list, which reads back as []', () => {
    expect(toXml({ tag: 'a', attrs: {}, content: '' })).toBe('<a></a>');
    expect(fromXml('<a></a>').content).toEqual([]);
  });

  it('leaves out undefined attributes and rejects content of another type', () => {
    const loose = { tag: 'a', attrs: { x: undefined, y: '1' } } as unknown as BinaryNode;
    expect(toXml(loose)).toBe('<a y="1"/>');
    expect(() => toXml({ tag: 'a', attrs: {}, content: 5 } as unknown as BinaryNode)).toThrow(TypeError);
    expect(() => fromXml(5 as unknown as string)).toThrow(TypeError);
  });
});
