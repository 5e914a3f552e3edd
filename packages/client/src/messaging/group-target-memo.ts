/**
 * The devices a group send goes to, and their `phash`, remembered per group between sends
 * (whatsapp-rust keeps a per-group device memo the same way). Resolving them costs one lookup per
 * member, and the `phash` one JID format, sort and SHA-256 over every device: on a warm send to a
 * large group that was most of what grows with its size.
 *
 * An entry is used only while everything it was made from is unchanged, so no caller has to
 * remember to invalidate it:
 * - the group's participants: `Groups` replaces its record object on every change (`w:gp2` add,
 *   remove, create, and `forget` on a `phash` mismatch), so the entry keeps the object it read;
 * - the device lists: `DeviceDirectory.generation` moves when a list changes or is dropped (a
 *   devices notification, a `phash` mismatch);
 * - the LID <-> PN map, which picks the list a member's name reads: `Peers.generation`;
 * - the sending device's name in the group's namespace;
 * - the lists' age: past the oldest list's `DEVICE_LIST_TTL_MS` the entry is stale, as the lists are.
 */
import { remember } from '../_bounded-map';
import type { GroupParticipants } from './wire/group-participants';

/** The devices a group send goes to, and the sending device. */
export interface GroupTargets {
  /** Our device in the group's addressing namespace. */
  self: string;
  /** Every participant device but `self`, in the group's namespace. */
  readonly devices: readonly string[];
  addressingMode: 'pn' | 'lid';
  /** `participantHash` of `devices` and `self`. */
  phash: string;
}

/** What an entry was resolved from; it is used again only when all of this still holds. */
export interface GroupTargetInputs {
  info: GroupParticipants;
  self: string;
  directoryGeneration: number;
  peersGeneration: number;
}

interface Entry extends GroupTargetInputs {
  /** The clock time past which the oldest device list read is stale. */
  freshUntil: number;
  targets: GroupTargets;
}

/** Remembered group targets, by group JID; bounded (the oldest entry goes first). */
export class GroupTargetMemo {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;

  constructor(capacity = 500) {
    this.#capacity = capacity;
  }

  /** The targets remembered for `group`, when they were resolved from exactly `inputs` and are fresh at `now`. */
  get(group: string, inputs: GroupTargetInputs, now: number): GroupTargets | undefined {
    const entry = this.#entries.get(group);
    if (
      entry === undefined ||
      entry.info !== inputs.info ||
      entry.self !== inputs.self ||
      entry.directoryGeneration !== inputs.directoryGeneration ||
      entry.peersGeneration !== inputs.peersGeneration ||
      now > entry.freshUntil
    )
      return undefined;
    return entry.targets;
  }

  /**
   * Remembers `targets` as resolved from `inputs` (read BEFORE resolving, so a change made while
   * resolving makes the entry miss) with device lists fresh until `freshUntil`.
   */
  put(group: string, inputs: GroupTargetInputs, freshUntil: number, targets: GroupTargets): void {
    remember(this.#entries, group, { ...inputs, freshUntil, targets }, this.#capacity);
  }
}
