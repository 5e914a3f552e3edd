/**
 * From the JIDs clients write to the server's records. An account has two namespaces with the same
 * device numbers in both (docs/protocol.md §4.1): the phone number (`N[:d]@s.whatsapp.net`, the key
 * of `state.devices`) and the LID (`L[:d]@lid`, each record's `lid`). Which one a stanza used decides
 * the namespace of what the server writes back, so it is carried along with the record.
 */
import { tryParseJid } from '@wakit/binary-node';
import { type DeviceRecord, deviceJid, deviceLid, type ServerState } from './server-state';

/** Which of an account's two addresses a JID used. */
export type Namespace = 'pn' | 'lid';

/** A JID that names one of the server's accounts, and possibly one device of it. */
export interface Address {
  /** The account's device 0 (its phone). */
  readonly account: DeviceRecord;
  /** The device number the JID names; undefined when it names the user (no `:device` part). */
  readonly device: number | undefined;
  readonly namespace: Namespace;
}

/** The namespace of a PN or LID JID; undefined for any other server (groups, broadcast ...). */
export function namespaceOf(jid: string): Namespace | undefined {
  const server = tryParseJid(jid)?.server;
  if (server === 's.whatsapp.net') return 'pn';
  if (server === 'lid') return 'lid';
  return undefined;
}

/**
 * The account (and device) `jid` names, in either namespace; undefined for a user the server does
 * not know (not on WhatsApp) or a JID that is not a user's.
 */
export function resolveAddress(state: ServerState, jid: string): Address | undefined {
  const parsed = tryParseJid(jid);
  if (parsed === undefined || parsed.user === '') return undefined;
  const namespace = namespaceOf(jid);
  if (namespace === undefined) return undefined;
  const account =
    namespace === 'pn' ? state.devices.get(deviceJid(parsed.user, 0)) : findByLid(state, parsed.user);
  if (account === undefined) return undefined;
  // `N:0@…` is legal but rare; only an explicit `:` names a device.
  const device = jid.slice(0, jid.indexOf('@')).includes(':') ? parsed.device : undefined;
  return { account, device, namespace };
}

/** The device record a PN or LID device JID names (device 0 for a user JID). */
export function findDevice(state: ServerState, jid: string): DeviceRecord | undefined {
  const address = resolveAddress(state, jid);
  if (address === undefined) return undefined;
  return state.devices.get(deviceJid(address.account.phoneNumber, address.device ?? 0));
}

/** The account's devices that are not removed, device 0 first, then by device number. */
export function accountDevices(state: ServerState, phoneNumber: string): DeviceRecord[] {
  const devices: DeviceRecord[] = [];
  for (const record of state.devices.values()) {
    if (record.phoneNumber === phoneNumber && !record.removed) devices.push(record);
  }
  return devices.sort((a, b) => a.device - b.device);
}

/** A device's JID in `namespace`. */
export function addressOf(record: DeviceRecord, namespace: Namespace): string {
  return namespace === 'pn' ? record.jid : record.lid;
}

/** The user JID (no device) of `record`'s account in `namespace`. */
export function userOf(record: DeviceRecord, namespace: Namespace): string {
  return namespace === 'pn' ? deviceJid(record.phoneNumber, 0) : deviceLid(lidUserOf(record), 0);
}

/** The LID user part of a record (`L` of `L:d@lid`). */
export function lidUserOf(record: DeviceRecord): string {
  return record.lid.slice(0, record.lid.indexOf('@')).split(':')[0]!;
}

function findByLid(state: ServerState, lidUser: string): DeviceRecord | undefined {
  const lid = deviceLid(lidUser, 0);
  for (const record of state.devices.values()) if (record.lid === lid) return record;
  return undefined;
}
