/**
 * The `dhash` of the account lists clients edit optimistically: the blocklist (docs/protocol.md
 * §10.3) and each privacy category's disallowed list (§10.1). A client sends the hash of the list
 * it last saw with an update; the server refuses the update (409 conflict) when the list changed
 * since, so the client fetches again instead of overwriting a change made on another device.
 *
 * What the real server hashes is not known, and no client looks inside a dhash: whatsmeow,
 * whatsapp-rust and Baileys only store it and send it back, so only equality matters. This server
 * uses a hash that is equal exactly when the lists are: the list's JIDs sorted (order must not
 * matter: the server keeps insertion order, a client may not), joined with `,` (no JID contains
 * one), SHA-256, the first 8 bytes in unpadded base64 (64 bits: a chance collision between two
 * versions of one account's list is negligible, and the value stays short like the real ones).
 * The empty list is `0`, the value this server answered before it kept lists, so a client that
 * never saw a list has a hash to start from.
 */
import { createHash } from 'node:crypto';
import { toBase64 } from './_bytes';

/** The dhash of the empty list. */
export const EMPTY_LIST_HASH = '0';

/** The dhash of a list of JIDs (any order). */
export function listHash(jids: Iterable<string>): string {
  const sorted = [...jids].sort();
  if (sorted.length === 0) return EMPTY_LIST_HASH;
  const digest = createHash('sha256').update(sorted.join(',')).digest();
  return toBase64(new Uint8Array(digest.subarray(0, 8))).replace(/=+$/, '');
}
