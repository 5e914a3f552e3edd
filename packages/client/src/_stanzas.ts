/**
 * The small stanzas the connection core builds itself (not exported from the package).
 */
import { type BinaryNode, formatJid, SERVER_JID } from '@wakit/binary-node';

/** `s.whatsapp.net`. */
export const SERVER = formatJid(SERVER_JID);

/** Keepalive ping (docs/protocol.md §10.12; no `<ping/>` child, as whatsmeow and whatsapp-rust). */
export function keepalivePing(): BinaryNode {
  return { tag: 'iq', attrs: { to: SERVER, type: 'get', xmlns: 'w:p' } };
}

/** True for the server's `urn:xmpp:ping` IQ. */
export function isServerPing(node: BinaryNode): boolean {
  return node.tag === 'iq' && node.attrs.type === 'get' && node.attrs.xmlns === 'urn:xmpp:ping';
}

/** The empty result answering a server IQ (`<iq to=S type="result" id=same/>`). */
export function iqResult(node: BinaryNode): BinaryNode {
  return { tag: 'iq', attrs: { to: node.attrs.from ?? SERVER, type: 'result', id: node.attrs.id ?? '' } };
}

/**
 * The ack for a received stanza (docs/protocol.md §7.3): class = its tag, same id, to = its sender,
 * participant and type copied when present.
 */
export function ackFor(node: BinaryNode): BinaryNode {
  const attrs: Record<string, string> = {
    class: node.tag,
    id: node.attrs.id ?? '',
    to: node.attrs.from ?? SERVER,
  };
  if (node.attrs.participant !== undefined) attrs.participant = node.attrs.participant;
  if (node.attrs.type !== undefined) attrs.type = node.attrs.type;
  return { tag: 'ack', attrs };
}

/** Leaves passive mode so the server delivers the offline queue (docs/protocol.md §7.6, §12 step 7). */
export function setActive(): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'passive' },
    content: [{ tag: 'active', attrs: {} }],
  };
}

/** Unlinks this device (whatsmeow `Logout`). */
export function removeCompanionDevice(jid: string): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'md' },
    content: [{ tag: 'remove-companion-device', attrs: { jid, reason: 'user_initiated' } }],
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The unified-session id is a point in the week, three days ahead of the server's clock. */
const UNIFIED_SESSION_OFFSET_MS = 3 * DAY_MS;
const WEEK_MS = 7 * DAY_MS;

/**
 * `<ib><unified_session id=…/></ib>`, sent after login (docs/protocol.md §10.13; whatsmeow
 * `sendUnifiedSession`, Baileys `sendUnifiedSession`): id = (server time + 3 days) mod 1 week, in
 * milliseconds. The server uses it to tie this session to the account's other sessions.
 */
export function unifiedSession(serverNowMs: number): BinaryNode {
  const id = (Math.floor(serverNowMs) + UNIFIED_SESSION_OFFSET_MS) % WEEK_MS;
  return { tag: 'ib', attrs: {}, content: [{ tag: 'unified_session', attrs: { id: String(id) } }] };
}
