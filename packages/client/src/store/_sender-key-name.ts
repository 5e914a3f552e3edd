/**
 * The keys sender keys are stored under: `group::name::deviceId` (`SenderKeyName#toString` in
 * @wakit/signal), the sender being a Signal name and device as in a session address. A group id
 * never contains `::`, nor does a name, so the last two `::` split the three parts.
 */

/** `key` with its sender `from` replaced by `to`, or undefined when `key` is not one of `from`'s. */
export function senderKeyRenamed(key: string, from: string, to: string): string | undefined {
  const device = key.lastIndexOf('::');
  if (device < 0) return undefined;
  const sender = key.lastIndexOf('::', device - 1);
  if (sender < 0 || key.slice(sender + 2, device) !== from) return undefined;
  return `${key.slice(0, sender)}::${to}${key.slice(device)}`;
}

/** The keys among `keys` whose sender is `name`. */
export function senderKeysOf(keys: Iterable<string>, name: string): string[] {
  const out: string[] = [];
  for (const key of keys) if (senderKeyRenamed(key, name, name) !== undefined) out.push(key);
  return out;
}
