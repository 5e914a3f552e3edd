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
 */
import { decodeSenderKeyRecord } from '@wakit/signal';
import type { Mutex } from '../pipeline/mutex';
import type { Store, StoreView } from '../store/store';

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

  constructor(store: Store, signalLock: Mutex) {
    this.#store = store;
    this.#signalLock = signalLock;
  }

  /** Devices of `group` being given our key `keyId` right now. */
  inFlight(group: string, keyId: number | undefined): string[] {
    const entry = this.#inFlight.get(group);
    return entry === undefined || entry.keyId !== keyId ? [] : [...entry.devices.keys()];
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
      if (acked)
        await this.#signalLock.run(() =>
          this.#store.transaction(async (tx) => {
            if ((await currentKeyId(tx, name)) === keyId) await tx.senderKeyDevices.add(group, devices);
          }),
        );
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
