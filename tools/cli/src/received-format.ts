/**
 * How received messages, edits, revokes, receipts and unreadable messages are printed: one line of
 * text for a person, or one JSON object for a script. `wakit listen` prints them; `wakit send`
 * prints the text form of what arrives while it is connected, so nothing it acknowledges is lost
 * unseen. Pure functions of the client's event payloads.
 *
 * Text lines (time in UTC, `~` before a push name as WhatsApp shows names of non-contacts):
 * ```
 * 2025-01-02T03:04:05Z 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net ~Alice: hello
 * 2025-01-02T03:04:05Z 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net ~Alice [offline]: sent while away
 * 2025-01-02T03:04:05Z 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net ~Alice [replayed]: seen before a crash
 * 2025-01-02T03:04:05Z 15550000002@s.whatsapp.net 15550000001:3@s.whatsapp.net (me): from my other device
 * edited 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net 3EB0C0FFEE: fixed
 * revoked 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net 3EB0C0FFEE
 * receipt read 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net 3EB0C0FFEE,3EB0DECAF0
 * ```
 */
import type { ClientEvents } from '@wakit/client';

type MessageEvent = ClientEvents['message'];
type Message = MessageEvent['message'];
type MessageInfo = MessageEvent['info'];

/** What a message is (the name of its content field) and its text, if it has one. */
export interface MessageSummary {
  /** `conversation`, `extendedTextMessage`, `imageMessage`, …; `empty` when nothing is set. */
  type: string;
  /** The text, or the caption of media; undefined for content without text. */
  text: string | undefined;
}

// Fields that travel beside the content rather than being it.
const NOT_CONTENT = new Set(['$typeName', '$unknown', 'messageContextInfo']);

/**
 * Summarises a `Message`. Wrappers that carry a whole `Message` (`ephemeralMessage`,
 * `viewOnceMessage`, … all `{ message }`) are looked through, so a disappearing text reads as text.
 */
export function summarizeMessage(message: Message): MessageSummary {
  // protobuf-es keeps only set fields as own properties (defaults live on the prototype), so the
  // first own content key is the kind of message, as WhatsApp sets one content field per message.
  const type = Object.keys(message).find((key) => !NOT_CONTENT.has(key));
  if (type === undefined) return { type: 'empty', text: undefined };
  if (type === 'conversation') return { type, text: message.conversation };
  const content = (message as unknown as Record<string, unknown>)[type];
  const inner = isRecord(content) ? content.message : undefined;
  if (isRecord(inner) && inner.$typeName === 'whatsapp.Message') return summarizeMessage(inner as Message);
  if (!isRecord(content)) return { type, text: undefined };
  // extendedTextMessage.text; imageMessage, videoMessage, documentMessage: caption.
  const text = typeof content.text === 'string' ? content.text : content.caption;
  return { type, text: typeof text === 'string' && text !== '' ? text : undefined };
}

/** Unix seconds as `2025-01-02T03:04:05Z`. */
export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Makes text from a peer safe to print on a terminal: control characters (an escape sequence could
 * rewrite the screen or the window title) and the bidirectional overrides (they reorder what is
 * shown, so a line could read as something else) are shown escaped, `\x1b` or `\u202e`; a line
 * break starts an indented line, so every message still begins at the left edge.
 */
export function sanitizeForTerminal(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}|[\u202a-\u202e\u2066-\u2069]/gu, (c) => {
      if (c === '\n' || c === '\t') return c;
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
    })
    .replaceAll('\n', '\n  ');
}

/** The text line of a received message. */
export function messageLine({ message, info }: MessageEvent): string {
  const { type, text } = summarizeMessage(message);
  const body =
    type === 'conversation' || type === 'extendedTextMessage' ? (text ?? '') : describeMedia(type, text);
  return `${lineHead(info)}: ${sanitizeForTerminal(body)}`;
}

/** The text line of a message that could not be read. */
export function undecryptableLine({ info, reason }: ClientEvents['undecryptable']): string {
  return `${lineHead(info)}: <undecryptable: ${reason}>`;
}

/** The text line of an edit (the new content). */
export function editedLine(event: ClientEvents['message-edited']): string {
  const { type, text } = summarizeMessage(event.message);
  const body = text === undefined ? `<${type}>` : sanitizeForTerminal(text);
  return `edited ${event.chat} ${event.sender} ${event.id}: ${body}`;
}

/** The text line of a revoke. */
export function revokedLine(event: ClientEvents['message-revoked']): string {
  return `revoked ${event.chat} ${event.sender} ${event.id}`;
}

/** The text line of a receipt. */
export function receiptLine(event: ClientEvents['receipt']): string {
  return `receipt ${event.type} ${event.chat} ${event.sender} ${event.ids.join(',')}`;
}

/** The JSON object of a received message. */
export function messageJson({ message, info }: MessageEvent): Record<string, unknown> {
  const { type, text } = summarizeMessage(message);
  return { event: 'message', ...infoJson(info), type, text: text ?? null };
}

/** The JSON object of a message that could not be read. */
export function undecryptableJson(event: ClientEvents['undecryptable']): Record<string, unknown> {
  const error = event.error instanceof Error ? event.error.message : String(event.error);
  return { event: 'undecryptable', ...infoJson(event.info), reason: event.reason, error };
}

/** The JSON object of an edit. */
export function editedJson(event: ClientEvents['message-edited']): Record<string, unknown> {
  const { type, text } = summarizeMessage(event.message);
  const { chat, id, sender, fromMe } = event;
  return { event: 'edited', chat, id, sender, fromMe, type, text: text ?? null };
}

/** The JSON object of a revoke. */
export function revokedJson({
  chat,
  id,
  sender,
  fromMe,
}: ClientEvents['message-revoked']): Record<string, unknown> {
  return { event: 'revoked', chat, id, sender, fromMe };
}

/** The JSON object of a receipt. */
export function receiptJson({
  type,
  chat,
  sender,
  ids,
  timestamp,
}: ClientEvents['receipt']): Record<string, unknown> {
  return { event: 'receipt', type, chat, sender, ids, timestamp: timestamp ?? null };
}

function lineHead(info: MessageInfo): string {
  const name = info.fromMe
    ? ' (me)'
    : info.pushName === undefined
      ? ''
      : ` ~${sanitizeForTerminal(info.pushName)}`;
  // A replayed message was stored before a crash and may have been printed by that run already.
  const marks = `${info.offline ? ' [offline]' : ''}${info.replayed ? ' [replayed]' : ''}`;
  return `${formatTime(info.timestamp)} ${info.chat} ${info.sender}${name}${marks}`;
}

function describeMedia(type: string, caption: string | undefined): string {
  return caption === undefined ? `<${type}>` : `<${type}> ${caption}`;
}

function infoJson(info: MessageInfo): Record<string, unknown> {
  return {
    id: info.id,
    chat: info.chat,
    sender: info.sender,
    senderAlt: info.senderAlt ?? null,
    fromMe: info.fromMe,
    pushName: info.pushName ?? null,
    timestamp: info.timestamp,
    time: formatTime(info.timestamp),
    offline: info.offline,
    replayed: info.replayed === true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
