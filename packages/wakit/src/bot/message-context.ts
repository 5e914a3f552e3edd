/**
 * What a bot's message handler is given: the message, where it came from, and a way to answer in
 * the same chat. A thin view over the client's `message` event, so a handler needs no JID
 * bookkeeping of its own.
 */
import type { MessageEvent, MessageInput, SendOptions } from '@wakit/client';
import type { WakitClient } from '../create-client';

/** A received message and the means to answer it. */
export interface MessageContext {
  /** The decoded message. */
  readonly message: MessageEvent['message'];
  /** Who sent it, in which chat, when. */
  readonly info: MessageEvent['info'];
  /** The text of a plain or extended text message; undefined for other kinds. */
  readonly text: string | undefined;
  /** The client the bot runs, with every feature mounted. */
  readonly client: WakitClient;
  /** Sends `reply` (text, or any message) into the message's chat; resolves with its id. */
  reply(reply: string | MessageInput, options?: SendOptions): Promise<string>;
}

/** The context of `event` received by `client`. */
export function messageContext(client: WakitClient, event: MessageEvent): MessageContext {
  return {
    message: event.message,
    info: event.info,
    text: textOf(event.message),
    client,
    reply: (reply, options) =>
      client.sendMessage(
        event.info.chat,
        typeof reply === 'string' ? { conversation: reply } : reply,
        options,
      ),
  };
}

/**
 * `conversation`, else `extendedTextMessage.text` (what WhatsApp uses for text with a link or a
 * quote). Proto2 strings read as `''` when unset, so an empty text counts as none.
 */
function textOf(message: MessageEvent['message']): string | undefined {
  const text = message.conversation || message.extendedTextMessage?.text;
  return text === '' ? undefined : text;
}
