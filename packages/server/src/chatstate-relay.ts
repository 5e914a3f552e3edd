/**
 * Chat state relay: typing and recording indicators (docs/protocol.md §10.4).
 *
 *   in : <chatstate [from=<sender>] to=J><composing [media="audio"]/>|<paused/></chatstate>
 *   out: <chatstate from=<sender's user JID>><composing [media="audio"]/>|<paused/></chatstate>
 *        to every device of J that is connected, the phone included, not the sending device
 *
 * - `from` is the sender's account in the namespace `to` used (a LID chat gets the sender's LID),
 *   without a device part: whatsmeow (presence.go `handleChatState` → `parseMessageSource`) and
 *   Baileys (`handlePresenceUpdate`) key the event by it. The sender's own `from` is not trusted.
 * - Live only, never queued: a chat state is stale by the time an offline device comes back, and
 *   no client acks it. No ack or receipt goes back to the sender either: Baileys, whatsmeow and
 *   whatsapp-rust send chat states fire-and-forget and expect nothing.
 * - An account that blocked the sender gets nothing (the sender is not told).
 * - Group chats (`J@g.us`) are dropped unanswered until the server has groups: the relay needs the
 *   participant list, and the incoming form then carries `participant` (§10.4). So is a `to` that
 *   is no account of this server, and a stanza whose child is not exactly one composing/paused.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices, resolveAddress, userOf } from './addresses';
import { children } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/** The chat states clients send (whatsmeow `types.ChatPresence`). */
const CHAT_STATES: ReadonlySet<string> = new Set(['composing', 'paused']);

/** Relays one `<chatstate>` from device `from`. */
export function relayChatstate(state: ServerState, from: DeviceRecord, node: BinaryNode): void {
  const to = node.attrs.to;
  const address = to === undefined ? undefined : resolveAddress(state, to);
  if (address === undefined) return;
  const content = children(node);
  if (content.length !== 1 || !CHAT_STATES.has(content[0]!.tag)) return;
  const target = address.account.phoneNumber;
  if (target !== from.phoneNumber && state.accounts.get(target).privacy.blocks(from.phoneNumber)) return;
  const relayed: BinaryNode = {
    tag: 'chatstate',
    attrs: { from: userOf(from, address.namespace) },
    content: [{ tag: content[0]!.tag, attrs: { ...content[0]!.attrs } }],
  };
  for (const device of accountDevices(state, target)) {
    if (device.jid !== from.jid) state.live.get(device.jid)?.send(relayed);
  }
}
