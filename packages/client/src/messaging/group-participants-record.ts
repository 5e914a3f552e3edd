/**
 * A group's participants as `groups.ts` keeps them in the store between runs: JSON in the
 * key-value table, one entry per group. Kept so that a restarted client sends to its groups
 * without asking the server for each one's metadata first: the server rate-limits that query
 * (`rate-overlimit`, 429), which Baileys' users meet when a bot restarts and sends to many groups
 * (Baileys #1061, whose answer is a cache the user must supply).
 *
 * The entry is a cache: one that does not read back (another version, a damaged row) is simply
 * not there, and the group is asked for again.
 */
import { tryParseJid } from '@wakit/binary-node';
import type { GroupParticipant, GroupParticipants } from './wire/group-participants';

/** The key-value namespace of the entries (the modules' are `module:<name>`). */
export const GROUP_PARTICIPANTS_NAMESPACE = 'messaging:group-participants';

/** Bumped when the entry's shape changes: an entry of another version reads as absent. */
const VERSION = 1;

/** The stored shape: participants as `[jid, lid, pn]`, the absent ones `null` (short rows). */
interface StoredEntry {
  v: typeof VERSION;
  mode: 'pn' | 'lid';
  participants: [string, string | null, string | null][];
}

/** The entry of `info`. */
export function encodeGroupParticipants(info: GroupParticipants): Uint8Array {
  const entry: StoredEntry = {
    v: VERSION,
    mode: info.addressingMode,
    participants: info.participants.map((p) => [p.jid, p.lid ?? null, p.pn ?? null]),
  };
  return new TextEncoder().encode(JSON.stringify(entry));
}

/** The participants of `group` in `bytes`, or undefined when they are not a readable entry. */
export function decodeGroupParticipants(group: string, bytes: Uint8Array): GroupParticipants | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!isEntry(entry)) return undefined;
  const participants: GroupParticipant[] = [];
  for (const [jid, lid, pn] of entry.participants) {
    const p: GroupParticipant = { jid };
    if (lid !== null) p.lid = lid;
    if (pn !== null) p.pn = pn;
    participants.push(p);
  }
  return { jid: group, addressingMode: entry.mode, participants };
}

function isEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<StoredEntry>;
  return (
    entry.v === VERSION &&
    (entry.mode === 'pn' || entry.mode === 'lid') &&
    Array.isArray(entry.participants) &&
    entry.participants.every(isRow)
  );
}

/** A `[jid, lid, pn]` row of user JIDs as `readParticipants` writes them, the last two optional. */
function isRow(row: unknown): boolean {
  return (
    Array.isArray(row) &&
    row.length === 3 &&
    isUserJid(row[0]) &&
    (row[1] === null || isUserJid(row[1])) &&
    (row[2] === null || isUserJid(row[2]))
  );
}

function isUserJid(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const jid = tryParseJid(value);
  return jid !== undefined && jid.user !== '' && `${jid.user}@${jid.server}` === value;
}
