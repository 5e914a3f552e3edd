/**
 * Receipt relay (docs/protocol.md §7.4, §7.5). A device that got a message answers with a receipt:
 *
 *   in : <receipt id to=<message sender device, or chat user> [type] [recipient] [t]>[<list><item id/>…</list>]
 *        (retry receipts also carry <retry/>, <registration/> and maybe <keys/>)
 *   out: <receipt from=<receipt sender device> id t [type] [recipient]>…same children…</receipt>
 *
 * to the device `to` names, or to every device of the user when it names none (device 0 is the
 * user JID on the wire, so "device 0 or none = all devices", as Baileys resends a retried message
 * to all of them). `from` takes the namespace of `to`.
 * - `type="sender"` comes from an own device that got an own copy; Baileys leaves `to` out for PN
 *   chats, so the server sends it to the device that sent that message id, which it remembers.
 * - `read`, `read-self`, `played` and `played-self` also go to the reader's own other devices as
 *   `<receipt from=<reader> recipient=<chat> …>`: WhatsApp syncs read state between an account's
 *   devices this way (whatsmeow types/presence.go: "read-self means the current user read a message
 *   from a different device"; Baileys and whatsmeow read `recipient` as the chat of such receipts).
 * - `read-self` and `played-self` go to the reader's own devices only, and so does a `read` from an
 *   account whose `readreceipts` privacy is `none`, turned into `read-self` (see `privacyOf`).
 * - Every receipt is acknowledged `<ack class="receipt" id from=<to> [type]>`, as WhatsApp does;
 *   Baileys, whatsmeow and whatsapp-rust read it only as an event, none waits for it.
 * - A receipt is also the delivery ack of the messages it names: they leave the sender's queue.
 *
 * Groups: `<receipt id to=G participant=<message sender> [type]>` from a member goes to the sender's
 * device `participant` names (all its devices for a user JID or device 0) as `<receipt from=G
 * participant=<reader device, group namespace> id t [type]>` (Baileys needs `participant` on group
 * receipts, and reads the group as the chat); synced types also go to the reader's own other
 * devices in the same shape. `readreceipts` does not apply: WhatsApp always sends read receipts in
 * groups (only `read-self`/`played-self` stay with the reader's devices). A reader that is not a
 * member (removed since) only gets its ack. Statuses the same, `to="status@broadcast"` in PN form,
 * from anyone (a status has no members; status-relay.ts).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { type Address, accountDevices, addressOf, type Namespace, resolveAddress, userOf } from './addresses';
import { otherNamespace } from './group-nodes';
import { children, unixSeconds } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';
import { STATUS_BROADCAST } from './status-relay';

/** Receipt types the reader's own other devices are told about too. */
const SYNCED_TYPES: ReadonlySet<string> = new Set(['read', 'read-self', 'played', 'played-self']);

/** Relays one `<receipt>` from `reader`. */
export function relayReceipt(state: ServerState, reader: DeviceRecord, node: BinaryNode): void {
  const id = node.attrs.id ?? '';
  const type = node.attrs.type;
  const ids = [id, ...children(children(node, 'list')[0], 'item').map((item) => item.attrs.id ?? '')];
  state.outbox.received(reader.jid, ids);
  const ackAttrs: Record<string, string> = { class: 'receipt', id, from: node.attrs.to ?? reader.jid };
  if (type !== undefined) ackAttrs.type = type;
  state.live.get(reader.jid)?.send({ tag: 'ack', attrs: ackAttrs });
  if (id === '') return;
  if (node.attrs.to?.endsWith('@g.us') || node.attrs.to === STATUS_BROADCAST) {
    relayGroupReceipt(state, reader, node);
    return;
  }

  const target = targetOf(state, reader, node);
  if (target === undefined) return;
  const { address, devices } = target;
  const namespace = address.namespace;
  const forwarded: string[] = [];
  const forward = (device: DeviceRecord, extra: Record<string, string>) => {
    const attrs: Record<string, string> = {
      from: addressOf(reader, namespace),
      id,
      t: unixSeconds(state.options.now()),
    };
    if (type !== undefined) attrs.type = type;
    Object.assign(attrs, extra);
    const copy: BinaryNode = { tag: 'receipt', attrs };
    if (Array.isArray(node.content) && node.content.length > 0) copy.content = node.content;
    state.outbox.deliver(device.jid, copy, 'receipt');
    forwarded.push(device.jid);
  };
  const recipient: Record<string, string> =
    node.attrs.recipient === undefined ? {} : { recipient: node.attrs.recipient };
  const peer = address.account.phoneNumber !== reader.phoneNumber;
  const { toPeer, ownType } = peer ? privacyOf(state, reader, type) : { toPeer: true, ownType: type };
  if (toPeer) {
    for (const device of devices) if (device.jid !== reader.jid) forward(device, recipient);
  }
  if (ownType !== undefined && SYNCED_TYPES.has(ownType) && peer) {
    const chat = userOf(address.account, namespace);
    for (const own of accountDevices(state, reader.phoneNumber)) {
      if (own.jid !== reader.jid) forward(own, { recipient: chat, type: ownType });
    }
  }
  state.events.emit('receipt', { from: addressOf(reader, namespace), to: forwarded, id, type, node });
}

