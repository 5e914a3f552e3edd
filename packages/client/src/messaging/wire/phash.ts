/**
 * The participant list hash, `phash` (docs/protocol.md §6.9): a short digest of the set of devices
 * a message went to. Groups send it on `<message>`; the server's message ack may carry its own,
 * and a difference means our device lists are stale.
 */

import { createHash } from 'node:crypto';
import { parseJid, toAdString } from '@wakit/binary-node';

/** Digest bytes kept: 6 bytes are exactly 8 base64 characters, so no padding ever appears. */
const PHASH_BYTES = 6;

/**
 * `2:` + base64 (standard alphabet, no padding) of the first 6 bytes of SHA-256 over the AD strings
 * (`user.agent:device@server`, docs/protocol.md §4.2) of `deviceJids`, sorted and concatenated
 * (whatsmeow `participantListHashV2`, whatsapp-rust `participant_list_hash`). Include every device
 * the message went to, our own included. Duplicates count twice, as in both references.
 *
 * Baileys' `generateParticipantHashV2` sorts the JID strings as given and keeps 6 base64 characters
 * of the full digest: a DISAGREE (§6.9) that wakit does not follow, since the server compares the
 * whatsmeow/whatsapp-rust form.
 *
 * @throws InvalidJidError for a string that is not a JID.
 * @example
 * participantHash(['5511999999999:3@s.whatsapp.net']); // '2:5s+YxCff'
 */
export function participantHash(deviceJids: readonly string[]): string {
  // AD strings are ASCII (digits, letters, `.`, `:`, `@`, `-`, `_`), so UTF-16 order is byte order.
  const adStrings = deviceJids.map((jid) => toAdString(parseJid(jid))).sort();
  // One native hash over the joined strings (ASCII, so their UTF-8 is their bytes): about 4x less
  // than encoding each string and hashing the concatenation in JavaScript, for a group of 256.
  const digest = createHash('sha256').update(adStrings.join('')).digest();
  return `2:${digest.subarray(0, PHASH_BYTES).toString('base64')}`;
}
