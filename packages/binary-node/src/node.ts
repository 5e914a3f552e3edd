/**
 * The node model shared by every wakit package: a tag, string attributes, and optional content
 * that is either child nodes, raw bytes or a string.
 */

/** Content of a node: child nodes, raw bytes, or a string (tokens, packed digits, JIDs, text). */
export type NodeContent = BinaryNode[] | Uint8Array | string;

/**
 * One stanza or element. Attribute order is the order of `Object.keys(attrs)` and is preserved on
 * the wire. `content` is absent (not `undefined`) on decoded nodes that have none.
 */
export interface BinaryNode {
  tag: string;
  attrs: Record<string, string>;
  content?: NodeContent;
}

/**
 * What `encodeNode` accepts: a `BinaryNode`, plus the conveniences callers building stanzas want.
 * Attributes whose value is `undefined` or `null` are left out (as in Baileys), so optional
 * attributes can be written inline: `{ type, participant: maybeJid }`.
 */
export interface NodeInput {
  tag: string;
  attrs?: Readonly<Record<string, string | null | undefined>>;
  content?: readonly NodeInput[] | Uint8Array | string;
}
