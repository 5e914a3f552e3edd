/**
 * A group's picture change, told to every device of every member (the acting device too, as group
 * changes are) through the outbox, in the shape whatsmeow's `handlePictureNotification` reads (a
 * child per change: `jid` the group, `id` the new picture, `author` who made it):
 *
 *   <notification from=G type="picture" id t><set jid=G id=<picture id> author=<actor>/></notification>
 *   <notification from=G type="picture" id t><delete jid=G author=<actor>/></notification>
 *
 * `author` is the acting user in the group's namespace. Setting a group's picture is a change of
 * its info: in a `locked` group only admins may (profile-picture-iqs.ts).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { memberJid } from './group-nodes';
import { deliverToAccounts } from './group-notifications';
import type { GroupRecord } from './group-state';
import { unixSeconds } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/** Tells `group`'s members that `actor` made `change` (`<set>` or `<delete>`, `jid` set). */
export function tellGroupPicture(
  state: ServerState,
  group: GroupRecord,
  actor: DeviceRecord,
  change: BinaryNode,
): void {
  const author = memberJid(state, actor.phoneNumber, group.addressingMode);
  const node: BinaryNode = {
    tag: 'notification',
    attrs: {
      from: group.jid,
      type: 'picture',
      id: state.nextStanzaId(),
      t: unixSeconds(state.options.now()),
    },
    content: [{ ...change, attrs: { ...change.attrs, author } }],
  };
  deliverToAccounts(state, node, group.members.keys());
}
