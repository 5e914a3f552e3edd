/**
 * When an outgoing `<enc>` carries `decrypt-fail="hide"` (docs/protocol.md §7.1): for content that
 * is not a message of its own (a reaction, a pin, an edit, a vote…) a recipient that fails to
 * decrypt shows nothing instead of a "waiting for this message" placeholder. The rule is WA Web's
 * as whatsapp-rust transcribes it (`should_hide_decrypt_fail_for_send`); whatsmeow and Baileys
 * leave the attribute to the caller.
 */
import {
  type Message,
  Message_ProtocolMessage_Type as ProtocolType,
  Message_SecretEncryptedMessage_SecretEncType as SecretEncType,
} from '@wakit/proto';
import { EDIT_ATTRIBUTE, unwrapMessage } from './message-type';

/** Protocol messages that are bookkeeping between clients, never shown as a message. */
const HIDDEN_PROTOCOL_TYPES: ReadonlySet<ProtocolType> = new Set([
  ProtocolType.EPHEMERAL_SYNC_RESPONSE,
  ProtocolType.REQUEST_WELCOME_MESSAGE,
  ProtocolType.GROUP_MEMBER_LABEL_CHANGE,
]);

const HIDDEN_SECRET_TYPES: ReadonlySet<SecretEncType> = new Set([
  SecretEncType.EVENT_EDIT,
  SecretEncType.POLL_EDIT,
  SecretEncType.POLL_ADD_OPTION,
]);

/**
 * True when the `<enc>` nodes for `message` should say `decrypt-fail="hide"`: any `edit` other than
 * the two revokes (WA Web never hides a revoke, and the server drops revokes that carry the
 * attribute), or content that is bookkeeping (reactions, pins, edits, keep-in-chat, event
 * responses, poll votes, history notices, conditional reveals, secret edits, and the protocol
 * messages above; a `botInvokeMessage` is looked through, so its welcome request counts).
 *
 * @param edit  the stanza's `edit` attribute, if it has one.
 */
export function hidesDecryptFailure(message: Message, edit?: string): boolean {
  if (
    edit !== undefined &&
    edit !== '' &&
    edit !== EDIT_ATTRIBUTE.senderRevoke &&
    edit !== EDIT_ATTRIBUTE.adminRevoke
  ) {
    return true;
  }
  const m = unwrapMessage(message);
  if (
    m.reactionMessage !== undefined ||
    m.encReactionMessage !== undefined ||
    m.pinInChatMessage !== undefined ||
    m.editedMessage !== undefined ||
    m.keepInChatMessage !== undefined ||
    m.encEventResponseMessage !== undefined ||
    m.pollUpdateMessage?.vote !== undefined ||
    m.messageHistoryNotice !== undefined ||
    m.conditionalRevealMessage !== undefined
  ) {
    return true;
  }
  const secret = m.secretEncryptedMessage;
  if (secret !== undefined && HIDDEN_SECRET_TYPES.has(secret.secretEncType)) return true;
  const protocol = m.protocolMessage;
  return (
    protocol !== undefined &&
    (HIDDEN_PROTOCOL_TYPES.has(protocol.type) || protocol.editedMessage !== undefined)
  );
}
