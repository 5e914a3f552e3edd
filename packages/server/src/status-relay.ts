/**
 * Status relay (`<message to="status@broadcast">`). A status is a sender-key message like a
 * group's (group-relay.ts), but nobody keeps its audience: the sender chooses it per status and
 * lists every device of it in `<participants>` with the sender-key distribution message pairwise
 * (whatsmeow and Baileys both do, and wakit does too), and the server delivers to those devices and
 * no others:
 *
 *   in : <message to="status@broadcast" id type [phash]>
 *          <participants><to jid=<device>><enc v="2" type="pkmsg|msg"/></to>…</participants>
 *          <enc v="2" type="skmsg"/> [<device-identity/>]</message>
 *   out: <message from="status@broadcast" participant=<sender PN device>
 *          participant_lid=<sender LID device> id t type notify>
 *          <enc type="pkmsg|msg"/> <enc type="skmsg"/> [<device-identity/> when the enc is a pkmsg]</message>
 *   ack: <ack class="message" id from="status@broadcast" t>
 *
 * Receivers read it as whatsmeow does any `@broadcast` chat: `participant` names the sender, and
 * the receipt goes back `to="status@broadcast" participant=<sender>` (receipt-relay.ts reaches the
 * sender through the message id). A retry resend (`participant=<device>` on the stanza, one
 * top-level pairwise `<enc>`) goes to that device alone. Broadcast lists (`<id>@broadcast`) are not
 * relayed (error 501): the references send their messages 1:1.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { addressOf, findDevice } from './addresses';
import { listedEncs } from './group-relay';
import { ackMessage } from './message-ack';
import { child, children, unixSeconds } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/** The JID every status is sent to and received from. */
export const STATUS_BROADCAST = 'status@broadcast';

/** Relays one `<message to="status@broadcast">` from `sender`, then acknowledges it. */
export function relayStatus(state: ServerState, sender: DeviceRecord, node: BinaryNode): void {
  const id = node.attrs.id ?? '';
  const ack = (extra: Record<string, string> = {}) => ackMessage(state, sender, id, STATUS_BROADCAST, extra);
  if (id === '') {
    ack({ error: '400' });
    return;
  }
  const encs = children(node, 'enc');
  const skmsg = encs.find((e) => e.attrs.type === 'skmsg');
  const identity = child(node, 'device-identity');
  const listed = listedEncs(state, node);
  if (node.attrs.participant !== undefined) {
    // A retry resend: the one device named, with the stanza's own pairwise enc.
    const device = findDevice(state, node.attrs.participant);
    const pairwise = encs.find((e) => e.attrs.type !== 'skmsg');
    listed.clear();
    if (device !== undefined && pairwise !== undefined) listed.set(device.jid, pairwise);
  }
  const delivered: string[] = [];
  for (const [jid, pairwise] of listed) {
    if (jid === sender.jid) continue;
    const content = [
      pairwise,
      ...(node.attrs.participant === undefined && skmsg !== undefined ? [skmsg] : []),
    ];
    if (identity !== undefined && pairwise.attrs.type === 'pkmsg') content.push(identity);
    state.outbox.deliver(jid, statusMessage(state, sender, node, content), 'message');
    delivered.push(jid);
  }
  if (delivered.length > 0) state.rememberSender(id, sender.jid);
  state.events.emit('message', { from: addressOf(sender, 'pn'), to: delivered, id, node });
  ack();
}

/** The `<message>` a listed device gets. */
function statusMessage(
  state: ServerState,
  sender: DeviceRecord,
  source: BinaryNode,
  content: BinaryNode[],
): BinaryNode {
  return {
    tag: 'message',
    attrs: {
      from: STATUS_BROADCAST,
      participant: addressOf(sender, 'pn'),
      participant_lid: addressOf(sender, 'lid'),
      id: source.attrs.id!,
      t: unixSeconds(state.options.now()),
      type: source.attrs.type ?? 'text',
      notify: state.accounts.get(sender.phoneNumber).pushName,
    },
    content,
  };
}
