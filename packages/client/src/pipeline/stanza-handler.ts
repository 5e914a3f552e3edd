/**
 * Stanza handlers: what a module registers to take part in the receive path. The pipeline
 * (`stanza-pipeline.ts`) offers each received stanza to the handlers in order; the first whose
 * `match` accepts it and whose `handle` does not return `false` has claimed it.
 *
 * Acks (docs/protocol.md §7.3): the server keeps a message, receipt, notification or call until
 * the client acks it, and redelivers what was not acked at the next login. So the handler decides
 * when: it calls `stanza.ack()` once what it did is stored (a message after its decrypt committed),
 * or lets the pipeline ack when `handle` resolves. A handler that throws leaves the stanza unacked,
 * so the server delivers it again: nothing is lost to a failed write.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { NodeMatch } from '../handlers';

/** The stanza a handler gets, with the means to answer on the connection it came from. */
export interface Stanza {
  readonly node: BinaryNode;
  /** True when the server replayed it from the offline queue (`offline` attribute). */
  readonly offline: boolean;
  /**
   * Sends the ack (once; later calls do nothing). `error` nacks, e.g. 500 after a failed decrypt
   * that was answered with a retry receipt. Resolves when it was written.
   */
  ack(options?: { error?: number }): Promise<void>;
  /**
   * Sends `reply` as the stanza's acknowledgement: a message's delivery receipt acks it (WhatsApp
   * Web, whatsmeow and Baileys send no `<ack>` for a message they receipted), so the pipeline sends
   * no `<ack>` after. Marks the stanza acked before the reply is written, like `ack`.
   */
  ackWith(reply: BinaryNode): Promise<void>;
  /** True once `ack` or `ackWith` was called. */
  readonly acked: boolean;
  /** Sends a node on the connection the stanza came from (a receipt, a retry receipt). */
  send(node: BinaryNode): Promise<void>;
}

/** One step of the receive path. */
export interface StanzaHandler {
  /** For logs and errors: `'messaging:message'`, `'core:notification'`. */
  readonly name: string;
  /** Which stanzas it looks at. */
  readonly match: NodeMatch;
  /**
   * The lane the stanza is processed in: stanzas of one lane are handled one at a time in arrival
   * order (default: the stanza's tag). Messaging uses the canonical chat, so a chat's messages keep
   * their order whatever else arrives.
   */
  lane?(node: BinaryNode): string | Promise<string>;
  /** Run only after every stanza received before it was handled (the end of the offline queue). */
  readonly barrier?: boolean | undefined;
  /**
   * Handles the stanza; a result of `false` passes it to the next handler, anything else (also
   * nothing) claims it. The pipeline acks it afterwards unless the handler did.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing claim the stanza.
  handle(stanza: Stanza): Promise<boolean | void> | boolean | void;
}

/** Tags the server expects an ack for (docs/protocol.md §7.3). */
export const ACKED_TAGS: ReadonlySet<string> = new Set(['message', 'receipt', 'notification', 'call']);
