/** What the crash test's child writes at step i, shared by the child and the checks. */
import type { PreKey } from '../src/store/store';
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
