/**
 * Receipts for messages we sent (docs/protocol.md §7.4): delivery, read, played, and our other
 * devices' `sender` receipts become `receipt` events; retry receipts make us send the message
 * again (`retry-resend.ts`). Handled in the chat's lane, after the messages received before them.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import { chatLane } from './chat-lane';
import type { Messaging } from './messaging';
import { resendForRetry } from './retry-resend';
import { parseReceipt, type Receipt } from './wire/receipts';

/** The pipeline handler for `<receipt>`. */
export function receiptHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:receipt',
    match: { tag: 'receipt' },
    lane: (node) => chatLane(m.peers, () => receiptOf(node).chat, 'malformed-receipt'),
    handle: async ({ node }) => {
      let receipt: Receipt;
      try {
        receipt = receiptOf(node);
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

/** Each receipt is read once: for its lane, then by the handler. */
const readings = new WeakMap<BinaryNode, Receipt>();

function receiptOf(node: BinaryNode): Receipt {
  let receipt = readings.get(node);
  if (receipt === undefined) {
    receipt = parseReceipt(node);
    readings.set(node, receipt);
  }
  return receipt;
}
