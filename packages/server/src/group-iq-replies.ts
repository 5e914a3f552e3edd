/**
 * What every `w:g2` handler shares: replies `from` the JID the IQ went to (WhatsApp answers group
 * IQs from the group, or from `@g.us`), the limits requests are checked against, and the text of a
 * `<subject>`/`<body>` child.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { contentBytes, iqError, iqResult } from './nodes';

/** Longest subject accepted, in characters (whatsapp-rust GROUP_SUBJECT_MAX_LENGTH). */
export const GROUP_SUBJECT_MAX_LENGTH = 100;

/** Disappearing-message timers WhatsApp offers for groups: 24 hours, 7 days, 90 days. */
export const GROUP_EPHEMERAL_DURATIONS: ReadonlySet<number> = new Set([86_400, 604_800, 7_776_000]);

/** A reply to `node` from the JID it was sent to. */
export function groupReply(node: BinaryNode, content?: BinaryNode[]): BinaryNode {
  const reply = iqResult(node, content);
  if (node.attrs.to !== undefined) reply.attrs.from = node.attrs.to;
  return reply;
}

/** An error reply to `node` from the JID it was sent to. */
export function groupError(node: BinaryNode, code: number, text: string): BinaryNode {
  const reply = iqError(node, code, text);
  if (node.attrs.to !== undefined) reply.attrs.from = node.attrs.to;
  return reply;
}

/** The text of a `<subject>`/`<body>` child (bytes or a string), or undefined. */
export function textOf(node: BinaryNode | undefined): string | undefined {
  const bytes = contentBytes(node);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
