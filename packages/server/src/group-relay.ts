/**
 * Group message relay (docs/protocol.md §6.7, §6.9, §7.1, §7.2). A member encrypts the message
 * once with its sender key and sends the sender-key distribution message pairwise to the devices
 * that lack it; whatsmeow writes `<participants>` first, Baileys the skmsg first, both are read:
 *
 *   in : <message to=G id type [phash] [addressing_mode] [edit]>
 *          [<participants><to jid=<device>><enc v="2" type="pkmsg|msg"/></to>…</participants>]
 *          <enc v="2" type="skmsg"/> [<device-identity/>]</message>
 *   out: <message from=G participant=<sender device, group namespace> participant_pn|participant_lid=<other>
 *          id t type addressing_mode notify [edit]>
 *          [<enc type="pkmsg|msg"/> only for a listed device] <enc type="skmsg"/>
 *          [<device-identity/> when that device's enc is a pkmsg]</message>
 *   ack: <ack class="message" id from=G t [phash] [error]>
 *
 * Every device of every member gets one but the sending device (the sender's other devices too),
 * through the outbox like a 1:1 message: queued for offline devices, pending until their receipt or
 * ack. The pairwise `<enc>` goes before the skmsg: Baileys decrypts children in order and needs the
 * sender key first. Devices listed that are not a member's (a removed member's, an unknown one) get
 * nothing: a removed member stops receiving at once, whatever the sender's cache says.
 *
 * phash: the server hashes every device of every member, the sender's included, in the group's
 * namespace (participant-hash.ts) and puts it on the ack when the stanza's `phash` differs
 * (whatsmeow and whatsapp-rust then refresh the group's devices); Baileys sends none and gets none.
 *
 * Refusals (the ack's `error`; no delivery): 404 no such group; 403 the sender is not a member, or
 * not an admin of an announcement group. WhatsApp's codes for these are not established by the
 * references (none of them reads a specific one); 403 matches what the group IQs answer a non-member.
 *
 * A retry resend (`participant=<device>` on the stanza, a top-level pairwise `<enc count>`, maybe no
 * skmsg) goes to that one device alone (Baileys `relayMessage` with a participant).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices, addressOf, findDevice } from './addresses';
import { otherNamespace } from './group-nodes';
import { type GroupRecord, isGroupAdmin } from './group-state';
import { ackMessage } from './message-ack';
import { child, children, unixSeconds } from './nodes';
import { participantListHash } from './participant-hash';
import type { DeviceRecord, ServerState } from './server-state';

/** Relays one `<message to=<group>>` from `sender`, then acknowledges it. */
export function relayGroupMessage(state: ServerState, sender: DeviceRecord, node: BinaryNode): void {
  const id = node.attrs.id ?? '';
  const to = node.attrs.to ?? '';
  const ack = (extra: Record<string, string> = {}) => ackMessage(state, sender, id, to, extra);
  const group = state.groups.find(to);
  const refused =
    id === ''
      ? '400'
      : group === undefined
        ? '404'
        : !group.members.has(sender.phoneNumber) ||
            (group.announcement && !isGroupAdmin(group, sender.phoneNumber))
          ? '403'
          : undefined;
  if (refused !== undefined || group === undefined) {
    ack({ error: refused ?? '404' });
    return;
  }

  const encs = children(node, 'enc');
  const skmsg = encs.find((e) => e.attrs.type === 'skmsg');
  const listed = listedEncs(state, node);
  const identity = child(node, 'device-identity');
  const members = memberDevices(state, group);
  let targets = members.filter((d) => d.jid !== sender.jid);
  if (node.attrs.participant !== undefined) {
    // A retry resend: the one device named, with the stanza's own pairwise enc.
    const device = findDevice(state, node.attrs.participant);
    const pairwise = encs.find((e) => e.attrs.type !== 'skmsg');
    targets = targets.filter((d) => d.jid === device?.jid);
    if (device !== undefined && pairwise !== undefined) listed.set(device.jid, pairwise);
  }
  const delivered: string[] = [];
  for (const device of targets) {
    const pairwise = listed.get(device.jid);
    const content = [pairwise, skmsg].filter((e): e is BinaryNode => e !== undefined);
    if (content.length === 0) continue;
    if (identity !== undefined && pairwise?.attrs.type === 'pkmsg') content.push(identity);
    state.outbox.deliver(device.jid, groupMessage(state, group, sender, node, content), 'message');
    delivered.push(device.jid);
  }
  if (delivered.length > 0) state.rememberSender(id, sender.jid);
  state.events.emit('message', { from: addressOf(sender, group.addressingMode), to: delivered, id, node });
  const phash = participantListHash(members.map((d) => addressOf(d, group.addressingMode)));
  ack(node.attrs.phash === undefined || node.attrs.phash === phash ? {} : { phash });
}

/** Every device of every member, the sender's included. */
export function memberDevices(state: ServerState, group: GroupRecord): DeviceRecord[] {
  return [...group.members.keys()].flatMap((m) => accountDevices(state, m));
}

/** `<participants>`: device JID (PN form) -> its pairwise `<enc>`, for the devices the server knows. */
export function listedEncs(state: ServerState, node: BinaryNode): Map<string, BinaryNode> {
  const listed = new Map<string, BinaryNode>();
  for (const to of children(child(node, 'participants'), 'to')) {
    const device = findDevice(state, to.attrs.jid ?? '');
    const enc = child(to, 'enc');
    if (device !== undefined && enc !== undefined) listed.set(device.jid, enc);
  }
  return listed;
}

/** The `<message>` a member device gets. */
function groupMessage(
  state: ServerState,
  group: GroupRecord,
  sender: DeviceRecord,
  source: BinaryNode,
  content: BinaryNode[],
): BinaryNode {
  const ns = group.addressingMode;
  const attrs: Record<string, string> = {
    from: group.jid,
    participant: addressOf(sender, ns),
    [`participant_${otherNamespace(ns)}`]: addressOf(sender, otherNamespace(ns)),
    id: source.attrs.id!,
    t: unixSeconds(state.options.now()),
    type: source.attrs.type ?? 'text',
    addressing_mode: ns,
    notify: state.accounts.get(sender.phoneNumber).pushName,
  };
  if (source.attrs.edit !== undefined) attrs.edit = source.attrs.edit;
  return { tag: 'message', attrs, content };
}
