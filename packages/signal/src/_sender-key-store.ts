/**
 * Loading a sender-key record from a store: the one place that turns stored bytes into a fresh,
 * decoded record (so a failed operation has nothing in memory to roll back). Internal.
 */
import type { SenderKeyRecord } from './sender-key-record';
import { decodeSenderKeyRecord } from './sender-key-record-codec';
import type { SenderKeyStore } from './store';

/** The record stored under `name`, decoded; undefined when the store has none. */
export async function loadSenderKeyRecord(
  store: SenderKeyStore,
  name: string,
): Promise<SenderKeyRecord | undefined> {
  // `?? undefined`: stores backed by databases tend to answer `null`, whatever the interface says.
  const bytes = (await store.loadSenderKey(name)) ?? undefined;
  return bytes === undefined ? undefined : decodeSenderKeyRecord(bytes);
}
