/**
 * What the wire parsers share: turning attribute problems into `MalformedStanzaError` (which names
 * the whole stanza, not the sub-node that was being read), and reading byte children without
 * trusting their shape. Not exported from the package.
 */
import { type AttrReader, AttrsError, type BinaryNode, getBinaryContent, getChild } from '@wakit/binary-node';
import { MalformedStanzaError } from '../../errors';

/**
 * Throws `MalformedStanzaError` listing every problem `reader` recorded, if there is any. The
 * binary-node `AttrsError` with the details is the `cause`.
 *
 * @param what  what was being read, e.g. `message` or `usync user 2`, to start the error message.
 * @param stanza  the stanza as received (the error carries it).
 */
export function checkAttrs(reader: AttrReader, what: string, stanza: BinaryNode): void {
  if (reader.ok) return;
  const cause = new AttrsError(reader.node.tag, [...reader.errors]);
  throw new MalformedStanzaError(`${what}: ${cause.message}`, stanza, { cause });
}

/** A `MalformedStanzaError` for `stanza` saying `problem`. */
export function malformed(stanza: BinaryNode, problem: string, cause?: unknown): MalformedStanzaError {
  return new MalformedStanzaError(problem, stanza, cause === undefined ? undefined : { cause });
}

/** The byte content of the first `tag` child, or undefined when it is missing or not bytes. */
export function childBytes(node: BinaryNode, tag: string): Uint8Array | undefined {
  const child = getChild(node, tag);
  return child === undefined ? undefined : getBinaryContent(child);
}

/** A big-endian unsigned integer of 1 to 4 bytes (registration ids, prekey ids). */
export function readUintBE(bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}
