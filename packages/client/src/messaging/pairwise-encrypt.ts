/**
 * Encrypting on the pairwise sessions inside the caller's store transaction: the 1:1 send (the
 * message, per device) and the group send (our sender key's distribution message) both do it. Each
 * session is read, advanced and written back through the session cache, so the records the
 * transaction commits are the ones the stanza's ciphertexts came from.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { encryptWithRecord, NoSessionError } from '@wakit/signal';
import type { StoreView } from '../store/store';
import type { SessionCache } from './session-cache';
import type { OutgoingParticipant } from './wire/outgoing';

/** One device to encrypt for: its JID, its session address, what it gets. */
export interface PairwiseTarget {
  device: string;
  address: string;
  plaintext: Uint8Array;
}

/**
 * The `<participants>` entries for `targets`, in order, the advanced sessions stored in `tx`.
 *
 * @throws NoSessionError for a device without a session (callers ensure sessions first).
 */
export async function encryptPairwise(
  tx: StoreView,
  cache: SessionCache,
  crypto: CryptoProvider,
  targets: Iterable<PairwiseTarget>,
): Promise<OutgoingParticipant[]> {
  const out: OutgoingParticipant[] = [];
  for (const { device, address, plaintext } of targets) {
    const stored = await tx.loadSession(address);
    if (stored === undefined) throw new NoSessionError(`no session with ${device}`);
    const encrypted = await encryptWithRecord(cache.decode(address, stored), plaintext, { crypto });
    await tx.storeSession(address, cache.encode(address, encrypted.record));
    out.push({ jid: device, type: encrypted.message.type, ciphertext: encrypted.message.ciphertext });
  }
  return out;
}
