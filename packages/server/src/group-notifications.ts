/**
 * `<notification type="w:gp2">`: what a group's members are told when it changes (docs/protocol.md
 * §10.14), in the shapes whatsmeow (`parseGroupChange`, `parseGroupCreate`), Baileys
 * (`handleGroupNotification`) and whatsapp-rust (`GroupNotificationAction`) parse:
 *
 *   <notification from=G type="w:gp2" id t participant=<actor> [participant_pn] notify addressing_mode>
 *     <create [type="new"] [key] [reason="invite"]><group …/></create>          new members (group-nodes.ts)
 *     <add [reason="invite"]>|<remove>|<promote>|<demote> <participant jid phone_number|lid [type]/>…
 *     <subject subject s_t s_o [s_o_pn]/>
 *     <description id><body>text</body></description>  |  <description id><delete/></description>
 *     <announcement v_id/> | <not_announcement v_id/>   (whatsmeow requires `v_id`)
 *     <locked/> | <unlocked/> | <ephemeral expiration/> | <not_ephemeral/>
 *   </notification>
 *
 * A member who leaves is told, and tells the others, with `<remove>` naming itself as the actor:
 * whatsmeow and whatsapp-rust know no `<leave>` child, and Baileys turns a `<remove>` of the actor
 * alone into its "leave" stub. The actor is a user JID in the group's namespace, its PN in
 * `participant_pn` for LID groups. Every device of every recipient account gets the notification
 * (the acting device too, as WhatsApp does), through the outbox: an offline device gets it from
 * its offline queue, and it stays pending until acked.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices } from './addresses';
import { groupNode, ownerAttrs, participantNode } from './group-nodes';
import type { GroupRecord } from './group-state';
import { unixSeconds } from './nodes';
import type { ServerState } from './server-state';

/** Delivers one `w:gp2` notification from `actor` holding `content` to every device of `recipients`. */
export function notifyGroup(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  content: BinaryNode[],
  recipients: Iterable<string>,
): void {
  const node: BinaryNode = {
    tag: 'notification',
    attrs: {
      from: group.jid,
      type: 'w:gp2',
      id: state.nextStanzaId(),
      t: unixSeconds(state.options.now()),
      ...ownerAttrs(state, group, actor, 'participant'),
      notify: state.accounts.get(actor).pushName,
      addressing_mode: group.addressingMode,
    },
    content,
  };
  deliverToAccounts(state, node, recipients);
}

/** Delivers `node` (a notification) through the outbox to every device of each account in `recipients`. */
export function deliverToAccounts(state: ServerState, node: BinaryNode, recipients: Iterable<string>): void {
  for (const phoneNumber of new Set(recipients)) {
    for (const device of accountDevices(state, phoneNumber)) {
      state.outbox.deliver(device.jid, node, 'notification');
    }
  }
}

/** `<add|remove|promote|demote [attrs]>` listing `members` as `<participant>` children. */
export function participantsChange(
  state: ServerState,
  group: GroupRecord,
  tag: 'add' | 'remove' | 'promote' | 'demote',
  members: readonly string[],
  attrs: Record<string, string> = {},
): BinaryNode {
  return { tag, attrs, content: members.map((m) => participantNode(state, group, m)) };
}

/**
 * Tells that `joined` (phone numbers, members now) came in, by `actor`: `<add>` to `before` (the
 * members until then), `<create>` with the whole group to the new ones; `attrs` on both
 * (`reason="invite"` for a link). Every way in (an add, a link, an accepted invite, an approved
 * request) is told so.
 */
export function tellJoined(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  joined: readonly string[],
  before: readonly string[],
  attrs: Record<string, string> = {},
): void {
  notifyGroup(state, group, actor, [participantsChange(state, group, 'add', joined, attrs)], before);
  notifyGroup(state, group, actor, [{ tag: 'create', attrs, content: [groupNode(state, group)] }], joined);
}
