/**
 * Raw stanza observers: `client.registerHandler(match, handler)` runs `handler` for every received
 * stanza the match accepts, in the stanza's lane after the handler that claimed it, and awaits it
 * before the stanza is acked. Matches are declarative where they can be, so a module states what
 * it listens to instead of filtering inside its handler. (Modules that claim stanzas register a
 * `StanzaHandler` through `client.use`; see `pipeline/stanza-handler.ts`.)
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';

/** Which nodes a handler wants: every given field must hold, or a predicate. */
export type NodeMatch =
  | {
      /** The node's tag (`iq`, `notification`, `message`, …). */
      tag?: string | undefined;
      /** Attributes that must have exactly these values. */
      attrs?: Readonly<Record<string, string>> | undefined;
      /** The tag of a child that must be present. */
      child?: string | undefined;
    }
  | ((node: BinaryNode) => boolean);

/** A stanza observer; a returned promise is awaited, its rejection is reported as an `error` event. */
export type NodeHandler = (node: BinaryNode) => void | Promise<void>;

/** True when `node` satisfies `match`. */
export function matchesNode(match: NodeMatch, node: BinaryNode): boolean {
  if (typeof match === 'function') return match(node);
  if (match.tag !== undefined && node.tag !== match.tag) return false;
  if (match.attrs !== undefined) {
    for (const [key, value] of Object.entries(match.attrs)) if (node.attrs[key] !== value) return false;
  }
  if (match.child !== undefined && getChild(node, match.child) === undefined) return false;
  return true;
}
