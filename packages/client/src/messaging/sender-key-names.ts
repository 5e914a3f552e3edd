/**
 * Sender key names (docs/protocol.md §6.7): a group and a sender device's Signal address. Ours is
 * our device in the group's addressing namespace (whatsmeow and whatsapp-rust use the own LID for
 * LID groups); a participant's is its device in canonical form, like its session.
 */
import { emptySenderKeyRecord, encodeSenderKeyRecord, SenderKeyName } from '@wakit/signal';
import { ownDevice } from './host';
import { signalAddress } from './jids';
import type { Messaging } from './messaging';

/** The store key of the sender key of `device` in `group`. */
export function senderKeyName(group: string, device: string): string {
  return new SenderKeyName(group, signalAddress(device)).toString();
}

/**
 * Drops our sender key for `group` (under both our names) and every distribution mark, in one
 * transaction: the next send creates a new key and gives it to every participant device still in
 * the group, so a removed member cannot read what follows.
 */
export async function dropOwnSenderKey(m: Messaging, group: string): Promise<void> {
  const own = ownDevice(m.host);
  const empty = encodeSenderKeyRecord(emptySenderKeyRecord());
  await m.host.signalLock.run(() =>
    m.host.store.transaction(async (tx) => {
      for (const device of [own.pn, own.lid]) {
        if (device !== undefined) await tx.storeSenderKey(senderKeyName(group, device), empty);
      }
      await tx.senderKeyDevices.clear(group);
    }),
  );
  m.distributions.forget(group);
}
