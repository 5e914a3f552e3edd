/**
 * What sending to a group needs from its metadata (docs/protocol.md §10.5): the participants, each
 * in the group's addressing namespace with the other form when the server names it, and the
 * addressing mode. The full metadata (subject, admins, settings) is @wakit/features' business;
 * this reads only what the sender-key fan-out uses.
 */
import { type BinaryNode, getChild, getChildren, readAttrs, tryParseJid } from '@wakit/binary-node';
import { isPersonJid, LID_SERVER, PN_SERVER, userJid } from '../jids';
import { checkAttrs, malformed } from './_node';

/** The `w:g2` namespace of group IQs. */
export const GROUP_XMLNS = 'w:g2';

/** One participant, as the metadata names it. */
export interface GroupParticipant {
  /** The user JID in the group's addressing namespace (a LID in `lid` groups). */
  jid: string;
  /** The participant's LID, when `jid` is a PN and the server sent `lid`. */
  lid?: string;
  /** The participant's PN, when `jid` is a LID and the server sent `phone_number`. */
  pn?: string;
}

/** The part of a group's metadata a send needs. */
export interface GroupParticipants {
  /** The group JID (`…@g.us`). */
  jid: string;
  /** `lid` when participants are addressed by LID, else `pn` (the default when the attribute is absent). */
  addressingMode: 'pn' | 'lid';
  participants: GroupParticipant[];
}

/** `<iq to=<group> type="get" xmlns="w:g2" id><query request="interactive"/></iq>` (whatsmeow `getGroupInfo`). */
export function buildGroupInfoQuery(group: string, id: string): BinaryNode {
  return {
    tag: 'iq',
    attrs: { id, to: group, type: 'get', xmlns: GROUP_XMLNS },
    content: [{ tag: 'query', attrs: { request: 'interactive' } }],
  };
}

/**
 * Reads the `<group addressing_mode …><participant jid [lid] [phone_number]/>…</group>` of a
 * metadata reply (the iq result, or the `<group>` itself, as a `<create>` notification carries it).
 *
 * @throws MalformedStanzaError when there is no `<group>`, or a participant's JIDs do not parse.
 */
export function parseGroupParticipants(group: string, reply: BinaryNode): GroupParticipants {
  const node = reply.tag === 'group' ? reply : getChild(reply, 'group');
  if (node === undefined) throw malformed(reply, 'group metadata: no <group> child');
  const mode = node.attrs.addressing_mode === 'lid' ? 'lid' : 'pn';
  return { jid: group, addressingMode: mode, participants: readParticipants(node, reply) };
}

/**
 * The `<participant jid [lid] [phone_number]/>` children of `node` (metadata, and the `<add>`,
 * `<remove>`… of a `w:gp2` notification, whatsmeow `parseGroupChange`). A participant that is no
 * person (`isPersonJid`: another server, a user no Signal address can be named by) is skipped: a
 * send reaches people's devices only, and asking for such a participant's devices would fail the
 * whole send. An alternate that is no person of its namespace is dropped the same way.
 *
 * @throws MalformedStanzaError when a JID does not parse, or a participant's is a server.
 */
export function readParticipants(node: BinaryNode, stanza: BinaryNode): GroupParticipant[] {
  const participants: GroupParticipant[] = [];
  for (const [index, child] of getChildren(node, 'participant').entries()) {
    const attrs = readAttrs(child);
    const jid = attrs.jid('jid');
    const lid = attrs.optionalJid('lid');
    const pn = attrs.optionalJid('phone_number');
    checkAttrs(attrs, `group participant ${index}`, stanza);
    if (jid.user === '') throw malformed(stanza, `group participant ${index}: jid is a server`);
    if (!isPersonJid(jid)) continue;
    const out: GroupParticipant = { jid: userJid(jid) };
    if (lid?.server === LID_SERVER && isPersonJid(lid)) out.lid = userJid(lid);
    if (pn?.server === PN_SERVER && isPersonJid(pn)) out.pn = userJid(pn);
    participants.push(out);
  }
  return participants;
}

/** True for a group JID (`…@g.us`). */
export function isGroupJid(jid: string): boolean {
  return tryParseJid(jid)?.server === 'g.us';
}
