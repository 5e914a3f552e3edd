/**
 * The sender-key marks (`SenderKeyDeviceStore`, `store.ts`) of a `MemoryStore` and of a
 * transaction's view, in one file: the two read and write the same shape, and the view's rules
 * (writes recorded, reads through them to the store) are those of `transaction-view.ts`.
 */
import { checkString } from './_validate';
import { compareCodePoints } from './_write-set';
import type { OpenState } from './memory-sub-stores';
import type { SenderKeyDeviceStore } from './store';
import type { TransactionState } from './transaction-view';

/** The devices argument, checked: an array of strings (copied, so the caller may change it). */
export function checkDevices(devices: readonly string[]): string[] {
  if (!Array.isArray(devices)) throw new TypeError('"devices" expected an array of device JIDs');
  return devices.map((device, i) => checkString(`devices[${i}]`, device));
}

/** Sender-key marks of a `MemoryStore`. */
export class MemorySenderKeyDevices implements SenderKeyDeviceStore {
  constructor(readonly open: OpenState) {}

  async get(group: string): Promise<string[]> {
    // Kept sorted (`MemoryState.addMarks`): a copy, so the caller may change it.
    return [...(this.open().senderKeyDevices.get(checkString('group', group)) ?? [])];
  }

  async add(group: string, devices: readonly string[]): Promise<void> {
    checkString('group', group);
    this.open().addMarks(group, checkDevices(devices));
  }

  async clear(group: string): Promise<void> {
    this.open().senderKeyDevices.delete(checkString('group', group));
  }
}

/** Sender-key marks inside a transaction. */
export class TransactionSenderKeyDevices implements SenderKeyDeviceStore {
  constructor(readonly tx: TransactionState) {}

  async get(group: string): Promise<string[]> {
    const stored = await this.tx.base.senderKeyDevices.get(checkString('group', group));
    // Looked up after the read, so writes recorded meanwhile count too.
    const recorded = this.tx.live().senderKeyDevices.get(group);
    const marks = new Set(recorded?.cleared === true ? [] : stored);
    for (const device of recorded?.added ?? []) marks.add(device);
    return [...marks].sort(compareCodePoints);
  }

  async add(group: string, devices: readonly string[]): Promise<void> {
    checkString('group', group);
    const checked = checkDevices(devices);
    const recorded = this.#recorded(group);
    for (const device of checked) recorded.added.add(device);
  }

  async clear(group: string): Promise<void> {
    checkString('group', group);
    const recorded = this.#recorded(group);
    recorded.cleared = true;
    recorded.added.clear();
  }

  #recorded(group: string): { cleared: boolean; added: Set<string> } {
    const { senderKeyDevices } = this.tx.live();
    let recorded = senderKeyDevices.get(group);
    if (recorded === undefined) {
      recorded = { cleared: false, added: new Set() };
      senderKeyDevices.set(group, recorded);
    }
    return recorded;
  }
}
