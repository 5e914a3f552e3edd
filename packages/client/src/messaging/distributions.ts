/**
 * Which devices hold our sender key for a group, as a send decides whom to give it to
 * (docs/protocol.md §6.7). A device is marked in the store (`SenderKeyDeviceStore`) only once the
 * server acked the stanza that gave it our key. Marked in the send's own transaction instead, a
 * process that died between that commit and the write left devices marked that never got the key,
 * and its next message was undecryptable for them until a retry receipt came back (the crash test
 * in a group found it).
 *
 * Between the write and the ack the devices are in flight, kept here in memory, so a burst of sends
 * does not give them the key again and again. A new process knows nothing in flight, so a device
 * whose ack it never saw gets the key again: a duplicate distribution message is harmless, a
 * missing one is not. Each entry names the key (its id) it gave: a key made anew since does not
 * count as held through it, and an ack for an older key marks nothing.
 *
 * The marks are also kept in memory, per group with the id of the key they are for: every send to
 * a group asks who holds the key, and reading the marks from the store each time made a warm send
 * 1.69x slower on SQLite (all of a group's rows, every send) and 1.18x in memory. Every mark is
 * written here (`end`), so the copy cannot miss one the store has; a key made anew, or dropped
 * (`forget`), makes the copy stale, and the key id keeps a stale copy from being used. The copy may
 * hold fewer marks than the store (a read that crossed an `end`), which costs a duplicate
 * distribution, never more.
 */
import { decodeSenderKeyRecord } from '@wakit/signal';
import { remember } from '../_bounded-map';
import type { Mutex } from '../pipeline/mutex';
import type { Store, StoreView } from '../store/store';

/** Groups whose marks are kept in memory, the most recently sent to (each mark is a device JID). */
const MARKED_GROUPS = 256;

/** Devices given our key `keyId` in stanzas not acked yet, counted per stanza. */
interface InFlight {
  keyId: number;
  devices: Map<string, number>;
}

/** One stanza's distribution: the group, our sender key's name and id, and the devices given it. */
export interface Distribution {
  group: string;
  name: string;
  keyId: number;
  devices: readonly string[];
}

/** The in-flight distributions of one client, and the marks of the acked ones in its store. */
export class Distributions {
  readonly #store: Store;
  readonly #signalLock: Mutex;
  readonly #inFlight = new Map<string, InFlight>();
  /** The store's marks of a group, for the key `keyId` (see the header). */
  readonly #marked = new Map<string, { keyId: number; devices: Set<string> }>();

  constructor(store: Store, signalLock: Mutex) {
    this.#store = store;
    this.#signalLock = signalLock;
  }

  /**
   * The devices of `group` that hold our key `keyId` (the one stored now): marked, or being given
   * it right now. Do not change the set.
   */
  async held(group: string, keyId: number): Promise<ReadonlySet<string>> {
    let marked = this.#marked.get(group);
    if (marked?.keyId !== keyId) {
      marked = { keyId, devices: new Set(await this.#store.senderKeyDevices.get(group)) };
      remember(this.#marked, group, marked, MARKED_GROUPS);
    }
    const flying = this.#inFlight.get(group);
    if (flying === undefined || flying.keyId !== keyId) return marked.devices;
    return new Set([...marked.devices, ...flying.devices.keys()]);
  }

  /** Our key for `group` was made anew or dropped, and its marks cleared in the store. */
  forget(group: string): void {
    this.#marked.delete(group);
  }

  /** A stanza giving `keyId` to `devices` was committed and goes to the wire now. */
  begin({ group, keyId, devices }: Distribution): void {
    if (devices.length === 0) return;
    let entry = this.#inFlight.get(group);
    if (entry === undefined || entry.keyId !== keyId) {
      // A new key: what was in flight gave the old one.
      entry = { keyId, devices: new Map() };
      this.#inFlight.set(group, entry);
    }
    for (const device of devices) entry.devices.set(device, (entry.devices.get(device) ?? 0) + 1);
  }

  /**
   * The stanza of `distribution` was acked (`acked`) or will not be (`!acked`: refused, timed
   * out, the connection closed). Acked, its devices are marked in the store if our key `name` is
   * still `keyId`. Either way they are no longer in flight.
   */
  async end(distribution: Distribution, acked: boolean): Promise<void> {
    const { group, name, keyId, devices } = distribution;
    if (devices.length === 0) return;
    try {
      // Under the Signal lock, in one transaction: a key dropped meanwhile (a member left) is not
      // marked as held by anyone.
      if (acked) {
        const current = await this.#signalLock.run(() =>
          this.#store.transaction(async (tx) => {
            const current = await currentKeyId(tx, name);
            if (current === keyId) await tx.senderKeyDevices.add(group, devices);
            return current;
          }),
        );
        const marked = this.#marked.get(group);
        if (current === keyId && marked?.keyId === keyId)
          for (const device of devices) marked.devices.add(device);
      }
    } finally {
      const entry = this.#inFlight.get(group);
      if (entry !== undefined && entry.keyId === keyId) {
        for (const device of devices) {
          const left = (entry.devices.get(device) ?? 0) - 1;
          if (left > 0) entry.devices.set(device, left);
          else entry.devices.delete(device);
        }
        if (entry.devices.size === 0) this.#inFlight.delete(group);
      }
    }
  }
}

/** The id of our current sender key under `name`, if one with its private half is stored. */
async function currentKeyId(store: StoreView, name: string): Promise<number | undefined> {
  const stored = await store.loadSenderKey(name);
  const state = stored === undefined ? undefined : decodeSenderKeyRecord(stored).states[0];
  return state?.signingPrivateKey === undefined ? undefined : state.keyId;
}
