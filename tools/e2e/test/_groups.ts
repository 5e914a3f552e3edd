/**
 * What the groups interop test compares: both libraries' group metadata and participant lists in
 * one shape, and recorders of either library's events that a test searches after an action (so a
 * wait never misses an event that came before it was set up).
 */
import type { BaileysEventMap, GroupMetadata as BaileysGroupMetadata, makeWASocket } from 'baileys';
import type { GroupMetadata, GroupParticipant, WakitClient } from 'wakit';
import { until } from './_harness';

type Socket = ReturnType<typeof makeWASocket>;

/** A participant as both libraries can name it: the group's name for it, its PN, its admin role. */
export type Member = [id: string, phoneNumber: string | undefined, admin: string | undefined];

/** The participants Baileys lists (metadata or a `group-participants.update`), sorted by id. */
export function baileysMembers(
  participants: readonly { id: string; phoneNumber?: string | undefined; admin?: string | null }[],
): Member[] {
  return participants.map((p): Member => [p.id, p.phoneNumber, p.admin ?? undefined]).sort(byId);
}

/** The participants wakit lists (metadata or a `group-participants` event), sorted by id. */
export function wakitMembers(participants: readonly GroupParticipant[]): Member[] {
  return participants.map((p): Member => [p.jid, p.phoneNumber, p.admin]).sort(byId);
}

/** Orders members by the group's name for them. */
export const byId = (a: Member, b: Member) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The metadata fields both libraries give, from wakit's `GroupMetadata`. */
export function wakitView(metadata: GroupMetadata) {
  return {
    jid: metadata.jid,
    subject: metadata.subject,
    owner: metadata.owner,
    members: wakitMembers(metadata.participants),
    announcement: metadata.settings.announcement,
    locked: metadata.settings.locked,
  };
}

/** The same fields from Baileys' `GroupMetadata`. */
export function baileysView(metadata: BaileysGroupMetadata) {
  return {
    jid: metadata.id,
    subject: metadata.subject,
    owner: metadata.owner,
    members: baileysMembers(metadata.participants),
    announcement: metadata.announce ?? false,
    locked: metadata.restrict ?? false,
  };
}

/**
 * Every payload of one event, kept from the start; `after()` marks the present so that `find`
 * only looks at what came later.
 */
export class Recorded<T> {
  readonly items: T[] = [];

  /** A finder over the payloads recorded from now on. */
  after(): (match: (payload: T) => boolean, what: string) => Promise<T> {
    const from = this.items.length;
    return async (match, what) => {
      let found: T | undefined;
      await until(() => {
        found = this.items.slice(from).find(match);
        return found !== undefined;
      }, what);
      return found as T;
    };
  }
}

/** Records every payload of a wakit feature module's `event` (typed `unknown` by the client). */
export function recordWakit<T>(client: WakitClient, event: string): Recorded<T> {
  const recorded = new Recorded<T>();
  client.on(event as 'error', (payload: unknown) => recorded.items.push(payload as T));
  return recorded;
}

/** Records every payload of Baileys' `event`. */
export function recordBaileys<K extends keyof BaileysEventMap>(
  sock: Socket,
  event: K,
): Recorded<BaileysEventMap[K]> {
  const recorded = new Recorded<BaileysEventMap[K]>();
  sock.ev.on(event, (payload) => recorded.items.push(payload));
  return recorded;
}
