/**
 * `toXml`: a `BinaryNode` as indented XML, for logs, research notes and fixtures. The default
 * output is lossless: `fromXml` (xml-parse.ts) reads it back to an equal node.
 *
 *   <iq id="1" type="result">          attributes in key order, values escaped (& < > ")
 *     <list></list>                    empty child list
 *     <enc type="pkmsg">#330a21</enc>  bytes: "#" + lowercase hex ("#" alone when empty)
 *     <body>hello &amp; bye</body>     string content, escaped; a leading "#" becomes &#35;
 *     <ping/>                          no content
 *   </iq>
 *
 * Caveats, both unreachable from decoded nodes: an empty string content prints like an empty
 * child list (the decoder never yields "" because the encoder writes it as empty raw bytes), and
 * tag or attribute names outside the parser's name grammar (e.g. holding spaces or `<`) are
 * printed verbatim and cannot be read back.
 */
import type { BinaryNode } from './node';
import { MAX_NODE_DEPTH } from './tags';

/** How `toXml` lays out its output. */
export interface ToXmlOptions {
  /** Added once per nesting level; two spaces by default. Children always go on their own lines. */
  indent?: string;
  /**
   * Print at most this many bytes of each byte content, followed by `…(N bytes)` when cut. For
   * display only: `fromXml` rejects the shortened form. By default everything is printed.
   */
  maxBytes?: number;
}

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Prints `node` as indented XML. Throws RangeError for nodes nested deeper than 128 levels (what
 * the codec and `fromXml` accept; this also stops cyclic nodes) and TypeError for content that is
 * not children, bytes or a string.
 *
 * @example
 * toXml({ tag: 'enc', attrs: { type: 'pkmsg' }, content: new Uint8Array([0x33, 0x0a]) });
 * // '<enc type="pkmsg">#330a</enc>'
 */
export function toXml(node: BinaryNode, options: ToXmlOptions = {}): string {
  const indent = options.indent ?? '  ';
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (!(maxBytes >= 0) || (maxBytes !== Number.POSITIVE_INFINITY && !Number.isInteger(maxBytes))) {
    throw new RangeError(`"maxBytes" expected a non-negative integer, got ${maxBytes}`);
  }
  const lines: string[] = [];
  printNode(node, 1, '', { indent, maxBytes, lines });
  return lines.join('\n');
}

interface Printer {
  indent: string;
  maxBytes: number;
  lines: string[];
}

function printNode(node: BinaryNode, depth: number, prefix: string, out: Printer): void {
  if (depth > MAX_NODE_DEPTH) {
    throw new RangeError(`node nested deeper than ${MAX_NODE_DEPTH} levels (or cyclic)`);
  }
  const open = `${prefix}<${node.tag}${printAttrs(node.attrs)}`;
  const close = `</${node.tag}>`;
  const content = node.content;
  if (content === undefined) {
    out.lines.push(`${open}/>`);
  } else if (Array.isArray(content)) {
    if (content.length === 0) {
      out.lines.push(`${open}>${close}`);
      return;
    }
    out.lines.push(`${open}>`);
    const childPrefix = prefix + out.indent;
    for (const child of content) printNode(child, depth + 1, childPrefix, out);
    out.lines.push(prefix + close);
  } else if (content instanceof Uint8Array) {
    out.lines.push(`${open}>${printBytes(content, out.maxBytes)}${close}`);
  } else if (typeof content === 'string') {
    // A leading "#" would read back as bytes; &#35; keeps the two apart.
    const text = escapeText(content);
    out.lines.push(`${open}>${text.startsWith('#') ? `&#35;${text.slice(1)}` : text}${close}`);
  } else {
    throw new TypeError(`<${node.tag}> content must be child nodes, a Uint8Array or a string`);
  }
}

function printAttrs(attrs: Record<string, string> | undefined): string {
  let out = '';
  if (attrs === undefined || attrs === null) return out;
  for (const key of Object.keys(attrs)) {
    const value = attrs[key] as string | null | undefined;
    // Skipped like the encoder skips them, so optional attributes print as they would be sent.
    if (value === undefined || value === null) continue;
    out += ` ${key}="${escapeAttr(String(value))}"`;
  }
  return out;
}

function printBytes(bytes: Uint8Array, maxBytes: number): string {
  const shown = Math.min(bytes.length, maxBytes);
  let hex = '#';
  for (let i = 0; i < shown; i++) hex += HEX[bytes[i]!];
  return shown < bytes.length ? `${hex}…(${bytes.length} bytes)` : hex;
}

function escapeText(s: string): string {
  return /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}

function escapeAttr(s: string): string {
  return /[&<>"]/.test(s) ? escapeText(s).replace(/"/g, '&quot;') : s;
}
