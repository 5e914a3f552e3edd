/**
 * Presence and chat state (docs/protocol.md §10.4), sans-IO. Plain stanzas, not IQs: nothing answers
 * them but the presence the server pushes back.
 *
 *   own          <presence type=available|unavailable [name=<push name>]/>
 *   subscribe    <presence type=subscribe to=<jid>>[<tctoken>bytes</tctoken>]</presence>
 *   incoming     <presence from=<jid> [type=unavailable] [last=<unix seconds>|deny]/>
 *   chat state   <chatstate to=<jid>><composing/> | <composing media=audio/> | <paused/></chatstate>
 *   incoming     <chatstate from=<chat> [participant=<sender>]>…</chatstate>
 */
import type { BinaryNode } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';

/** What a user shows: online or not, and since when it was last online if they share it. */
export interface PresenceUpdate {
  jid: string;
  available: boolean;
  /** Unix seconds; absent when the user hides it (or was never seen). */
  lastSeen?: number | undefined;
}

/** What a peer is doing in a chat. */
export type ChatState = 'composing' | 'recording' | 'paused';

/** A chat-state change from a peer. */
export interface ChatStateUpdate {
  /** The chat: the peer, or the group. */
  chat: string;
  /** Who is typing (the group participant, or the peer itself). */
  sender: string;
  state: ChatState;
}

/** This device's presence; `name` is the account's push name when known. */
export function buildPresence(type: 'available' | 'unavailable', name?: string): BinaryNode {
  return { tag: 'presence', attrs: name === undefined || name === '' ? { type } : { type, name } };
}

/** Asks the server for `jid`'s presence and its changes; the trusted-contact token when there is one. */
export function buildPresenceSubscribe(jid: string, tcToken?: Uint8Array): BinaryNode {
  return {
    tag: 'presence',
    attrs: { type: 'subscribe', to: jid },
    ...(tcToken === undefined ? {} : { content: [{ tag: 'tctoken', attrs: {}, content: tcToken }] }),
  };
}

/** Tells `to` what this user is doing in the chat. */
export function buildChatState(to: string, state: ChatState): BinaryNode {
  const child: BinaryNode =
    state === 'paused'
      ? { tag: 'paused', attrs: {} }
      : { tag: 'composing', attrs: state === 'recording' ? { media: 'audio' } : {} };
  return { tag: 'chatstate', attrs: { to }, content: [child] };
}

/**
 * A presence the server pushed.
 *
 * @throws MalformedFeatureReplyError without `from`.
 */
export function parsePresence(node: BinaryNode): PresenceUpdate {
  const jid = node.attrs.from;
  if (jid === undefined || jid === '') throw new MalformedFeatureReplyError('a <presence> without from');
  const available = node.attrs.type !== 'unavailable';
  const last = Number(node.attrs.last);
  // `last` is "deny" when the user hides it, and absent or 0 when there is nothing to show.
  return Number.isInteger(last) && last > 0 ? { jid, available, lastSeen: last } : { jid, available };
}

/**
 * A chat state the server relayed; undefined for a state this package does not know.
 *
 * @throws MalformedFeatureReplyError without `from`.
 */
export function parseChatState(node: BinaryNode): ChatStateUpdate | undefined {
  const chat = node.attrs.from;
  if (chat === undefined || chat === '') throw new MalformedFeatureReplyError('a <chatstate> without from');
  const child = Array.isArray(node.content) ? node.content[0] : undefined;
  let state: ChatState;
  if (child?.tag === 'paused') state = 'paused';
  else if (child?.tag === 'composing') state = child.attrs.media === 'audio' ? 'recording' : 'composing';
  else return undefined;
  return { chat, sender: node.attrs.participant ?? chat, state };
}
