/**
 * 1:1 message relay (docs/protocol.md §7.1, §7.2). A sender writes one `<message to=user>` holding a
 * ciphertext per recipient device; the server writes each device its own `<message>` with one `<enc>`:
 *
 *   in : <message to="B@s.whatsapp.net" id type [edit] [category]>
 *          <participants><to jid="B:3@s.whatsapp.net"><enc v="2" type="pkmsg" [mediatype]/></to>…</participants>
 *          [<device-identity/>]</message>
 *   out: <message from="A:2@s.whatsapp.net" id t type notify sender_lid="LA:2@lid" [edit] [category]>
 *          <enc …/>[<device-identity/> when the enc is a pkmsg]</message>
 *   to the sender's own other devices instead of sender_lid: recipient="B@s.whatsapp.net"
 *        peer_recipient_lid="LB@lid" (Baileys takes `sender_lid` before `peer_recipient_lid` as the
 *        chat's alternate JID, so an own copy carrying both would map the peer to the sender's LID)
 *   ack to the sender: <ack class="message" id from=<to> t [phash] [error]>
 *
 * `from` is the sending device in the namespace the stanza used; the other namespace goes in
 * `sender_lid`/`sender_pn` (whatsmeow and whatsapp-rust parse both). One namespace per stanza: a
 * PN `to` with LID participants is refused with error 400, as WhatsApp does (whatsapp-rust PRs
 * #636, #731). Devices the server does not know (or that were removed) are skipped; WhatsApp then
 * answers with its own `phash`, and so does this server, so whatsmeow and whatsapp-rust refresh
 * their device lists (Baileys ignores it).
 *
 * Two other shapes: a retry resend (a top-level `<enc count>`, no `<participants>`, `to` = one
 * device, `device_fanout="false"`) goes to that device alone, keeping the stanza's `recipient` when
 * it is an own device; a peer message (`category="peer"`, top-level `<enc>`, to the own account)
 * goes to the device `to` names, device 0 when it names none. Groups: group-relay.ts; statuses:
 * status-relay.ts; broadcast lists and newsletters are not relayed (error 501).
 *
 * Blocking (docs/protocol.md §10.3): a message to an account that blocked the sender reaches only
 * the sender's own devices; the sender gets the same ack as for a delivered message, so it cannot
 * tell (as on WhatsApp, where a blocked sender sees one tick forever). The blocker's own messages
 * to the user it blocked are relayed: clients refuse to send them, the server does not.
 */
import type { BinaryNode } from '@wakit/binary-node';
import {
  type Address,
  accountDevices,
  addressOf,
  type Namespace,
  namespaceOf,
  resolveAddress,
  userOf,
} from './addresses';
import { relayGroupMessage } from './group-relay';
import { ackMessage } from './message-ack';
import { child, children, unixSeconds } from './nodes';
import { participantListHash } from './participant-hash';
import { type DeviceRecord, deviceJid, type ServerState } from './server-state';
import { relayStatus, STATUS_BROADCAST } from './status-relay';

/** One device's copy: where it goes and what it holds. */
interface Delivery {
  readonly device: DeviceRecord;
  readonly enc: BinaryNode;
}

/** The deliveries of one stanza, and the `phash` its ack carries when the sender's list was off. */
interface Plan {
  readonly deliveries: Delivery[];
  readonly phash?: string;
}

/** Relays one `<message>` from `sender`, then acknowledges it. */
export function relayMessage(state: ServerState, sender: DeviceRecord, node: BinaryNode): void {
  const id = node.attrs.id ?? '';
  const to = node.attrs.to ?? '';
  const ack = (extra: Record<string, string> = {}) => ackMessage(state, sender, id, to, extra);
  if (to.endsWith('@g.us')) {
    relayGroupMessage(state, sender, node);
    return;
  }
  if (to === STATUS_BROADCAST) {
    relayStatus(state, sender, node);
    return;
  }
  const namespace = namespaceOf(to);
  if (id === '' || namespace === undefined) {
    // Not a user, a group or the status: broadcast lists and newsletters are not relayed here.
    ack({ error: namespace === undefined && to.includes('@') ? '501' : '400' });
    return;
  }
  const target = resolveAddress(state, to);
  if (target === undefined) {
    // Not on WhatsApp: nobody to deliver to (the sender's usync said as much).
    ack();
    return;
  }
  const plan = planFor(state, sender, node, target, namespace);
  if (plan === 'bad-request') {
    ack({ error: '400' });
    return;
  }
  // The recipient blocked the sender: its devices get nothing; the sender's own devices still get
  // their copies, and the ack is the usual one (WhatsApp does not tell a sender it is blocked).
  const blocked =
    target.account.phoneNumber !== sender.phoneNumber &&
    state.accounts.get(target.account.phoneNumber).privacy.blocks(sender.phoneNumber);
  const deliveries = blocked
    ? plan.deliveries.filter((d) => d.device.phoneNumber === sender.phoneNumber)
    : plan.deliveries;
  const identity = child(node, 'device-identity');
  const dropAfter = state.faults.takeFanOutDrop();
  const delivered: string[] = [];
  let dropped = false;
  for (const { device, enc } of deliveries) {
    if (dropAfter !== undefined && delivered.length === dropAfter) {
      dropped = true;
      state.live.get(sender.jid)?.drop?.('dropped mid fan-out by a fault hook');
      break;
    }
    const copy = deviceMessage(state, sender, node, namespace, device, target.account, enc, identity);
    state.outbox.deliver(device.jid, copy, 'message');
    delivered.push(device.jid);
  }
  if (delivered.length > 0) state.rememberSender(id, sender.jid);
  state.events.emit('message', { from: addressOf(sender, namespace), to: delivered, id, node });
  if (dropped) return;
  ack(plan.phash === undefined ? {} : { phash: plan.phash });
}

