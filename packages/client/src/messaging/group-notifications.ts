/**
 * `<notification type="w:gp2">` as messaging needs it (docs/protocol.md §10.14; whatsmeow
 * `handleGroupNotification`): `<create>` (the whole `<group>`), `<add>`, `<remove>` and `<leave>`
 * (each `<participant jid [lid|phone_number]/>`…) keep the participant cache right. When another
 * participant is removed or leaves, our sender key for the group is dropped (`sender-key-names.ts`).
 *
 * The handler does not claim the notification: it returns `false`, so @wakit/features' groups
 * module sees it next, emits the typed events and acks it. Sending never depends on features.
 */
import { type BinaryNode, getChild, getChildren, tryParseJid } from '@wakit/binary-node';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import { chatLane } from './chat-lane';
import { ownDevice } from './host';
import { GROUP_SERVER, userJid } from './jids';
import type { Messaging } from './messaging';
import { dropOwnSenderKey } from './sender-key-names';
import { type GroupParticipant, parseGroupParticipants, readParticipants } from './wire/group-participants';

/** The non-claiming `w:gp2` handler. */
export function groupNotificationHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:group-participants',
    match: { tag: 'notification', attrs: { type: 'w:gp2' } },
    // The group's lane (the first matching handler chooses it for every handler after): a change
    // of members is applied in order with the group's messages.
    lane: (node) => chatLane(m.peers, () => node.attrs.from ?? '', 'notification'),
    handle: async ({ node }) => {
      try {
        await applyGroupNotification(m, node);
      } catch (error) {
        // The cache may now be stale: forget the group, so the next send asks the server.
        const group = node.attrs.from;
        m.host.report(error, 'reading a group notification');
        if (group !== undefined) await m.groups.forget(group);
      }
      return false;
    },
  };
}

/** Applies one `w:gp2` notification to the participant cache and the sender key. */
export async function applyGroupNotification(m: Messaging, node: BinaryNode): Promise<void> {
  const group = node.attrs.from ?? '';
  if (tryParseJid(group)?.server !== GROUP_SERVER) return;
  for (const change of getChildren(node)) {
    switch (change.tag) {
      case 'create': {
        const info = getChild(change, 'group');
        if (info !== undefined) await m.groups.set(parseGroupParticipants(group, info));
        break;
      }
      case 'add':
        await m.groups.add(group, readParticipants(change, node));
        break;
      case 'remove':
      case 'leave': {
        const gone = readParticipants(change, node);
        await m.groups.remove(group, gone);
        if (gone.some((p) => isOwn(m, p))) {
          // We left: nothing more goes to this group, and a rejoin starts from the server's list.
          await m.groups.forget(group);
        }
        if (gone.some((p) => !isOwn(m, p))) await dropOwnSenderKey(m, group);
        break;
      }
      default:
        break;
    }
  }
}

function isOwn(m: Messaging, participant: GroupParticipant): boolean {
  const own = ownDevice(m.host);
  const mine = [own.pn, own.lid].flatMap((jid) => (jid === undefined ? [] : [userJid(jid)]));
  return [participant.jid, participant.lid, participant.pn].some((j) => j !== undefined && mine.includes(j));
}
