/**
 * What an outgoing `<message>` says about its content without revealing it (docs/protocol.md §7.1):
 * the stanza `type` (`text`, `media`, `reaction`, `poll`, `event`), the `<enc mediatype>`, and the
 * `edit` attribute values. The server routes and counts by these, so they must match the content.
 *
 * Rules follow WA Web as whatsapp-rust transcribes it (`wacore/src/send/classify.rs`:
 * `typeAttributeFromProtobuf`, `mediaTypeFromProtobuf`), where whatsmeow (`getTypeFromMessage`,
 * `getMediaTypeFromMessage`) covers fewer cases. Differences, and why:
 * - Content no rule claims is `text` (whatsmeow and Baileys), not WA Web's default `media`: a
 *   `media` stanza without a `mediatype` is dropped by the server (whatsapp-rust's own notes).
 * - Locations are `media`/`location` (`livelocation` when live), PTV `ptv`, sticker packs
 *   `sticker_pack`, group invites `url`, history bundles `group_history` (WA Web); whatsmeow sends
 *   locations as `text` with no mediatype.
 * - An extended text is `url` when it has a non-blank `matchedText` (WA Web); whatsmeow looks at
 *   `title` instead.
 * - `editedMessage` is not unwrapped (neither whatsmeow nor whatsapp-rust does): an edit is
 *   classified by its own shape, which is a `protocolMessage`, so it goes out as `text`.
 */
import { type Message, Message_SecretEncryptedMessage_SecretEncType as SecretEncType } from '@wakit/proto';

/** The stanza `type` of an outgoing message. (`pay` exists on the wire; wakit sends none.) */
export type StanzaType = 'text' | 'media' | 'reaction' | 'poll' | 'event';

/**
 * The `edit` attribute of `<message>` (docs/protocol.md §7.1; whatsapp-rust `EditAttribute`):
 * absent for a plain message.
 */
export const EDIT_ATTRIBUTE = {
  messageEdit: '1',
  pin: '2',
  adminEdit: '3',
  senderRevoke: '7',
  adminRevoke: '8',
} as const;

/** One of the values of `EDIT_ATTRIBUTE`. */
export type EditAttribute = (typeof EDIT_ATTRIBUTE)[keyof typeof EDIT_ATTRIBUTE];

/**
 * The `FutureProofMessage` wrappers classified by what they carry (WA Web
 * `getUnwrappedProtobufMessage`, as listed by whatsapp-rust `unwrap_message`). whatsmeow unwraps
 * the first six only.
 */
const WRAPPERS = [
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
  'groupMentionedMessage',
  'botInvokeMessage',
  'associatedChildMessage',
  'pollCreationOptionImageMessage',
  'eventCoverImage',
  'groupStatusMessage',
  'groupStatusMessageV2',
  'groupStatusMentionMessage',
  'statusAddYours',
  'statusMentionMessage',
  'questionMessage',
  'questionReplyMessage',
  'spoilerMessage',
  'lottieStickerMessage',
  'limitSharingMessage',
  'newsletterAdminProfileMessage',
  'newsletterAdminProfileMessageV2',
  'pollCreationMessageV4',
] as const satisfies readonly (keyof Message)[];

/** Unwrapping stops here: deeper nesting is not something a real sender produces. */
const MAX_WRAPPER_DEPTH = 16;

/**
 * The content message inside any number of wrappers (`ephemeralMessage`, `viewOnceMessage*`,
 * `documentWithCaptionMessage`, `deviceSentMessage`…); `message` itself when it is not wrapped.
 *
 * @example
 * unwrapMessage({ ephemeralMessage: { message: { conversation: 'hi' } } }); // { conversation: 'hi' }
 */
export function unwrapMessage(message: Message): Message {
  let current = message;
  for (let depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
    const inner = wrappedMessage(current);
    if (inner === undefined) return current;
    current = inner;
  }
  return current;
}

function wrappedMessage(message: Message): Message | undefined {
  for (const field of WRAPPERS) {
    const inner = message[field]?.message;
    if (inner !== undefined) return inner;
  }
  return message.deviceSentMessage?.message;
}

/**
 * The `type` attribute for a `<message>` carrying `message` (docs/protocol.md §7.1 "`type` rule").
 *
 * @example
 * stanzaTypeOf(create(MessageSchema, { reactionMessage: { text: '👍' } })); // 'reaction'
 */
export function stanzaTypeOf(message: Message): StanzaType {
  const m = unwrapMessage(message);
  if (m.reactionMessage !== undefined || m.encReactionMessage !== undefined) return 'reaction';
  if (m.eventMessage !== undefined || m.encEventResponseMessage !== undefined) return 'event';
  switch (m.secretEncryptedMessage?.secretEncType) {
    case SecretEncType.EVENT_EDIT:
      return 'event';
    case SecretEncType.MESSAGE_EDIT:
      return 'text';
    case SecretEncType.POLL_EDIT:
    case SecretEncType.POLL_ADD_OPTION:
      return 'poll';
    default:
      break;
  }
  if (
    m.pollCreationMessage !== undefined ||
    m.pollCreationMessageV2 !== undefined ||
    m.pollCreationMessageV3 !== undefined ||
    m.pollCreationMessageV5 !== undefined ||
    m.pollUpdateMessage !== undefined
  ) {
    return 'poll';
  }
  return mediaTypeOf(message) === undefined ? 'text' : 'media';
}

/**
 * The `<enc mediatype>` for `message`, or undefined when the attribute is left out
 * (docs/protocol.md §7.1 "`mediatype`"). A top-level `lottieStickerMessage` is a `sticker` without
 * looking inside, as in WA Web.
 *
 * @example
 * mediaTypeOf(create(MessageSchema, { audioMessage: { ptt: true } })); // 'ptt'
 */
export function mediaTypeOf(message: Message): string | undefined {
  if (message.lottieStickerMessage !== undefined) return 'sticker';
  const m = unwrapMessage(message);
  if (m.imageMessage !== undefined) return 'image';
  if (m.videoMessage !== undefined) return m.videoMessage.gifPlayback ? 'gif' : 'video';
  if (m.ptvMessage !== undefined) return 'ptv';
  if (m.audioMessage !== undefined) return m.audioMessage.ptt ? 'ptt' : 'audio';
  if (m.documentMessage !== undefined) return 'document';
  if (m.stickerMessage !== undefined) return 'sticker';
  if (m.stickerPackMessage !== undefined) return 'sticker_pack';
  if (m.locationMessage !== undefined) return m.locationMessage.isLive ? 'livelocation' : 'location';
  if (m.liveLocationMessage !== undefined) return 'livelocation';
  if (m.contactMessage !== undefined) return 'vcard';
  if (m.contactsArrayMessage !== undefined) return 'contact_array';
  if (m.extendedTextMessage !== undefined && m.extendedTextMessage.matchedText.trim() !== '') return 'url';
  if (m.groupInviteMessage !== undefined) return 'url';
  if (m.listMessage !== undefined) return 'list';
  if (m.listResponseMessage !== undefined) return 'list_response';
  if (m.buttonsResponseMessage !== undefined) return 'buttons_response';
  if (m.orderMessage !== undefined) return 'order';
  if (m.productMessage !== undefined) return 'product';
  if (m.interactiveResponseMessage !== undefined) return 'native_flow_response';
  if (m.messageHistoryBundle !== undefined) return 'group_history';
  return undefined;
}
