/**
 * The participant list hash of docs/protocol.md §6.9 (whatsmeow `participantListHashV2`,
 * whatsapp-rust `participant_list_hash`): every device's AD string `user.0:device@server`, sorted,
 * concatenated, SHA-256, the first 6 bytes in unpadded base64, prefixed `2:`. The server puts it on
 * a message ack when the devices a sender listed are not the ones the server knows, and on device
 * notifications as `device_hash`.
 */
import { createHash } from 'node:crypto';
import { toBase64 } from './_bytes';

/** `2:` + the hash of `devices` (PN or LID device JIDs, any order). */
export function participantListHash(devices: readonly string[]): string {
  const ad = devices.map(adString).sort();
  const digest = createHash('sha256').update(ad.join('')).digest();
  return `2:${toBase64(new Uint8Array(digest.subarray(0, 6))).replace(/=+$/, '')}`;
}

/** `user[:device]@server` -> `user.0:device@server` (agent and device always written). */
function adString(jid: string): string {
  const at = jid.indexOf('@');
  const [user, device = '0'] = jid.slice(0, at).split(':');
  return `${user}.0:${device}${jid.slice(at)}`;
}
