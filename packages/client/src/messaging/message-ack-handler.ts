/** The pipeline handler for the server's `<ack class="message" id t [error] [phash]>` (docs/protocol.md §7.1). */
import type { StanzaHandler } from '../pipeline/stanza-handler';
import type { Messaging } from './messaging';

/** Settles the `sendMessage` waiting for the ack's id. */
export function messageAckHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:message-ack',
    match: { tag: 'ack', attrs: { class: 'message' } },
    handle: ({ node }) => {
      const { id, t, error, phash } = node.attrs;
      if (id === undefined) return;
      // An error code that is not a number is still an error: 0 says "unknown".
      const code = error === undefined ? undefined : /^\d{1,9}$/.test(error) ? Number(error) : 0;
      const seconds = t !== undefined && /^\d{1,12}$/.test(t) ? Number(t) : undefined;
      m.acks.receive({ id, t: seconds, phash, error: code });
    },
  };
}
