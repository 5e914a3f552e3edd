/** The `info` of the events about one received message, from its parsed stanza. */
import type { MessageInfo } from './message-events';
import type { IncomingMessage } from './wire/incoming';

/** The `info` of a message's events. */
export function messageInfo(incoming: IncomingMessage): MessageInfo {
  return {
    id: incoming.id,
    chat: incoming.chat,
    sender: incoming.sender,
    senderAlt: incoming.senderAlt,
    fromMe: incoming.fromMe,
    isGroup: incoming.isGroup,
    timestamp: incoming.timestamp,
    pushName: incoming.pushName,
    offline: incoming.offline,
    edit: incoming.edit,
  };
}
