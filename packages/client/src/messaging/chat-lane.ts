/**
 * The lane of a stanza about a chat: `chat:` and the chat's canonical user, so a chat's messages,
 * receipts and sends keep their order whatever name the server used for the peer. Known at once
 * (no promise) whenever no store read is needed, which lets the pipeline place the stanza without
 * an intake turn (`pipeline/lanes.ts`).
 */
import type { Peers } from './peers';

/** The lane for the chat `chatOf()` reads; `fallback` when the stanza cannot be read. */
export function chatLane(peers: Peers, chatOf: () => string, fallback: string): string | Promise<string> {
  let canonical: string | Promise<string>;
  try {
    canonical = peers.resolve(chatOf());
  } catch {
    return fallback;
  }
  if (typeof canonical === 'string') return `chat:${canonical}`;
  return canonical.then(
    (user) => `chat:${user}`,
    () => fallback,
  );
}
