/**
 * Argument checks every store implementation runs on what it is asked to write, so that every
 * backend (and a transaction's view, which holds writes until its commit) refuses the same bad
 * values with the same `TypeError`/`RangeError`, at the call that passed them. A value that made
 * it past these checks can always be stored; SQLite's CHECK constraints stay as a second line.
 */
import type { DeviceList, MessageKey, SentMessage } from './store';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array of length ${value.length}`;
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

/** `value` if it is a `Uint8Array`. */
export function checkBytes(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new TypeError(`"${field}" expected Uint8Array, got ${describe(value)}`);
  return value;
}

/** `value` if it is a string. */
export function checkString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`"${field}" expected string, got ${describe(value)}`);
  return value;
}

/**
 * `value` if it is a safe integer. Timestamps are integers (ms since the epoch): SQLite keeps them in
 * INTEGER columns, and a fraction stored by one backend would read back differently from another.
 */
export function checkInteger(field: string, value: unknown): number {
  if (!Number.isSafeInteger(value))
    throw new TypeError(`"${field}" expected a safe integer, got ${String(value)}`);
  return value as number;
}

/** `value` if it is a safe integer of at least 0. */
export function checkNatural(field: string, value: unknown): number {
  if (checkInteger(field, value) < 0)
    throw new RangeError(`"${field}" expected at least 0, got ${String(value)}`);
  return value as number;
}

/**
 * `name` if it can be the name of a Signal address (`ProtocolAddress.name`): non-empty and without
 * `.`, which separates the name from the device id in the stored key `name.deviceId`.
 */
export function checkSignalName(field: string, name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new TypeError(`"${field}" expected a non-empty string without ".", got ${JSON.stringify(name)}`);
  }
  return name;
}

/** `key` if chat, sender and id are strings. */
export function checkMessageKey(key: MessageKey): MessageKey {
  if (typeof key !== 'object' || key === null)
    throw new TypeError(`"key" expected an object, got ${describe(key)}`);
  checkString('key.chat', key.chat);
  checkString('key.sender', key.sender);
  checkString('key.id', key.id);
  return key;
}

/** `list` if every field has its type: strings, device ids and key indexes naturals, an integer time. */
export function checkDeviceList(list: DeviceList): DeviceList {
  if (typeof list !== 'object' || list === null)
    throw new TypeError(`"list" expected an object, got ${describe(list)}`);
  checkString('list.user', list.user);
  if (!Array.isArray(list.devices))
    throw new TypeError(`"list.devices" expected an array, got ${describe(list.devices)}`);
  list.devices.forEach((device, i) => {
    if (typeof device !== 'object' || device === null) {
      throw new TypeError(`"list.devices[${i}]" expected an object, got ${describe(device)}`);
    }
    checkNatural(`list.devices[${i}].id`, device.id);
    if (device.keyIndex !== undefined) checkNatural(`list.devices[${i}].keyIndex`, device.keyIndex);
  });
  if (list.hash !== undefined) checkString('list.hash', list.hash);
  checkInteger('list.fetchedAt', list.fetchedAt);
  return list;
}

/** `message` if chat and id are strings, the message bytes and the time an integer. */
export function checkSentMessage(message: SentMessage): SentMessage {
  if (typeof message !== 'object' || message === null) {
    throw new TypeError(`"message" expected an object, got ${describe(message)}`);
  }
  checkString('message.chat', message.chat);
  checkString('message.id', message.id);
  checkBytes('message.message', message.message);
  checkInteger('message.at', message.at);
  return message;
}
