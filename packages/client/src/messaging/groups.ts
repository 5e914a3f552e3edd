/**
 * The groups this client sends to: participants and addressing mode, fetched with the `w:g2`
 * metadata query when first needed (`wire/group-participants.ts`), kept right by the group's
 * `w:gp2` notifications (`group-notifications.ts`) and dropped when a message ack's `phash` says
 * the server knows other devices. Every LID <-> PN pair the metadata names is learned, so sessions
 * with a participant stay under one name.
 *
 * Kept in memory and in the store (`group-participants-record.ts`), so a restart does not cost a
 * metadata query per group (which the server rate-limits). The stored copy is as current as the
 * memory one: notifications that arrive while we are offline are delivered at the next login and
 * change it; a `groups` dirty bit drops it all (`forgetAll`); and the ack's `phash` catches what
 * both missed.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { Logger } from '../client-options';
import type { KeyValueStore } from '../store/store';
import {
  decodeGroupParticipants,
  encodeGroupParticipants,
  GROUP_PARTICIPANTS_NAMESPACE as NAMESPACE,
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

/**
 * Store reads that a change to the same group overtook, in a row, before `#load` stops trusting
 * the stored copy: only a storm of notifications about one group gets there.
 */
const MAX_OVERTAKEN_READS = 3;

/** Participants by group. */
export class Groups {
  readonly #host: GroupHost;
  readonly #known = new Map<string, GroupParticipants>();
  /**
   * Changes per group, and to all groups at once (`forgetAll`): a store read that a change to its
   * group overtook may have read what the change replaced, so it is not trusted (see `#load`).
   */
  readonly #changes = new Map<string, number>();
  #forgotAll = 0;
  /**
   * Each group's store writes under way, chained: they land in the order they were made, and a
   * read of the group waits for them, so it never finds what a change already replaced.
   */
  readonly #writing = new Map<string, Promise<void>>();
  /** A `forgetAll` under way: reads wait for it, and writes made after it land after it. */
  #forgettingAll: Promise<void> | undefined;

  constructor(host: GroupHost) {
    this.#host = host;
  }

  /** The group's participants, from memory, the store or the server. */
  async get(group: string): Promise<GroupParticipants> {
    const known = await this.#load(group);
    if (known !== undefined) return known;
    const reply = await this.#host.query(buildGroupInfoQuery(group, this.#host.nextQueryId()));
    const fetched = parseGroupParticipants(group, reply);
    await this.#learn(fetched.participants);
    await this.#keep(fetched);
    return fetched;
  }

  /** The participants kept for `group`, without asking the server. */
  cached(group: string): Promise<GroupParticipants | undefined> {
    return this.#load(group);
  }

  /** Replaces the kept participants (a `<create>` notification carries the whole group). */
  async set(info: GroupParticipants): Promise<void> {
    await this.#learn(info.participants);
    await this.#keep(info);
  }

  /** Adds participants to a kept group (an `<add>`); a group not kept stays unknown. */
  async add(group: string, participants: readonly GroupParticipant[]): Promise<void> {
    await this.#learn(participants);
    const known = await this.#load(group);
    if (known === undefined) return;
    const present = new Set(known.participants.map((p) => p.jid));
    const added = participants.filter((p) => !present.has(p.jid));
    await this.#keep({ ...known, participants: [...known.participants, ...added] });
  }

  /** Removes participants from a kept group (a `<remove>` or `<leave>`), by any of their names. */
  async remove(group: string, participants: readonly GroupParticipant[]): Promise<void> {
    const known = await this.#load(group);
    if (known === undefined) return;
    const gone = new Set(participants.flatMap((p) => [p.jid, p.lid, p.pn].filter((j) => j !== undefined)));
    const kept = known.participants.filter(
      (p) => ![p.jid, p.lid, p.pn].some((j) => j !== undefined && gone.has(j)),
    );
    await this.#keep({ ...known, participants: kept });
  }

  /** Forgets a group: the next send asks the server again. */
  async forget(group: string): Promise<void> {
    this.#changed(group);
    this.#known.delete(group);
    await this.#write(group, () => this.#host.kv.delete(NAMESPACE, group));
  }

  /** Forgets every group (the server said the account's groups changed unseen). */
  forgetAll(): Promise<void> {
    this.#forgotAll++;
    this.#changes.clear();
    this.#known.clear();
    const earlier = [...this.#writing.values()];
    const forgetting = (async () => {
      await Promise.allSettled(earlier);
      for (const group of await this.#host.kv.keys(NAMESPACE)) await this.#host.kv.delete(NAMESPACE, group);
    })().finally(() => {
      if (this.#forgettingAll === forgetting) this.#forgettingAll = undefined;
    });
    this.#forgettingAll = forgetting;
    return forgetting;
  }

  async #keep(info: GroupParticipants): Promise<void> {
    this.#changed(info.jid);
    this.#known.set(info.jid, info);
    await this.#write(info.jid, () => this.#host.kv.put(NAMESPACE, info.jid, encodeGroupParticipants(info)));
  }

  /** Runs `op` on the store after the group's earlier writes and any `forgetAll` under way. */
  async #write(group: string, op: () => Promise<void>): Promise<void> {
    const write = Promise.allSettled([this.#writing.get(group), this.#forgettingAll]).then(op);
    const settled = write.then(
      () => {},
      () => {},
    );
    this.#writing.set(group, settled);
    try {
      await write;
    } finally {
      if (this.#writing.get(group) === settled) this.#writing.delete(group);
    }
  }

  /**
   * The group from memory, else from the store (then kept in memory), else undefined. When changes
   * to the group keep overtaking the store read, the stored copy is dropped, so that neither this
   * caller nor a later one acts on a copy that may miss a change: the server is asked instead.
   */
  async #load(group: string): Promise<GroupParticipants | undefined> {
    for (let read = 0; read < MAX_OVERTAKEN_READS; read++) {
      const known = this.#known.get(group);
      if (known !== undefined) return known;
      const before = this.#version(group);
      await Promise.allSettled([this.#forgettingAll, this.#writing.get(group)]);
      const bytes = await this.#host.kv.get(NAMESPACE, group);
      // A change while the store answered: what it answered may be what the change replaced.
      if (this.#version(group) !== before) continue;
      if (bytes === undefined) return undefined;
      const stored = decodeGroupParticipants(group, bytes);
      if (stored === undefined) {
        // Another version's entry, or a damaged one: the server is asked, and its answer replaces it.
        this.#host.logger.warn?.('stored group participants do not read; asking the server', { group });
        return undefined;
      }
      this.#known.set(group, stored);
      return stored;
    }
    await this.forget(group);
    return undefined;
  }

  #changed(group: string): void {
    this.#changes.set(group, (this.#changes.get(group) ?? 0) + 1);
  }

  #version(group: string): string {
    return `${this.#forgotAll}:${this.#changes.get(group) ?? 0}`;
  }

  async #learn(participants: readonly GroupParticipant[]): Promise<void> {
    for (const p of participants) {
      if (p.lid !== undefined) await this.#host.peers.learn(p.lid, userJid(p.jid));
      else if (p.pn !== undefined) await this.#host.peers.learn(userJid(p.jid), p.pn);
    }
  }
}
