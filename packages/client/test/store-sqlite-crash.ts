/** What the crash tests' child writes at step i, shared by the child and the checks. */
import type { PreKey, StoreView } from '../src/store/store';
import { bytes, keyPair } from './store-fixtures';

/** Prekeys per step: one batch, one transaction. */
export const CRASH_BATCH = 5;

/** The session record of step i: its length and bytes both depend on i. */
export function crashRecord(i: number): Uint8Array {
  return bytes(100 + (i % 50), i);
}

/** The prekey batch of step i: ids CRASH_BATCH*i+1 .. CRASH_BATCH*(i+1). */
export function crashPreKeys(i: number): PreKey[] {
  return Array.from({ length: CRASH_BATCH }, (_, j) => {
    const keyId = CRASH_BATCH * i + j + 1;
    return { keyId, keyPair: keyPair(keyId) };
  });
}

/**
 * Writes step i of the transaction crash test through `view`: one value in every table, so a
 * commit cut short anywhere would leave some of them without the others.
 */
export async function writeCrashStep(view: StoreView, i: number): Promise<void> {
  await view.storeSession(`peer.${i}`, crashRecord(i));
  await view.saveIdentity(`peer.${i}`, bytes(33, i));
  await view.storePreKeys(crashPreKeys(i));
  await view.storeSenderKey(`g@g.us::peer::${i}`, crashRecord(i + 1));
  await view.devices.put({ user: `${i}@lid`, devices: [{ id: 0 }, { id: i + 1 }], fetchedAt: i });
  await view.lids.put(`${i}@lid`, `${i}@s.whatsapp.net`);
  await view.received.add({ chat: 'c', sender: 's', id: `m${i}` }, i);
  await view.sent.put({ chat: 'c', id: `m${i}`, message: crashRecord(i + 2), at: i });
  await view.kv.put('crash', `k${i}`, crashRecord(i + 3));
}

/** For each value step i writes, whether `store` holds exactly it. */
export async function crashStepParts(store: StoreView, i: number): Promise<Record<string, boolean>> {
  const same = (a: Uint8Array | undefined, b: Uint8Array) =>
    a !== undefined && a.length === b.length && a.every((byte, j) => byte === b[j]);
  const preKeys = await Promise.all(crashPreKeys(i).map(({ keyId }) => store.loadPreKey(keyId)));
  const list = await store.devices.get(`${i}@lid`);
  const sent = await store.sent.get('c', `m${i}`);
  return {
    session: same(await store.loadSession(`peer.${i}`), crashRecord(i)),
    identity: same(await store.getIdentity(`peer.${i}`), bytes(33, i)),
    preKeys: preKeys.every((keyPair, j) => same(keyPair?.privateKey, crashPreKeys(i)[j]!.keyPair.privateKey)),
    senderKey: same(await store.loadSenderKey(`g@g.us::peer::${i}`), crashRecord(i + 1)),
    devices: list?.devices[1]?.id === i + 1,
    lid: (await store.lids.getLid(`${i}@s.whatsapp.net`)) === `${i}@lid`,
    received: await store.received.has({ chat: 'c', sender: 's', id: `m${i}` }),
    sent: sent !== undefined && same(sent.message, crashRecord(i + 2)),
    kv: same(await store.kv.get('crash', `k${i}`), crashRecord(i + 3)),
  };
}
