/**
 * `fromXml`: reads back what `toXml` prints, for fixtures written by hand or recorded as XML.
 *
 * Grammar (a strict subset of XML, plus two conventions of its own):
 *   document = misc* element misc*             misc = whitespace | <!-- comment -->
 *   element  = "<" name (ws+ name ws* "=" ws* quoted)* ws* ("/>" | ">" content "</" name ws* ">")
 *   content  = child elements with only whitespace and comments between them   -> children
 *            | "#" hex-digit-pairs                                              -> bytes
 *            | any other text (a leading literal "#" is not allowed)            -> string
 *            | nothing (or only comments)                                       -> []
 *   name     = one or more characters other than whitespace, controls and < > / = " ' & ! ?
 *   quoted   = "..." or '...' without a raw "<"; entities &amp; &lt; &gt; &quot; &apos; &#N; &#xN;
 * Text in a string content is kept verbatim (after entity decoding), whitespace included.
 *
 * No XML declarations, DOCTYPEs, CDATA or processing instructions. Nesting is capped at
 * MAX_NODE_DEPTH (128, the root counting as 1, as in the codec) and the parser is a loop with an
 * explicit stack, so no input can exhaust the call stack or make it hang. Attributes are defined
 * as own properties, so names like `__proto__` are ordinary keys and never touch a prototype.
 */
import { XmlParseError } from './errors';
import type { BinaryNode } from './node';
import { MAX_NODE_DEPTH } from './tags';

/**
 * Parses one XML element in the grammar `toXml` prints into a `BinaryNode`. Throws
 * `XmlParseError` (code `ERR_XML_PARSE`, with `line` and `column`) on anything else.
 *
 * @example
 * fromXml('<iq id="1" to="@s.whatsapp.net"><ping/></iq>');
 * // { tag: 'iq', attrs: { id: '1', to: '@s.whatsapp.net' }, content: [{ tag: 'ping', attrs: {} }] }
 */
export function fromXml(text: string): BinaryNode {
  if (typeof text !== 'string') throw new TypeError('fromXml expects a string');
  return new XmlParser(text).parseDocument();
}

/** An element whose content is still being read. */
interface OpenElement {
  node: BinaryNode;
  children: BinaryNode[];
  /** Raw (undecoded) text runs, to recognise `#hex` before entities are applied. */
  raw: string;
  /** Decoded text runs. */
  text: string;
  /** Offset of the first non-whitespace text character, for error positions; -1 if none. */
  textAt: number;
  /** Offset of the first text character; -1 if none. */
  firstTextAt: number;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

class XmlParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseDocument(): BinaryNode {
    this.skipMisc();
    if (this.src.charCodeAt(this.pos) !== LT) this.fail('expected "<" to start the root element');
    const stack: OpenElement[] = [];
    let root: BinaryNode | undefined;
    for (;;) {
      // Here `pos` is at the "<" of a start tag.
      if (stack.length >= MAX_NODE_DEPTH) this.fail(`elements nested deeper than ${MAX_NODE_DEPTH}`);
      const { node, selfClosing } = this.parseStartTag();
      if (stack.length === 0) root = node;
      else stack[stack.length - 1]!.children.push(node);
      if (!selfClosing) stack.push({ node, children: [], raw: '', text: '', textAt: -1, firstTextAt: -1 });
      if (!this.readContentUntilChild(stack)) break;
    }
    this.skipMisc();
    if (this.pos < this.src.length) this.fail('unexpected content after the root element');
    return root!;
  }

