/**
 * The stored keys of sessions and identities are Signal addresses, `name.deviceId`
 * (`ProtocolAddress#toString` in @wakit/signal). A name never contains `.` (ProtocolAddress refuses
 * one), but may contain `_`, `:` or `@`, so "every device of a user" is a match on the exact prefix
 * `name.` followed by a device id, never a LIKE pattern (where `_` is a wildcard) nor a split on
 * other characters: `sessionDevices('ab')` must not see `ab2.1`, `a.1` or `ab.1.2`.
 */

/** The largest device id ProtocolAddress accepts (2^31 - 1). */
const MAX_DEVICE_ID = 0x7fffffff;

/** A device id as ProtocolAddress writes it: decimal, no sign, no leading zeros. */
const DEVICE_ID = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The device id of `address` when it is `name.<deviceId>` in the form ProtocolAddress writes, or
 * undefined (another user's address, or a key that is no address at all).
 */
export function deviceIdOf(address: string, name: string): number | undefined {
  if (address.length <= name.length + 1 || !address.startsWith(name) || address[name.length] !== '.') {
    return undefined;
  }
  const digits = address.slice(name.length + 1);
  if (!DEVICE_ID.test(digits)) return undefined;
  const id = Number(digits);
  return id <= MAX_DEVICE_ID ? id : undefined;
}

/** The address of device `deviceId` of `name`. */
export function addressOf(name: string, deviceId: number): string {
  return `${name}.${deviceId}`;
}

/**
 * The bounds of every string starting with `name.` in byte (and UTF-16) order, for a range scan:
 * `[name + '.', name + '/')`, as `/` is the character after `.`.
 */
export function addressRange(name: string): [low: string, high: string] {
  return [`${name}.`, `${name}/`];
}

/** The device ids among `addresses` that belong to `name`, ascending and without duplicates. */
export function devicesOf(addresses: Iterable<string>, name: string): number[] {
  const ids = new Set<number>();
  for (const address of addresses) {
    const id = deviceIdOf(address, name);
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}