/** Who gets what: a peer message, a retry resend (no `<participants>`) or a fan-out. */
function planFor(
  state: ServerState,
  sender: DeviceRecord,
  node: BinaryNode,
  target: Address,
  namespace: Namespace,
): Plan | 'bad-request' {
  const participants = child(node, 'participants');
  if (node.attrs.category === 'peer') {
    return planPeer(state, sender, target.account, target.device, child(node, 'enc'));
  }
  if (participants === undefined)
    return planRetry(state, sender, target.account, target.device, child(node, 'enc'));
  return planFanOut(state, sender, target.account, namespace, participants);
}

/** `<participants>`: one delivery per listed device the server knows, in the order listed. */
function planFanOut(
  state: ServerState,
  sender: DeviceRecord,
  chat: DeviceRecord,
  namespace: Namespace,
  participants: BinaryNode,
): Plan | 'bad-request' {
  const deliveries: Delivery[] = [];
  let mismatch = false;
  for (const to of children(participants, 'to')) {
    const jid = to.attrs.jid ?? '';
    if (namespaceOf(jid) !== namespace) return 'bad-request';
    const enc = child(to, 'enc');
    const address = resolveAddress(state, jid);
    const device =
      address === undefined
        ? undefined
        : state.devices.get(deviceJid(address.account.phoneNumber, address.device ?? 0));
    const ours =
      device !== undefined &&
      (device.phoneNumber === chat.phoneNumber || device.phoneNumber === sender.phoneNumber);
    if (device?.jid === sender.jid) continue; // the sender itself: nothing to deliver
    if (enc === undefined || device === undefined || device.removed || !ours) {
      mismatch = true;
      continue;
    }
    deliveries.push({ device, enc });
  }
  // Every device of both accounts, the sender's included (whatsmeow hashes what it encrypted for
  // plus itself), against what was listed.
  const expected = [
    ...accountDevices(state, chat.phoneNumber),
    ...(chat.phoneNumber === sender.phoneNumber ? [] : accountDevices(state, sender.phoneNumber)),
  ];
  const listed = new Set(deliveries.map((d) => d.device.jid).concat(sender.jid));
  if (mismatch || expected.some((d) => !listed.has(d.jid))) {
    return { deliveries, phash: participantListHash(expected.map((d) => addressOf(d, namespace))) };
  }
  return { deliveries };
}

/** A retry resend: the one device `to` names. */
function planRetry(
  state: ServerState,
  sender: DeviceRecord,
  chat: DeviceRecord,
  device: number | undefined,
  enc: BinaryNode | undefined,
): Plan | 'bad-request' {
  if (enc === undefined) return 'bad-request';
  const record = state.devices.get(deviceJid(chat.phoneNumber, device ?? 0));
  if (record === undefined || record.removed || record.jid === sender.jid) return { deliveries: [] };
  return { deliveries: [{ device: record, enc }] };
}

/** A peer message: own account only, to the named device or device 0. */
function planPeer(
  state: ServerState,
  sender: DeviceRecord,
  chat: DeviceRecord,
  device: number | undefined,
  enc: BinaryNode | undefined,
): Plan | 'bad-request' {
  if (enc === undefined || chat.phoneNumber !== sender.phoneNumber) return 'bad-request';
  return planRetry(state, sender, chat, device, enc);
}

/** The `<message>` one device gets. */
function deviceMessage(
  state: ServerState,
  sender: DeviceRecord,
  source: BinaryNode,
  namespace: Namespace,
  device: DeviceRecord,
  chat: DeviceRecord,
  enc: BinaryNode,
  identity: BinaryNode | undefined,
): BinaryNode {
  const other: Namespace = namespace === 'pn' ? 'lid' : 'pn';
  const attrs: Record<string, string> = {
    from: addressOf(sender, namespace),
    id: source.attrs.id!,
    t: unixSeconds(state.options.now()),
    type: source.attrs.type ?? 'text',
  };
  const peer = source.attrs.category === 'peer';
  const ownCopy = !peer && device.phoneNumber === sender.phoneNumber;
  if (ownCopy) {
    // The chat is the `to` user, or for a retry to an own device the stanza's own `recipient`.
    const recipient =
      source.attrs.recipient === undefined ? chat : resolveAddress(state, source.attrs.recipient)?.account;
    if (recipient !== undefined) {
      attrs.recipient = userOf(recipient, namespace);
      attrs[`peer_recipient_${other}`] = userOf(recipient, other);
    }
  } else {
    attrs[`sender_${other}`] = addressOf(sender, other);
  }
  attrs.notify = state.accounts.get(sender.phoneNumber).pushName;
  if (source.attrs.edit !== undefined) attrs.edit = source.attrs.edit;
  if (source.attrs.category !== undefined) attrs.category = source.attrs.category;
  const content = [enc];
  if (identity !== undefined && enc.attrs.type === 'pkmsg') content.push(identity);
  return { tag: 'message', attrs, content };
}
