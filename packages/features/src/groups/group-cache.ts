/**
 * The groups module's metadata cache: in memory and in the module's store namespace (so it
 * survives a restart), one entry per group, `queryInfo`'s source.
 *
 * A fetch and a notification about the same group can cross: the reply to a query sent before a
 * change may be read after the change's notification was applied. So every change (a notification
 * applied, an entry dropped) bumps the group's generation, and a fetched answer is kept only when
 * the generation is still the one read before the query was sent; otherwise it is returned to its
 * caller but not kept, and the next `queryInfo` asks again.
 */
import type { ModuleData } from '@wakit/client';
import type { GroupMetadata } from './group-metadata';

const KEY_PREFIX = 'group:';

/** Group metadata by group JID, with the generation rule above. */
export class GroupCache {
  readonly #data: ModuleData;
  readonly #memory = new Map<string, GroupMetadata>();
  readonly #generations = new Map<string, number>();

  constructor(data: ModuleData) {
    this.#data = data;
  }

  /** The group's generation now: pass it to `keepFetched` with what a query then answered. */
  generation(jid: string): number {
    return this.#generations.get(jid) ?? 0;
  }

  /** Every group's generation now, for a query about many groups. */
  generations(): (jid: string) => number {
    const now = new Map(this.#generations);
    return (jid) => now.get(jid) ?? 0;
  }

  /** The held metadata of `jid`, from memory or the store. */
  async get(jid: string): Promise<GroupMetadata | undefined> {
    const held = this.#memory.get(jid);
    if (held !== undefined) return held;
    const since = this.generation(jid);
    const stored = await this.#data.getJson<GroupMetadata>(KEY_PREFIX + jid);
    // Dropped or replaced while it was being read: what was read is no longer the entry.
    if (this.generation(jid) !== since) return this.#memory.get(jid);
    if (stored !== undefined) this.#memory.set(jid, stored);
    return stored;
  }

  /** The JIDs of the groups held (in memory or in the store). */
  async held(): Promise<string[]> {
    const stored = (await this.#data.keys()).filter((key) => key.startsWith(KEY_PREFIX));
    return [...new Set([...this.#memory.keys(), ...stored.map((key) => key.slice(KEY_PREFIX.length))])];
  }

  /** Keeps `metadata`, fetched when the group's generation was `since`, unless it changed since. */
  async keepFetched(metadata: GroupMetadata, since: number): Promise<boolean> {
    if (this.generation(metadata.jid) !== since) return false;
    await this.#write(metadata);
    return true;
  }

  /** Replaces the group's entry with `metadata` (a notification's result): a new generation. */
  async replace(metadata: GroupMetadata): Promise<void> {
    this.#bump(metadata.jid);
    await this.#write(metadata);
  }

  /** Drops the entry of `jid`, read at generation `since`, unless it changed since. */
  async dropUnless(jid: string, since: number): Promise<void> {
    if (this.generation(jid) === since) await this.invalidate(jid);
  }

  /** Drops the group's entry (stale, or no longer ours to follow): a new generation. */
  async invalidate(jid: string): Promise<void> {
    this.#bump(jid);
    this.#memory.delete(jid);
    await this.#data.delete(KEY_PREFIX + jid);
  }

  async #write(metadata: GroupMetadata): Promise<void> {
    this.#memory.set(metadata.jid, metadata);
    await this.#data.putJson(KEY_PREFIX + metadata.jid, metadata);
  }

  #bump(jid: string): void {
    this.#generations.set(jid, this.generation(jid) + 1);
  }
}
