/**
 * Which devices a user has: usync `devices` (docs/protocol.md §6.8), cached in the store under the
 * canonical user and refreshed after `DEVICE_LIST_TTL_MS` or when a `<notification type="devices">`
 * says the list changed. One usync query covers every stale user of a send; it also asks for `lid`,
 * so a PN peer's LID is learned before the first session with it exists (no PN session to move).
 */

import type { BinaryNode } from '@wakit/binary-node';
import type { Store } from '../store/store';
import { deviceJid, userJid } from './jids';
import type { Peers } from './peers';
import { buildDeviceQuery, parseDeviceQuery } from './wire/usync';

/** How long a fetched device list is trusted without a notification (Baileys caches 5 minutes). */
export const DEVICE_LIST_TTL_MS = 5 * 60_000;

/** What the directory needs from the client. */
export interface DeviceDirectoryHost {
  readonly store: Store;
  readonly peers: Peers;
  now(): number;
  query(iq: BinaryNode): Promise<BinaryNode>;
  nextQueryId(): string;
}

/** Device lists by user, fetched when missing or stale. */
export class DeviceDirectory {
  readonly #host: DeviceDirectoryHost;
  /**
   * The lists in use, by canonical user, in front of the store (which keeps them across restarts):
   * every send reads two of them. This directory writes every list, so it never misses a change.
   */
  readonly #lists = new Map<string, { ids: number[]; fetchedAt: number }>();
  #generation = 0;

  constructor(host: DeviceDirectoryHost) {
    this.#host = host;
  }

  /**
   * Every device of every user in `users` (user JIDs, PN or LID), as device JIDs in the form the
   * user was given in (a stanza keeps one namespace, docs/protocol.md §7.1).
   */
  async devicesOf(users: readonly string[]): Promise<string[]> {
    return (await this.resolve(users)).devices;
  }

  /**
   * Moves whenever a list this directory answers with may have changed (fetched with other devices,
   * or dropped), so a result remembered at one generation is still right at the same generation
   * until `freshUntil` (`group-target-memo.ts`).
   */
  get generation(): number {
    return this.#generation;
  }

  /** `devicesOf`, and the clock time past which the oldest list it read is stale. */
  async resolve(users: readonly string[]): Promise<{ devices: string[]; freshUntil: number }> {
    const { store, peers } = this.#host;
    const ids = new Map<string, number[]>();
    const stale: string[] = [];
    let oldest = Number.POSITIVE_INFINITY;
    for (const user of users) {
      // Synchronous when no store read is needed (most users): no promise per member.
      const known = peers.resolve(user);
      const canonical = typeof known === 'string' ? known : await known;
      let list = this.#lists.get(canonical);
      if (list === undefined) {
        const stored = await store.devices.get(canonical);
        if (stored !== undefined) {
          list = { ids: stored.devices.map((d) => d.id), fetchedAt: stored.fetchedAt };
          this.#lists.set(canonical, list);
        }
      }
      if (list === undefined || this.#host.now() - list.fetchedAt > DEVICE_LIST_TTL_MS) stale.push(user);
      else {
        ids.set(user, list.ids);
        oldest = Math.min(oldest, list.fetchedAt);
      }
    }
    if (stale.length > 0) {
      // Fetched now, so at least as fresh as anything read above.
      oldest = Math.min(oldest, this.#host.now());
      for (const [user, fetched] of await this.#fetch(stale)) ids.set(user, fetched);
    }
    const devices = users.flatMap((user) => (ids.get(user) ?? []).map((id) => deviceJid(user, id)));
    return { devices, freshUntil: oldest + DEVICE_LIST_TTL_MS };
  }

  /** Forgets the cached list of `user` (a devices notification named it). */
  async invalidate(user: string): Promise<void> {
    const canonical = await this.#host.peers.canonical(userJid(user));
    this.#generation++;
    this.#lists.delete(canonical);
    await this.#host.store.devices.delete(canonical);
  }

  async #fetch(users: string[]): Promise<Map<string, number[]>> {
    const { store, peers } = this.#host;
    const reply = await this.#host.query(buildDeviceQuery(users, this.#host.nextQueryId()));
    const found = new Map<string, number[]>();
    for (const entry of parseDeviceQuery(reply)) {
      const user = userJid(entry.jid);
      if (entry.lid !== undefined) await peers.learn(entry.lid, user);
      const devices = entry.devices.map((d) => ({ id: d.id, keyIndex: d.keyIndex }));
      const canonical = await peers.canonical(user);
      const fetchedAt = this.#host.now();
      await store.devices.put({ user: canonical, devices, hash: entry.hash, fetchedAt });
      const ids = devices.map((d) => d.id);
      const before = this.#lists.get(canonical)?.ids;
      // A refresh that found the same devices changes no answer; anything else may.
      if (before === undefined || before.length !== ids.length || before.some((id, i) => id !== ids[i]))
        this.#generation++;
      this.#lists.set(canonical, { ids, fetchedAt });
      found.set(
        user,
        devices.map((d) => d.id),
      );
    }
    return found;
  }
}
