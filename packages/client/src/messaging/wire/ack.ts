/**
 * The server's acknowledgement of a sent message (docs/protocol.md §7.1, last line):
 * `<ack class="message" id t [phash] [error] [refresh_lid="true"]>`. Without `error` the server
 * took the message; with it, the message was refused (e.g. 400 for a stanza mixing PN and LID
 * JIDs, whatsapp-rust PRs #636/#731; 463 missing privacy token and 479 stale device session,
 * Baileys 7 `SERVER_ERROR_CODES`).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { readAttrs } from '@wakit/binary-node';
import { checkAttrs, malformed } from './_node';

/** What a message ack says. */
export interface MessageAck {
  /** The id of the message acknowledged. */
  id: string;
  /** The server's time for the message, in unix seconds. */
  t?: number;
  /** The refusal code; absent when the server accepted the message. */
  error?: number;
  /** The server's participant hash (`2:…`): when it differs from ours the device lists are stale. */
  phash?: string;
  /** `refresh_lid="true"`: the server asks for the peer's LID to be fetched again (whatsapp-rust). */
  refreshLid?: true;
}

/**
 * Reads an `<ack class="message">`.
 *
 * @throws MalformedStanzaError when the node is not an ack of class `message`, or `id` is missing,
 *   or `t`/`error` are not numbers.
 */
export function parseMessageAck(node: BinaryNode): MessageAck {
  const attrs = readAttrs(node);
  const cls = attrs.string('class');
  const id = attrs.string('id');
  const t = attrs.optionalUnixTime('t');
  const error = attrs.optionalInt('error');
  const phash = attrs.optionalString('phash');
  const refreshLid = attrs.optionalBool('refresh_lid');
  checkAttrs(attrs, 'message ack', node);
  if (node.tag !== 'ack' || cls !== 'message') {
    throw malformed(node, `expected <ack class="message">, got <${node.tag} class="${cls}">`);
  }
  const ack: MessageAck = { id };
  if (t !== undefined) ack.t = t.getTime() / 1000;
  if (error !== undefined) ack.error = error;
  if (phash !== undefined) ack.phash = phash;
  if (refreshLid === true) ack.refreshLid = true;
  return ack;
}
