/** Small accessors for a node's content, so parsers need not re-check its type on every stanza. */
import { MissingChildError } from './errors';
import type { BinaryNode } from './node';
import { readUtf8 } from './utf8';

/**
 * The child nodes, all of them or those with `tag`. Empty when the content is not a child list.
 *
 * @example
 * getChildren(iq, 'participant').map((p) => readAttrs(p).jid('jid'));
 */
export function getChildren(node: BinaryNode, tag?: string): BinaryNode[] {
  const content = node.content;
  if (!Array.isArray(content)) return [];
  return tag === undefined ? content : content.filter((child) => child.tag === tag);
}

/** The first child with `tag`, or undefined. */
export function getChild(node: BinaryNode, tag: string): BinaryNode | undefined {
  const content = node.content;
  return Array.isArray(content) ? content.find((child) => child.tag === tag) : undefined;
}

/**
 * The first child with `tag`. Throws `MissingChildError` (a RemoteProtocolError, code
 * `ERR_BINARY_MISSING_CHILD`) when there is none: a stanza without a required part is the peer's fault.
 */
export function getChildOrThrow(node: BinaryNode, tag: string): BinaryNode {
  const child = getChild(node, tag);
  if (child === undefined) throw new MissingChildError(node.tag, tag);
  return child;
}

/** The byte content, or undefined when the content is absent, a string or children. */
export function getBinaryContent(node: BinaryNode): Uint8Array | undefined {
  return node.content instanceof Uint8Array ? node.content : undefined;
}

/**
 * The content as text: a string as is, bytes decoded as UTF-8 (the decoder yields raw bytes for
 * text that is not a token or packed). Undefined for no content, children, or bytes that are not UTF-8.
 */
export function getStringContent(node: BinaryNode): string | undefined {
  const content = node.content;
  if (typeof content === 'string') return content;
  return content instanceof Uint8Array ? readUtf8(content, 0, content.length) : undefined;
}
