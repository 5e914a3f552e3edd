/**
 * The keys sender keys are stored under: `group::name::deviceId` (`SenderKeyName#toString` in
 * @wakit/signal), the sender being a Signal name and device as in a session address. A group id
 * never contains `::`, nor does a name, so the last two `::` split the three parts.
 */

/** Where `key`'s sender name starts and ends, or undefined when `key` is not a sender-key name. */
function senderSpan(key: string): { start: number; end: number } | undefined {
  const end = key.lastIndexOf('::');
  if (end < 0) return undefined;
  const sender = key.lastIndexOf('::', end - 1);
  return sender < 0 ? undefined : { start: sender + 2, end };
}

/** True when `key`'s sender is `name`. */
export function isSenderKeyOf(key: string, name: string): boolean {
  const span = senderSpan(key);
  return span !== undefined && key.slice(span.start, span.end) === name;
}

/** `key` with its sender `from` replaced by `to`, or undefined when `key` is not one of `from`'s. */
export function senderKeyRenamed(key: string, from: string, to: string): string | undefined {
  const span = senderSpan(key);
  if (span === undefined || key.slice(span.start, span.end) !== from) return undefined;
  return `${key.slice(0, span.start)}${to}${key.slice(span.end)}`;
}

/** The keys among `keys` whose sender is `name`. */
export function senderKeysOf(keys: Iterable<string>, name: string): string[] {
  const out: string[] = [];
  for (const key of keys) if (isSenderKeyOf(key, name)) out.push(key);
  return out;
}
