/**
 * Per-user Signal state inside a transaction: the store's sessions, identities and sender keys of a
 * name, corrected by the transaction's recorded writes to addresses of that name (see
 * `_signal-address.ts` and `_sender-key-name.ts` for which keys those are).
 */
import { isSenderKeyOf, senderKeyRenamed } from './_sender-key-name';
import { addressOf, deviceIdOf } from './_signal-address';
import { checkSignalName } from './_validate';
import { DELETED, type Slot } from './_write-set';
import type { SignalUserStore, StoreView } from './store';
import type { TransactionState } from './transaction-view';

/** `stored` device ids of `name` with the recorded writes to its addresses applied, ascending. */
function withRecorded(
  stored: readonly number[],
  recorded: Map<string, Slot<Uint8Array>>,
  name: string,
): number[] {
  const ids = new Set(stored);
  for (const [address, slot] of recorded) {
    const id = deviceIdOf(address, name);
    if (id === undefined) continue;
    if (slot === DELETED) ids.delete(id);
    else ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** What moving one table's entries from one name to another writes: address -> value or tombstone. */
type Move = [address: string, value: Slot<Uint8Array>][];

/** Sessions and identities by user inside a transaction. */
export class TransactionSignalUsers implements SignalUserStore {
  constructor(
    readonly tx: TransactionState,
    /** The transaction's view, whose reads see the recorded writes. */
    readonly view: StoreView,
  ) {}

  async sessionDevices(name: string): Promise<number[]> {
    checkSignalName('name', name);
    const writes = this.tx.live();
    const stored = await this.tx.base.signalUsers.sessionDevices(name);
    return withRecorded(stored, writes.sessions, name);
  }

  async deleteSessions(name: string): Promise<number> {
    const devices = await this.sessionDevices(name);
    const { sessions } = this.tx.live();
    for (const id of devices) sessions.set(addressOf(name, id), DELETED);
    return devices.length;
  }

  async deleteIdentities(name: string): Promise<number> {
    const devices = await this.#identityDevices(name);
    const { identities } = this.tx.live();
    for (const id of devices) identities.set(addressOf(name, id), DELETED);
    return devices.length;
  }

  async moveUser(from: string, to: string): Promise<void> {
    checkSignalName('from', from);
    checkSignalName('to', to);
    this.tx.live();
    if (from === to) return;
    const sessions = await this.#move(
      from,
      to,
      (name) => this.sessionDevices(name),
      (a) => this.view.loadSession(a),
    );
    const identities = await this.#move(
      from,
      to,
      (name) => this.#identityDevices(name),
      (a) => this.view.getIdentity(a),
    );
    const senderKeys = await this.#moveSenderKeys(from, to);
    // Every read done: the writes are recorded together, or (settled meanwhile) not at all.
    const writes = this.tx.live();
    for (const [address, value] of sessions) writes.sessions.set(address, value);
    for (const [address, value] of identities) writes.identities.set(address, value);
    for (const [name, value] of senderKeys) writes.senderKeys.set(name, value);
  }

  async #identityDevices(name: string): Promise<number[]> {
    checkSignalName('name', name);
    const writes = this.tx.live();
    const stored = await this.tx.listings.identityDevices(name);
    return withRecorded(stored, writes.identities, name);
  }

  /** The writes that move `from`'s sender keys to `to`, keeping the keys `to` already has. */
  async #moveSenderKeys(from: string, to: string): Promise<Move> {
    const names = new Set(await this.tx.listings.senderKeysOf(from));
    for (const [name, slot] of this.tx.live().senderKeys) {
      if (!isSenderKeyOf(name, from)) continue;
      if (slot === DELETED) names.delete(name);
      else names.add(name);
    }
    const move: Move = [];
    for (const source of names) {
      const target = senderKeyRenamed(source, from, to)!;
      if ((await this.view.loadSenderKey(target)) === undefined) {
        const value = await this.view.loadSenderKey(source);
        if (value !== undefined) move.push([target, value]);
      }
      move.push([source, DELETED]);
    }
    return move;
  }

  /** The writes that move `from`'s entries of one table to `to`, keeping entries `to` already has. */
  async #move(
    from: string,
    to: string,
    devicesOf: (name: string) => Promise<number[]>,
    load: (address: string) => Promise<Uint8Array | undefined>,
  ): Promise<Move> {
    const [fromDevices, toDevices] = await Promise.all([devicesOf(from), devicesOf(to)]);
    const kept = new Set(toDevices);
    const move: Move = [];
    for (const id of fromDevices) {
      if (!kept.has(id)) {
        const value = await load(addressOf(from, id));
        if (value !== undefined) move.push([addressOf(to, id), value]);
      }
      move.push([addressOf(from, id), DELETED]);
    }
    return move;
  }
}
