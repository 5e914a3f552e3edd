/** The pipeline handler for the server's `<ack class="message" id t [error] [phash]>` (docs/protocol.md §7.1). */
import type { StanzaHandler } from '../pipeline/stanza-handler';
import type { Messaging } from './messaging';
import { parseMessageAck } from './wire/ack';

/** Settles the `sendMessage` waiting for the ack's id. */
export function messageAckHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:message-ack',
    match: { tag: 'ack', attrs: { class: 'message' } },
    handle: ({ node }) => {
      try {
        m.acks.receive(parseMessageAck(node));
      } catch (error) {
        // Unreadable, yet it answers a message: the send fails (error 0, "unknown") instead of
        // waiting for its timeout.
        m.host.report(error, 'reading a message ack');
        const id = node.attrs.id;
        if (id !== undefined) m.acks.receive({ id, error: 0 });
      }
    },
  };
}
