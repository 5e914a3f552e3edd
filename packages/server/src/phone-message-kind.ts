/**
 * What a sender puts on a `<message>` besides the ciphertexts: its id and its `type`, and the
 * `mediatype` of the `<enc>` (docs/protocol.md §7.1). The classification follows whatsmeow's
 * `getTypeFromMessage` / `getMediaTypeFromMessage` (send.go): wrappers are looked through, then
 * reactions, polls, media by kind, and text for everything else.
 */
import type { CryptoProvider } from '@wakit/crypto';
import type { Message } from '@wakit/proto';

/** The `type` attribute of an outgoing `<message>`. */
export type MessageStanzaType = 'text' | 'media' | 'reaction' | 'poll' | 'event';

/**
 * A message id as WhatsApp Web makes them (docs/protocol.md §7.1): `3EB0` + the first 9 bytes, in
 * uppercase hex, of SHA-256(8-byte big-endian unix seconds || `<own user>@c.us` || 16 random bytes).
 */
export async function generateMessageId(
  crypto: CryptoProvider,
  ownUser: string,
  nowMs: number,
): Promise<string> {
  const user = new TextEncoder().encode(`${ownUser}@c.us`);
  const data = new Uint8Array(8 + user.length + 16);
  new DataView(data.buffer).setBigUint64(0, BigInt(Math.floor(nowMs / 1000)));
  data.set(user, 8);
  data.set(crypto.randomBytes(16), 8 + user.length);
  const digest = await crypto.sha256(data);
  const hex = Array.from(digest.subarray(0, 9), (b) => b.toString(16).padStart(2, '0')).join('');
  return `3EB0${hex.toUpperCase()}`;
}

/** The message a wrapper (ephemeral, view-once, document-with-caption, lottie sticker) carries. */
function unwrap(message: Message): Message {
  const inner =
    message.ephemeralMessage?.message ??
    message.viewOnceMessage?.message ??
    message.viewOnceMessageV2?.message ??
    message.viewOnceMessageV2Extension?.message ??
    message.documentWithCaptionMessage?.message ??
    message.lottieStickerMessage?.message;
  return inner === undefined ? message : unwrap(inner);
}

/** The `type` attribute for `message` (docs/protocol.md §7.1 "`type` rule"). */
export function stanzaTypeOf(message: Message): MessageStanzaType {
  const m = unwrap(message);
  if (m.reactionMessage !== undefined || m.encReactionMessage !== undefined) return 'reaction';
  if (m.pollCreationMessage !== undefined || m.pollUpdateMessage !== undefined) return 'poll';
  if (m.eventMessage !== undefined) return 'event';
  return mediaTypeOf(m) === undefined ? 'text' : 'media';
}

/** The `mediatype` attribute of the `<enc>` for `message`, if it is media (docs/protocol.md §7.1). */
export function mediaTypeOf(message: Message): string | undefined {
  const m = unwrap(message);
  // whatsmeow asks whether `title` is set; proto2 strings read as '' when absent, and an empty
  // title is no link preview either.
  if (m.extendedTextMessage !== undefined && m.extendedTextMessage.title !== '') return 'url';
  if (m.imageMessage !== undefined) return 'image';
  if (m.stickerMessage !== undefined) return 'sticker';
  if (m.documentMessage !== undefined) return 'document';
  if (m.audioMessage !== undefined) return m.audioMessage.ptt ? 'ptt' : 'audio';
  if (m.videoMessage !== undefined) return m.videoMessage.gifPlayback ? 'gif' : 'video';
  if (m.contactMessage !== undefined) return 'vcard';
  if (m.contactsArrayMessage !== undefined) return 'contact_array';
  if (m.listMessage !== undefined) return 'list';
  if (m.listResponseMessage !== undefined) return 'list_response';
  if (m.buttonsResponseMessage !== undefined) return 'buttons_response';
  if (m.orderMessage !== undefined) return 'order';
  if (m.productMessage !== undefined) return 'product';
  if (m.interactiveResponseMessage !== undefined) return 'native_flow_response';
  return undefined;
}
