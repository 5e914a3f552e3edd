/**
 * The JID forms messaging works with, as strings: a user (`123@lid`, `1555@s.whatsapp.net`, no
 * device) and its devices (`123:4@lid`). A peer has two user forms, PN and LID; `peers.ts` picks
 * the canonical one. Signal addresses are local names (docs/protocol.md §6.1: not on the wire):
 * the PN user part for PN users and `user_1` for LID users (Baileys' convention, so a store moved
 * from it keeps its keys), plus the device id.
 */
import { formatJid, type Jid, parseJid as parseJidUncached } from '@wakit/binary-node';
import { ProtocolAddress } from '@wakit/signal';
import { remember } from '../_bounded-map';
import { MalformedStanzaError } from '../errors';

/** How many parsed JIDs `parseJid` keeps (a chat's few JIDs come back with every message). */
const PARSED_CAPACITY = 4_096;
const parsedJids = new Map<string, Jid>();

/**
 * `parseJid` of @wakit/binary-node, remembering the last few thousand results: every message
 * parses the same handful of JIDs several times (lanes, sessions, dedupe keys), and a `Jid` is
 * immutable. Throws as the original does for a string that is not a JID.
 */
export function parseJid(jid: string): Jid {
  let parsed = parsedJids.get(jid);
  if (parsed === undefined) {
    parsed = parseJidUncached(jid);
    remember(parsedJids, jid, parsed, PARSED_CAPACITY);
  }
  return parsed;
}

export const PN_SERVER = 's.whatsapp.net';
export const LID_SERVER = 'lid';
export const GROUP_SERVER = 'g.us';
export const BROADCAST_SERVER = 'broadcast';
/** Status updates: the broadcast every status is sent to and received from. */
export const STATUS_BROADCAST = 'status@broadcast';

/**
 * True when `jid`'s user can name a Signal address. WhatsApp's users are digits; a JID's grammar
 * also allows an empty user and one with a `.`, which is what separates a Signal address's name
 * from its device id. Such a JID from the wire names no one we can talk to.
 */
export function namesSignalUser(jid: Jid): boolean {
  return jid.user !== '' && !jid.user.includes('.');
}

/** A user or device JID of a person (PN or LID) whose user can name a Signal address. */
export function isPersonJid(jid: Jid): boolean {
  return (jid.server === PN_SERVER || jid.server === LID_SERVER) && namesSignalUser(jid);
}

/** `user@server` of a device JID (device and agent dropped). */
export function userJid(jid: string | Jid): string {
  const parsed = typeof jid === 'string' ? parseJid(jid) : jid;
  return `${parsed.user}@${parsed.server}`;
}

/** `user[:device]@server` (device 0 omitted, as on the wire). */
export function deviceJid(user: string | Jid, device: number): string {
  const parsed = typeof user === 'string' ? parseJid(user) : user;
  return device === 0 ? `${parsed.user}@${parsed.server}` : `${parsed.user}:${device}@${parsed.server}`;
}

/**
 * The Signal address name of a user JID.
 *
 * @throws MalformedStanzaError for a user that cannot name an address (empty, or holding a `.`):
 *   such a JID can only have come from the wire, since what callers pass in is checked with
 *   `isPersonJid` first. The stanza that carried it cannot be used, which is the error's meaning.
 */
export function signalName(user: string | Jid): string {
  const parsed = typeof user === 'string' ? parseJid(user) : user;
  if (!namesSignalUser(parsed))
    throw new MalformedStanzaError(
      `"${formatJid(parsed)}" names no user a Signal address can be named by`,
      undefined,
    );
  return parsed.server === LID_SERVER ? `${parsed.user}_1` : parsed.user;
}

/** The Signal address of a device JID. */
export function signalAddress(device: string | Jid): ProtocolAddress {
  const parsed = typeof device === 'string' ? parseJid(device) : device;
  return new ProtocolAddress(signalName(parsed), parsed.device);
}
