/**
 * Receipts for messages we sent (docs/protocol.md §7.4): delivery, read, played, and our other
 * devices' `sender` receipts become `receipt` events; retry receipts make us send the message
 * again (`retry-resend.ts`). A grouped group receipt gives one event per message and reader.
 * Handled in the chat's lane, after the messages received before them.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import { chatLane } from './chat-lane';
import type { Messaging } from './messaging';
import { resendForRetry } from './retry-resend';
import { type GroupedReceipt, isGroupedReceipt, parseGroupedReceipt } from './wire/grouped-receipts';
import { parseReceipt } from './wire/receipts';

/** The pipeline handler for `<receipt>`. */
export function receiptHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:receipt',
    match: { tag: 'receipt' },
    lane: (node) => chatLane(m.peers, () => readingOf(node).chat, 'malformed-receipt'),
    handle: async ({ node }) => {
      let reading: Reading;
      try {
        reading = readingOf(node);
      } catch (error) {
        m.host.report(error, 'reading a receipt');
        return;
      }
      if (reading.skipped > 0)
        m.host.logger.warn?.('a grouped receipt named readers that do not read; skipped', {
          id: node.attrs.id,
          skipped: reading.skipped,
        });
      for (const receipt of reading.receipts) {
        if (receipt.type === 'retry') {
          await resendForRetry(m, receipt);
          continue;
        }
        m.host.emit('receipt', {
          chat: receipt.chat,
          sender: receipt.sender,
          ids: receipt.ids,
          type: receipt.type ?? 'delivery',
          timestamp: receipt.timestamp,
        });
      }
    },
  };
}

/** A `<receipt>` read: one receipt, or those of a grouped one (`wire/grouped-receipts.ts`). */
type Reading = GroupedReceipt;

/** Each receipt is read once: for its lane, then by the handler. */
const readings = new WeakMap<BinaryNode, Reading>();

function readingOf(node: BinaryNode): Reading {
  let reading = readings.get(node);
  if (reading === undefined) {
    if (isGroupedReceipt(node)) reading = parseGroupedReceipt(node);
    else {
      const receipt = parseReceipt(node);
      reading = { chat: receipt.chat, receipts: [receipt], skipped: 0 };
    }
    readings.set(node, reading);
  }
  return reading;
}
