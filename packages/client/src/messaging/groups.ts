/**
 * The groups this client sends to: participants and addressing mode, fetched with the `w:g2`
 * metadata query when first needed (`wire/group-participants.ts`), kept right by the group's
 * `w:gp2` notifications (`group-notifications.ts`) and dropped when a message ack's `phash` says
 * the server knows other devices. Every LID <-> PN pair the metadata names is learned, so sessions
 * with a participant stay under one name.
 *
 * Kept in memory and in the store (`store/kv-cache.ts`, in the form of
 * `group-participants-record.ts`), so a restart does not cost a metadata query per group (which
 * the server rate-limits). The stored copy is as current as the memory one: notifications that
 * arrive while we are offline are delivered at the next login and change it; a `groups` dirty bit
 * drops it all (`forgetAll`); and the ack's `phash` catches what both missed.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { Logger } from '../client-options';
import { KvCache } from '../store/kv-cache';
import type { KeyValueStore } from '../store/store';
import {
  decodeGroupParticipants,
  encodeGroupParticipants,
  GROUP_PARTICIPANTS_NAMESPACE,
} from './group-participants-record';
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
  /** Where the participants are kept between runs. */
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  query(iq: BinaryNode): Promise<BinaryNode>;
  nextQueryId(): string;
}

/** Participants by group. */
export class Groups {
  readonly #host: GroupHost;
  readonly #kept: KvCache<GroupParticipants>;

  constructor(host: GroupHost) {
    this.#host = host;
    this.#kept = new KvCache(
      host.kv,
      GROUP_PARTICIPANTS_NAMESPACE,
      { encode: encodeGroupParticipants, decode: decodeGroupParticipants },
      (group) =>
        // Another version's entry, or a damaged one: the server is asked, and its answer replaces it.
        host.logger.warn?.('stored group participants do not read; asking the server', { group }),
    );
  }

  /** The group's participants, from memory, the store or the server. */
  async get(group: string): Promise<GroupParticipants> {
    const known = await this.#kept.get(group);
    if (known !== undefined) return known;
    const reply = await this.#host.query(buildGroupInfoQuery(group, this.#host.nextQueryId()));
    const fetched = parseGroupParticipants(group, reply);
    await this.#learn(fetched.participants);
    await this.#kept.set(group, fetched);
    return fetched;
  }

  /** The participants kept for `group`, without asking the server. */
  cached(group: string): Promise<GroupParticipants | undefined> {
    return this.#kept.get(group);
  }

  /** Replaces the kept participants (a `<create>` notification carries the whole group). */
  async set(info: GroupParticipants): Promise<void> {
    await this.#learn(info.participants);
    await this.#kept.set(info.jid, info);
  }

  /** Adds participants to a kept group (an `<add>`); a group not kept stays unknown. */
  async add(group: string, participants: readonly GroupParticipant[]): Promise<void> {
    await this.#learn(participants);
    const known = await this.#kept.get(group);
    if (known === undefined) return;
    const present = new Set(known.participants.map((p) => p.jid));
    const added = participants.filter((p) => !present.has(p.jid));
    await this.#kept.set(group, { ...known, participants: [...known.participants, ...added] });
  }

  /** Removes participants from a kept group (a `<remove>` or `<leave>`), by any of their names. */
  async remove(group: string, participants: readonly GroupParticipant[]): Promise<void> {
    const known = await this.#kept.get(group);
    if (known === undefined) return;
    const gone = new Set(participants.flatMap((p) => [p.jid, p.lid, p.pn].filter((j) => j !== undefined)));
    const kept = known.participants.filter(
      (p) => ![p.jid, p.lid, p.pn].some((j) => j !== undefined && gone.has(j)),
    );
    await this.#kept.set(group, { ...known, participants: kept });
  }

  /** Forgets a group: the next send asks the server again. */
  forget(group: string): Promise<void> {
    return this.#kept.delete(group);
  }

  /** Forgets every group (the server said the account's groups changed unseen). */
  forgetAll(): Promise<void> {
    return this.#kept.clear();
  }

  async #learn(participants: readonly GroupParticipant[]): Promise<void> {
    for (const p of participants) {
      if (p.lid !== undefined) await this.#host.peers.learn(p.lid, userJid(p.jid));
      else if (p.pn !== undefined) await this.#host.peers.learn(userJid(p.jid), p.pn);
    }
  }
}
