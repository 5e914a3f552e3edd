/**
 * Builders for the stanzas the server sends, in the shapes docs/protocol.md gives (§5, §6, §10.13).
 * Attributes come first in the order the real server writes them; the codec does not care, but
 * recorded traces read the same.
 */
import type { BinaryNode } from '@wakit/binary-node';

/** The server's own JID, encoded as a JID pair with an empty user (docs/protocol.md §4). */
export const SERVER_JID = '@s.whatsapp.net';

/** Seconds since the Unix epoch, as the `t` attributes carry them. */
export function unixSeconds(now: number = Date.now()): string {
  return String(Math.floor(now / 1000));
}

/** `<iq from=S type="result" id=…>` answering `request`, with optional children. */
export function iqResult(request: BinaryNode, content?: BinaryNode[]): BinaryNode {
  const node: BinaryNode = {
    tag: 'iq',
    attrs: { from: SERVER_JID, type: 'result', id: request.attrs.id ?? '' },
  };
  if (content !== undefined) node.content = content;
  return node;
}

/** `<iq from=S type="error" id=…><error code text/></iq>` answering `request`. */
export function iqError(request: BinaryNode, code: number, text: string): BinaryNode {
  return {
    tag: 'iq',
    attrs: { from: SERVER_JID, type: 'error', id: request.attrs.id ?? '' },
    content: [{ tag: 'error', attrs: { code: String(code), text } }],
  };
}

/** The conflicts a stream error may name (docs/protocol.md §10.13). */
export type StreamConflict = 'replaced' | 'device_removed';

/**
 * `<stream:error code=…>[<conflict type=…/>]</stream:error>`. `replaced` goes without a code:
 * whatsmeow and Baileys recognise it by the conflict alone.
 */
export function streamError(code: number | undefined, conflict?: StreamConflict): BinaryNode {
  const node: BinaryNode = { tag: 'stream:error', attrs: code === undefined ? {} : { code: String(code) } };
  if (conflict !== undefined) node.content = [{ tag: 'conflict', attrs: { type: conflict } }];
  return node;
}

/** `<failure reason=…/>`, the refusal of a login (docs/protocol.md §10.13). */
export function failure(reason: number): BinaryNode {
  return { tag: 'failure', attrs: { reason: String(reason), location: 'test' } };
}

/** A child holding raw bytes. */
export function bytesNode(tag: string, content: Uint8Array, attrs: Record<string, string> = {}): BinaryNode {
  return { tag, attrs, content };
}

/** The first direct child of `node` named `tag`. */
export function child(node: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  if (node === undefined || !Array.isArray(node.content)) return undefined;
  return node.content.find((c) => c.tag === tag);
}

/** Every direct child of `node` (named `tag` when given). */
export function children(node: BinaryNode | undefined, tag?: string): BinaryNode[] {
  if (node === undefined || !Array.isArray(node.content)) return [];
  return tag === undefined ? node.content : node.content.filter((c) => c.tag === tag);
}

/** The bytes of `node`'s content (strings as UTF-8); `undefined` when it has children or nothing. */
export function contentBytes(node: BinaryNode | undefined): Uint8Array | undefined {
  if (node === undefined) return undefined;
  if (node.content instanceof Uint8Array) return node.content;
  if (typeof node.content === 'string') return new TextEncoder().encode(node.content);
  return undefined;
}
