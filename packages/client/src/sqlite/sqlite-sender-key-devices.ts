/** The sender-key marks (`SenderKeyDeviceStore`, `store.ts`) of a `SqliteStore`: one row per (group, device). */

import { checkString } from '../store/_validate';
import { checkDevices } from '../store/sender-key-devices';
import type { SenderKeyDeviceStore } from '../store/store';
import type { SqliteContext } from './sqlite-sub-stores';
import { textOut } from './sub-store-rows';

/** Sender-key marks of a `SqliteStore`. */
export class SqliteSenderKeyDevices implements SenderKeyDeviceStore {
  constructor(readonly context: SqliteContext) {}

  async get(group: string): Promise<string[]> {
    const rows = this.context.statements().getSenderKeyDevices.all(checkString('group', group));
    return rows.map((row) => textOut(row.value, 'sender_key_devices.device'));
  }

  async add(group: string, devices: readonly string[]): Promise<void> {
    checkString('group', group);
    const checked = checkDevices(devices);
    const statements = this.context.statements();
    // All or none: one transaction for the batch.
    this.context.immediate(() => {
      for (const device of checked) statements.addSenderKeyDevice.run(group, device);
    });
  }

  async clear(group: string): Promise<void> {
    this.context.statements().clearSenderKeyDevices.run(checkString('group', group));
  }
}