/**
 * Whether a receipt to another account reaches it, and the type the reader's own other devices
 * get. `read-self`/`played-self` ("read on another device of mine") stay with the reader's
 * devices; with `readreceipts` = none a `read` does too, as `read-self`: the reader's devices mark
 * the chat read, the sender sees no blue ticks (docs/protocol.md §10.1; Baileys sends `read-self`
 * itself when its setting is not `all`, other clients may not). `played` is left alone: WhatsApp
 * sends played receipts of voice notes whatever the setting.
 */
function privacyOf(
  state: ServerState,
  reader: DeviceRecord,
  type: string | undefined,
): { toPeer: boolean; ownType: string | undefined } {
  if (type === 'read-self' || type === 'played-self') return { toPeer: false, ownType: type };
  if (type === 'read' && state.accounts.get(reader.phoneNumber).privacy.value('readreceipts') === 'none') {
    return { toPeer: false, ownType: 'read-self' };
  }
  return { toPeer: true, ownType: type };
}

/** Who a receipt is for: the address it names and the devices that get it. */
function targetOf(
  state: ServerState,
  reader: DeviceRecord,
  node: BinaryNode,
): { address: Address; devices: DeviceRecord[] } | undefined {
  const to = node.attrs.to;
  if (to === undefined) {
    // Baileys' sender receipt for a PN chat (pitfall: no `to`): the own device that sent the message.
    if (node.attrs.type !== 'sender') return undefined;
    const namespace: Namespace = node.attrs.recipient?.endsWith('@lid') ? 'lid' : 'pn';
    const senderJid = state.sentBy.get(node.attrs.id ?? '');
    const sender = senderJid === undefined ? undefined : state.devices.get(senderJid);
    const own = accountDevices(state, reader.phoneNumber);
    const account = own.find((d) => d.device === 0) ?? reader;
    const address: Address = { account, device: sender?.device, namespace };
    if (sender !== undefined && sender.phoneNumber === reader.phoneNumber && !sender.removed) {
      return { address, devices: [sender] };
    }
    return { address, devices: own };
  }
  const address = resolveAddress(state, to);
  if (address === undefined) return undefined;
  const all = accountDevices(state, address.account.phoneNumber);
  if (address.device === undefined || address.device === 0) return { address, devices: all };
  return { address, devices: all.filter((d) => d.device === address.device) };
}

/** A receipt for a group message: see the header. */
function relayGroupReceipt(state: ServerState, reader: DeviceRecord, node: BinaryNode): void {
  const chat = node.attrs.to ?? '';
  const sender = resolveAddress(state, node.attrs.participant ?? '');
  // A status has no members to check: whoever got one may answer it (status-relay.ts, in PN form).
  const group = chat === STATUS_BROADCAST ? undefined : state.groups.find(chat);
  if (sender === undefined) return;
  if (chat !== STATUS_BROADCAST && (group === undefined || !group.members.has(reader.phoneNumber))) return;
  const ns = group?.addressingMode ?? 'pn';
  const id = node.attrs.id!;
  const type = node.attrs.type;
  const forwarded: string[] = [];
  const forward = (device: DeviceRecord, ownType: string | undefined) => {
    const attrs: Record<string, string> = {
      from: chat,
      participant: addressOf(reader, ns),
      [`participant_${otherNamespace(ns)}`]: addressOf(reader, otherNamespace(ns)),
      id,
      t: unixSeconds(state.options.now()),
    };
    if (ownType !== undefined) attrs.type = ownType;
    const copy: BinaryNode = { tag: 'receipt', attrs };
    if (Array.isArray(node.content) && node.content.length > 0) copy.content = node.content;
    state.outbox.deliver(device.jid, copy, 'receipt');
    forwarded.push(device.jid);
  };
  const peer = sender.account.phoneNumber !== reader.phoneNumber;
  // No readreceipts check here: WhatsApp always sends read receipts in groups ("Read receipts are
  // always sent for group chats", its FAQ on read receipts); only the *-self types stay home.
  const ownOnly = type === 'read-self' || type === 'played-self';
  const toPeer = !peer || !ownOnly;
  const ownType = type;
  const all = accountDevices(state, sender.account.phoneNumber);
  const named =
    sender.device === undefined || sender.device === 0 ? all : all.filter((d) => d.device === sender.device);
  if (toPeer) for (const device of named) if (device.jid !== reader.jid) forward(device, type);
  if (peer && ownType !== undefined && SYNCED_TYPES.has(ownType)) {
    for (const own of accountDevices(state, reader.phoneNumber))
      if (own.jid !== reader.jid) forward(own, ownType);
  }
  state.events.emit('receipt', { from: addressOf(reader, ns), to: forwarded, id, type, node });
}
