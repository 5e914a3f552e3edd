/**
 * The sub-stores' values <-> their rows (schema: migration 2 in `migrations.ts`). Values were checked
 * before they get here (`store/_validate.ts`); rows are checked again when read, because a file can
 * be damaged or written by other tools with CHECKs off: a row that does not decode throws
 * `StoreCorruptError` rather than handing the client a wrong device list.
 */
import { StoreCorruptError } from '../errors';
import type { DeviceList, SentMessage } from '../store/store';
import { fromBlob } from './blob';

/** A `device_lists` row. */
export interface DeviceListRow {
  user: unknown;
  devices: unknown;
  hash: unknown;
  fetched_at: unknown;
}

/** A `sent_messages` row. */
export interface SentMessageRow {
  chat: unknown;
  id: unknown;
  message: unknown;
  at: unknown;
}

/** The row of a checked device list. */
export function deviceListToRow(list: DeviceList): DeviceListRow {
  return {
    user: list.user,
    // Only the known fields, in a fixed shape: what the reader below accepts.
    devices: JSON.stringify(
      list.devices.map(({ id, keyIndex }) => (keyIndex === undefined ? { id } : { id, keyIndex })),
    ),
    hash: list.hash ?? null,
    fetched_at: list.fetchedAt,
  };
}

/**
 * The device list in `row`.
 * @throws StoreCorruptError when a column has the wrong type or the devices are not the stored JSON.
 */
export function rowToDeviceList(row: DeviceListRow): DeviceList {
  const list: DeviceList = {
    user: textOut(row.user, 'device_lists.user'),
    devices: devicesOut(row.devices),
    fetchedAt: integerOut(row.fetched_at, 'device_lists.fetched_at'),
  };
  if (row.hash !== null) list.hash = textOut(row.hash, 'device_lists.hash');
  return list;
}

function devicesOut(text: unknown): DeviceList['devices'] {
  const json = textOut(text, 'device_lists.devices');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new StoreCorruptError('device_lists.devices is not JSON', { cause: error });
  }
  if (!Array.isArray(parsed)) throw new StoreCorruptError('device_lists.devices is not a JSON array');
  return parsed.map((device: unknown) => {
    if (typeof device !== 'object' || device === null) {
      throw new StoreCorruptError('device_lists.devices holds something other than a device');
    }
    const { id, keyIndex } = device as { id?: unknown; keyIndex?: unknown };
    if (!isNatural(id) || (keyIndex !== undefined && !isNatural(keyIndex))) {
      throw new StoreCorruptError(
        'device_lists.devices holds a device id or key index that is not a natural number',
      );
    }
    return keyIndex === undefined ? { id } : { id, keyIndex };
  });
}

/** The row of a checked sent message (its bytes bound as they are: binding copies them). */
export function sentMessageToRow(message: SentMessage): SentMessageRow {
  return { chat: message.chat, id: message.id, message: message.message, at: message.at };
}

/** The sent message in `row`, its bytes a fresh plain copy. */
export function rowToSentMessage(row: SentMessageRow): SentMessage {
  return {
    chat: textOut(row.chat, 'sent_messages.chat'),
    id: textOut(row.id, 'sent_messages.id'),
    message: fromBlob(row.message),
    at: integerOut(row.at, 'sent_messages.at'),
  };
}

/** `value` if it is TEXT. */
export function textOut(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new StoreCorruptError(`${column} is not TEXT`);
  return value;
}

function integerOut(value: unknown, column: string): number {
  if (!Number.isSafeInteger(value)) throw new StoreCorruptError(`${column} is not an integer`);
  return value as number;
}

function isNatural(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
