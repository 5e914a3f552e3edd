/**
 * Receipts for messages we sent (docs/protocol.md §7.4): delivery, read, played, and our other
 * devices' `sender` receipts become `receipt` events; retry receipts make us send the message
 * again (`retry-resend.ts`). Handled in the chat's lane, after the messages received before them.
 */
import type { StanzaHandler } from '../pipeline/stanza-handler';
import type { Messaging } from './messaging';
import { resendForRetry } from './retry-resend';
import { parseReceipt } from './wire/receipts';

/** The pipeline handler for `<receipt>`. */
export function receiptHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:receipt',
    match: { tag: 'receipt' },
    lane: async (node) => {
      try {
        return `chat:${await m.peers.canonical(parseReceipt(node).chat)}`;
      } catch {
        return 'malformed-receipt';
      }
    },
    handle: async ({ node }) => {
      let receipt: ReturnType<typeof parseReceipt>;
      try {
        receipt = parseReceipt(node);
      } catch (error) {
        m.host.report(error, 'reading a receipt');
        return;
      }
      if (receipt.type === 'retry') {
        await resendForRetry(m, receipt);
        return;
      }
      m.host.emit('receipt', {
        chat: receipt.chat,
        sender: receipt.sender,
        ids: receipt.ids,
        type: receipt.type ?? 'delivery',
        timestamp: receipt.timestamp,
      });
    },
  };
}
