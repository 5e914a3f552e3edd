/**
 * The account's status text, "about" (docs/protocol.md §10.7 end; whatsapp-rust
 * wacore/src/iq/profile.rs after WA Web's WAWebSetAboutJob, Baileys chats.ts updateProfileStatus):
 *
 *   set : <iq xmlns="status" type="set"><status>text</status></iq> -> result
 *
 * Stored per account with the time it was set (profile-state.ts) and answered in usync `status`
 * (usync-iqs.ts). The text may be a string or UTF-8 bytes (Baileys sends bytes) and may be empty;
 * longer than WhatsApp's 139 characters is 400. A get, or a set without `<status>`, is not this
 * handler's (whatsmeow now sets it through a GraphQL mutation this server does not serve).
 */
import { fromUtf8 } from './_bytes';
import type { IqHandler } from './iq-context';
import { child, contentBytes, iqError, iqResult } from './nodes';
import { ABOUT_MAX_LENGTH } from './profiles';

/** Answers status-text sets; `undefined` for anything else. */
export const handleStatusIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'status' || node.attrs.type !== 'set') return undefined;
  const status = child(node, 'status');
  if (status === undefined) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  if (Array.isArray(status.content)) return iqError(node, 400, 'bad-request');
  const text = fromUtf8(contentBytes(status) ?? new Uint8Array(0));
  if ([...text].length > ABOUT_MAX_LENGTH) return iqError(node, 400, 'bad-request');
  ctx.state.profiles.setAboutBy(device, text);
  return iqResult(node);
};
