/**
 * The groups this client sends to: participants and addressing mode, fetched with the `w:g2`
 * metadata query when first needed (`wire/group-participants.ts`) and kept in memory, kept right
 * by the group's `w:gp2` notifications (`group-notifications.ts`) and dropped when a message ack's
 * `phash` says the server knows other devices. Every LID <-> PN pair the metadata names is learned,
 * so sessions with a participant stay under one name.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { userJid } from './jids';
import type { Peers } from './peers';
import {
  buildGroupInfoQuery,
  type GroupParticipant,
  type GroupParticipants,
  parseGroupParticipants,
} from './wire/group-participants';

/** What the group cache needs from the client. */
export interface GroupHost {
  readonly peers: Peers;
  query(iq: BinaryNode): Promise<BinaryNode>;
  nextQueryId(): string;
}

/** Participants by group. */
export class Groups {
  readonly #host: GroupHost;
  readonly #known = new Map<string, GroupParticipants>();

  constructor(host: GroupHost) {
    this.#host = host;
  }

  /** The group's participants, from the cache or the server. */
  async get(group: string): Promise<GroupParticipants> {
    const known = this.#known.get(group);
    if (known !== undefined) return known;
    const reply = await this.#host.query(buildGroupInfoQuery(group, this.#host.nextQueryId()));
    const fetched = parseGroupParticipants(group, reply);
    await this.#learn(fetched.participants);
    this.#known.set(group, fetched);
    return fetched;
  }

  /** The cached participants, without asking the server. */
  cached(group: string): GroupParticipants | undefined {
    return this.#known.get(group);
  }

  /** Replaces the cached participants (a `<create>` notification carries the whole group). */
  async set(info: GroupParticipants): Promise<void> {
    await this.#learn(info.participants);
    this.#known.set(info.jid, info);
  }

  /** Adds participants to a cached group (an `<add>`); an unknown group stays unknown. */
  async add(group: string, participants: readonly GroupParticipant[]): Promise<void> {
    await this.#learn(participants);
    const known = this.#known.get(group);
    if (known === undefined) return;
    const present = new Set(known.participants.map((p) => p.jid));
    const added = participants.filter((p) => !present.has(p.jid));
    this.#known.set(group, { ...known, participants: [...known.participants, ...added] });
  }

  /** Removes participants from a cached group (a `<remove>` or `<leave>`), by any of their names. */
  remove(group: string, participants: readonly GroupParticipant[]): void {
    const known = this.#known.get(group);
    if (known === undefined) return;
    const gone = new Set(participants.flatMap((p) => [p.jid, p.lid, p.pn].filter((j) => j !== undefined)));
    const kept = known.participants.filter(
      (p) => ![p.jid, p.lid, p.pn].some((j) => j !== undefined && gone.has(j)),
    );
    this.#known.set(group, { ...known, participants: kept });
  }

  /** Forgets a group: the next send asks the server again. */
  forget(group: string): void {
    this.#known.delete(group);
  }

  /** Forgets every group (the server said the account's groups changed unseen). */
  forgetAll(): void {
    this.#known.clear();
  }

  async #learn(participants: readonly GroupParticipant[]): Promise<void> {
    for (const p of participants) {
      if (p.lid !== undefined) await this.#host.peers.learn(p.lid, userJid(p.jid));
      else if (p.pn !== undefined) await this.#host.peers.learn(userJid(p.jid), p.pn);
    }
  }
}
