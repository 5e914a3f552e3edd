/**
 * Device-list changes (docs/protocol.md §6.8, §10.14). When a companion links or goes, the server
 * tells the account's other companions and every device that asked for the account's devices
 * (usync subscribers), one notification each, queued like any stanza:
 *
 *   <notification from=<user> [lid=<L@lid> when from is a PN] type="devices" id t>
 *     <add device_hash="2:…"><device jid=<device> key-index=<n> [lid]/><key-index-list ts>signed list</key-index-list></add>
 *     <remove device_hash="2:…"><device jid=<device> [lid]/><key-index-list ts/></remove>
 *   </notification>
 *
 * Shape from whatsmeow notification.go `handleDeviceNotification` (reads `from`, `lid`, the first
 * `<device jid lid>` of each child) and whatsapp-rust wacore/src/stanza/devices.rs (after WA Web:
 * one operation per notification, `key-index-list` required, its `ts` non-zero on remove). Baileys
 * changes its device cache only for the users of the `<device jid>` children and needs at least
 * one. `from` and the device JIDs take the namespace the subscriber asked in; own companions get
 * the PN form. `device_hash` is the participant hash (§6.9) of the account's devices after the
 * change. The phone (device 0) made the change and is not told.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices, addressOf, type Namespace, userOf } from './addresses';
import { keyIndexList } from './key-index-list';
import { unixSeconds } from './nodes';
import { participantListHash } from './participant-hash';
import { type DeviceRecord, deviceJid, type ServerState } from './server-state';

/** Notifies the account's companions and subscribers that `record` was linked (`add`) or removed. */
export async function announceDeviceChange(
  state: ServerState,
  record: DeviceRecord,
  change: 'add' | 'remove',
): Promise<void> {
  const account = state.devices.get(deviceJid(record.phoneNumber, 0));
  if (account === undefined) return;
  const list = await keyIndexList(state, record.phoneNumber);
  const devices = accountDevices(state, record.phoneNumber);
  const recipients = new Map<string, Namespace>();
  for (const own of devices) if (own.device !== 0 && own.jid !== record.jid) recipients.set(own.jid, 'pn');
  for (const [jid, namespace] of state.accounts.get(record.phoneNumber).subscribers) {
    const subscriber = state.devices.get(jid);
    if (subscriber === undefined || subscriber.removed || jid === record.jid || recipients.has(jid)) continue;
    recipients.set(jid, namespace);
  }
  for (const [jid, namespace] of recipients) {
    const attrs: Record<string, string> = { from: userOf(account, namespace) };
    if (namespace === 'pn') attrs.lid = userOf(account, 'lid');
    Object.assign(attrs, { type: 'devices', id: state.nextStanzaId(), t: unixSeconds(state.options.now()) });
    const device: Record<string, string> = { jid: addressOf(record, namespace) };
    if (change === 'add') device['key-index'] = String(record.device);
    if (namespace === 'pn') device.lid = record.lid;
    const keyIndex: BinaryNode = { tag: 'key-index-list', attrs: { ts: String(list.ts) } };
    if (change === 'add') keyIndex.content = list.bytes;
    const hash = participantListHash(devices.map((d) => addressOf(d, namespace)));
    const node: BinaryNode = {
      tag: 'notification',
      attrs,
      content: [
        { tag: change, attrs: { device_hash: hash }, content: [{ tag: 'device', attrs: device }, keyIndex] },
      ],
    };
    state.outbox.deliver(jid, node, 'notification');
  }
}

/**
 * Unlinks a companion: marks it removed (later logins get `device_removed`), drops its queue,
 * ends its live connection with `<stream:error code="401"><conflict type="device_removed"/>` and
 * announces the removal. Idempotent.
 */
export function unlinkDevice(state: ServerState, record: DeviceRecord): void {
  if (record.removed) return;
  record.removed = true;
  state.outbox.forget(record.jid);
  state.live.get(record.jid)?.kick(401, 'device_removed');
  inBackground(announceDeviceChange(state, record, 'remove'));
}

/**
 * Runs a task nobody awaits. It can only fail on a bug (signing with a key the server made), so
 * its error is re-thrown on a microtask, where the test runner reports it, as ServerEvents does.
 */
export function inBackground(task: Promise<void>): void {
  task.catch((error: unknown) =>
    queueMicrotask(() => {
      throw error;
    }),
  );
}