  /**
   * Reads text, comments and end tags of the innermost open elements. Returns true when it stops
   * at a child's start tag, false when the root element has been closed.
   */
  private readContentUntilChild(stack: OpenElement[]): boolean {
    const src = this.src;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      this.readText(top);
      if (this.pos >= src.length) this.fail(`unexpected end of input inside <${top.node.tag}>`);
      if (src.startsWith('<!--', this.pos)) {
        this.skipComment();
      } else if (src.startsWith('</', this.pos)) {
        this.parseEndTag(top.node.tag);
        this.finish(top);
        stack.pop();
      } else {
        return true;
      }
    }
    return false;
  }

  private parseStartTag(): { node: BinaryNode; selfClosing: boolean } {
    const src = this.src;
    this.pos++; // "<"
    const first = src.charCodeAt(this.pos);
    if (first === BANG || first === QUESTION)
      this.fail('declarations, CDATA and instructions are not supported');
    const tag = this.parseName('a tag name');
    const attrs: Record<string, string> = {};
    for (;;) {
      const spaced = this.skipWhitespace();
      if (src.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { node: { tag, attrs }, selfClosing: true };
      }
      if (src.charCodeAt(this.pos) === GT) {
        this.pos++;
        return { node: { tag, attrs }, selfClosing: false };
      }
      if (this.pos >= src.length) this.fail(`unexpected end of input inside the <${tag}> start tag`);
      if (!spaced) this.fail('expected whitespace, ">" or "/>"');
      const nameAt = this.pos;
      const name = this.parseName('an attribute name');
      if (Object.hasOwn(attrs, name)) this.fail(`duplicate attribute "${name}"`, nameAt);
      this.skipWhitespace();
      if (src.charCodeAt(this.pos) !== EQUALS) this.fail(`expected "=" after attribute "${name}"`);
      this.pos++;
      this.skipWhitespace();
      // defineProperty, not assignment: `attrs.__proto__ = v` would try to replace the prototype.
      Object.defineProperty(attrs, name, {
        value: this.parseQuoted(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }

  private parseEndTag(expected: string): void {
    this.pos += 2; // "</"
    const nameAt = this.pos;
    const name = this.parseName('a closing tag name');
    if (name !== expected) this.fail(`expected </${expected}>, found </${name}>`, nameAt);
    this.skipWhitespace();
    if (this.src.charCodeAt(this.pos) !== GT) this.fail(`expected ">" to close </${name}`);
    this.pos++;
  }

  private parseName(what: string): string {
    const start = this.pos;
    while (this.pos < this.src.length && isNameChar(this.src.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) this.fail(`expected ${what}`);
    return this.src.slice(start, this.pos);
  }

  private parseQuoted(): string {
    const src = this.src;
    const quote = src.charCodeAt(this.pos);
    if (quote !== QUOTE && quote !== APOSTROPHE) this.fail('expected a quoted attribute value');
    this.pos++;
    let value = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= src.length) this.fail('unterminated attribute value');
      const c = src.charCodeAt(this.pos);
      if (c === quote) break;
      if (c === LT) this.fail('raw "<" in an attribute value (write &lt;)');
      if (c === AMP) {
        value += src.slice(runStart, this.pos) + this.parseEntity();
        runStart = this.pos;
      } else {
        this.pos++;
      }
    }
    value += src.slice(runStart, this.pos);
    this.pos++;
    return value;
  }

  /** Reads one text run (up to the next "<" or the end) into `top`. */
  private readText(top: OpenElement): void {
    const src = this.src;
    const start = this.pos;
    let end = src.indexOf('<', start);
    if (end < 0) end = src.length;
    if (end === start) return;
    if (top.firstTextAt < 0) top.firstTextAt = start;
    if (top.textAt < 0) {
      for (let i = start; i < end; i++) {
        if (!isWhitespace(src.charCodeAt(i))) {
          top.textAt = i;
          break;
        }
      }
    }
    top.raw += src.slice(start, end);
    let decoded = '';
    let runStart = start;
    for (this.pos = start; this.pos < end; ) {
      if (src.charCodeAt(this.pos) === AMP) {
        decoded += src.slice(runStart, this.pos) + this.parseEntity();
        runStart = this.pos;
      } else {
        this.pos++;
      }
    }
    top.text += decoded + src.slice(runStart, end);
  }

  /** Decodes the entity at `pos` (an "&") and moves past its ";". */
  private parseEntity(): string {
    const start = this.pos;
    const semicolon = this.src.indexOf(';', start);
    // The longest entity is &#1114111; (10 characters); anything longer is not one.
    if (semicolon < 0 || semicolon - start > 10) this.fail('"&" must start an entity such as &amp;', start);
    const body = this.src.slice(start + 1, semicolon);
    let decoded: string | undefined;
    if (Object.hasOwn(NAMED_ENTITIES, body)) {
      decoded = NAMED_ENTITIES[body];
    } else if (/^#[0-9]{1,7}$/.test(body) || /^#x[0-9a-fA-F]{1,6}$/.test(body)) {
      const codePoint = body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      if (codePoint <= 0x10ffff) decoded = String.fromCodePoint(codePoint);
    }
    if (decoded === undefined) this.fail(`unknown entity "&${body};"`, start);
    this.pos = semicolon + 1;
    return decoded;
  }

  /** Sets the content of a just-closed element from what was read inside it. */
  private finish(open: OpenElement): void {
    const { node, children } = open;
    if (children.length > 0) {
      if (open.textAt >= 0) this.fail(`text mixed with child elements in <${node.tag}>`, open.textAt);
      node.content = children;
    } else if (open.raw === '') {
      node.content = [];
    } else if (open.raw.startsWith('#')) {
      node.content = this.parseHex(open.raw, open.firstTextAt);
    } else {
      node.content = open.text;
    }
  }

  private parseHex(raw: string, at: number): Uint8Array {
    const digits = raw.length - 1;
    if (raw.includes('…')) this.fail('byte content shortened by toXml({ maxBytes }) cannot be read back', at);
    if (digits % 2 !== 0 || !/^#[0-9a-fA-F]*$/.test(raw)) {
      this.fail('byte content must be "#" and pairs of hex digits (write &#35; for a literal "#")', at);
    }
    const bytes = new Uint8Array(digits / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(raw.slice(1 + 2 * i, 3 + 2 * i), 16);
    return bytes;
  }

  /** Skips whitespace and comments between elements. */
  private skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (!this.src.startsWith('<!--', this.pos)) return;
      this.skipComment();
    }
  }

  private skipComment(): void {
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end < 0) this.fail('unterminated comment');
    this.pos = end + 3;
  }

  /** Skips whitespace; true if there was any. */
  private skipWhitespace(): boolean {
    const start = this.pos;
    while (this.pos < this.src.length && isWhitespace(this.src.charCodeAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private fail(message: string, at = this.pos): never {
    // Line and column are only computed here, so the happy path never counts lines.
    let line = 1;
    let lineStart = 0;
    for (let i = this.src.indexOf('\n'); i >= 0 && i < at; i = this.src.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    throw new XmlParseError(message, line, at - lineStart + 1);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BANG = 0x21;
const QUESTION = 0x3f;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** Name characters: anything printable except the XML delimiters (see the grammar above). */
function isNameChar(c: number): boolean {
  if (c <= 0x20 || c === 0x7f) return false;
  switch (c) {
    case LT:
    case GT:
    case 0x2f: // "/"
    case EQUALS:
    case QUOTE:
    case APOSTROPHE:
    case AMP:
    case BANG:
    case QUESTION:
      return false;
    default:
      return true;
  }
}
