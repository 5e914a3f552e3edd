/** What the auth stanzas share: the server address and reading a byte child without trusting its shape. */
import { type BinaryNode, formatJid, getBinaryContent, getChild, SERVER_JID } from '@wakit/binary-node';

/**
 * The server JID as wakit writes it: `@s.whatsapp.net`, which the encoder sends as a JID pair with an
 * empty user (`fa 00 03`), the form all three references send in `to`. The bare string
 * `s.whatsapp.net` would go out as a dictionary token instead, a different wire form.
 */
export const SERVER = /* @__PURE__ */ formatJid(SERVER_JID);

/** The byte content of the first `tag` child, or undefined when it is missing or not bytes. */
export function childBytes(node: BinaryNode, tag: string): Uint8Array | undefined {
  const child = getChild(node, tag);
  return child === undefined ? undefined : getBinaryContent(child);
}
