/**
 * How long messaging keeps what it needs for redeliveries and retries, pruned at each login:
 * dedupe keys as long as the server keeps an offline queue (about 30 days), sent messages for
 * retry receipts a week (a device that comes back later than that asks for messages we have
 * forgotten; it shows them as undecryptable, as WhatsApp Web does past its own window).
 */
import type { Store } from '../store/store';

/** Dedupe keys of received messages are kept this long. */
export const RECEIVED_KEY_TTL_MS = 30 * 24 * 60 * 60_000;
/** Sent messages are kept this long for retry receipts. */
export const SENT_MESSAGE_TTL_MS = 7 * 24 * 60 * 60_000;

/** Prunes both; resolves with how many entries went. */
export async function pruneMessaging(store: Store, now: number): Promise<{ received: number; sent: number }> {
  const received = await store.received.prune(now - RECEIVED_KEY_TTL_MS);
  const sent = await store.sent.prune(now - SENT_MESSAGE_TTL_MS);
  return { received, sent };
}
