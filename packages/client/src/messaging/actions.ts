/**
 * Edits, revokes and read receipts: small messages and stanzas on top of `sendMessage`.
 * - Edit (docs/protocol.md §7.1 `edit="1"`): `protocolMessage{key, type MESSAGE_EDIT, editedMessage,
 *   timestampMs}` to the chat; only our own messages can be edited.
 * - Revoke for everyone (`edit="7"`): `protocolMessage{key, type REVOKE}`.
 * - Read (§7.4): `<receipt to=chat id type="read" t>` with the further ids in `<list>`.
 */
import { type Message, Message_ProtocolMessage_Type } from '@wakit/proto';
import type { Messaging } from './messaging';
import { asMessage, type SendOptions, sendMessage } from './send';
import type { MessageInput } from './wire/message-codec';
import { EDIT_ATTRIBUTE } from './wire/message-type';
import { readReceipt } from './wire/receipts';

/** Replaces the content of our message `id` in `chat` with `content`; resolves with the edit's own id. */
export function editMessage(
  m: Messaging,
  chat: string,
  id: string,
  content: MessageInput,
  options: SendOptions = {},
): Promise<string> {
  return aboutOwnMessage(m, chat, id, EDIT_ATTRIBUTE.messageEdit, options, {
    type: Message_ProtocolMessage_Type.MESSAGE_EDIT,
    editedMessage: asMessage(content),
    timestampMs: BigInt(m.host.timers.now()),
  });
}

/** Revokes our message `id` in `chat` for everyone; resolves with the revoke's own id. */
export function revokeMessage(
  m: Messaging,
  chat: string,
  id: string,
  options: SendOptions = {},
): Promise<string> {
  return aboutOwnMessage(m, chat, id, EDIT_ATTRIBUTE.senderRevoke, options, {
    type: Message_ProtocolMessage_Type.REVOKE,
  });
}

/** A `protocolMessage` about our own message `id` in `chat`, with the stanza's `edit` attribute. */
function aboutOwnMessage(
  m: Messaging,
  chat: string,
  id: string,
  edit: string,
  options: SendOptions,
  protocol: { type: Message_ProtocolMessage_Type; editedMessage?: Message; timestampMs?: bigint },
): Promise<string> {
  return sendMessage(
    m,
    chat,
    { protocolMessage: { ...protocol, key: { remoteJid: chat, fromMe: true, id } } },
    { ...options, edit },
  );
}

/**
 * Marks messages `ids` of `chat` as read: one receipt to the chat (with `sender`, the sending
 * device, for group messages).
 *
 * @throws RangeError for an empty `ids`.
 */
export async function markRead(
  m: Messaging,
  chat: string,
  ids: readonly string[],
  sender?: string,
): Promise<void> {
  if (ids.length === 0) throw new RangeError('"ids" is empty');
  const seconds = Math.floor(m.host.timers.now() / 1000);
  await m.host.sendNode(readReceipt(chat, ids, sender, seconds, 'read'));
}
