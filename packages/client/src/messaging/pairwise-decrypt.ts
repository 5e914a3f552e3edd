/**
 * Decrypting a pairwise `<enc>` (`pkmsg` or `msg`) inside the caller's store transaction: the 1:1
 * receive and a group message's per-device `<enc>` (which carries the sender's key) both do it.
 * The advanced session, the peer's identity and the consumed one-time prekey are written to `tx`,
 * so they commit with whatever the caller stores from the plaintext, or not at all.
 */
import {
  decryptPreKeyWithRecord,
  decryptWithRecord,
  NoSessionError,
  type RecordDecryptResult,
} from '@wakit/signal';
import type { StoreView } from '../store/store';
import { localIdentity, type Messaging } from './messaging';
import type { IncomingEnc } from './wire/incoming';

/**
 * Decrypts `enc` from `sender` on the session at `address`.
 *
 * @throws NoSessionError for a `msg` without a session; the signal errors of a failed decrypt.
 */
export async function decryptOnSession(
  m: Messaging,
  tx: StoreView,
  address: string,
  sender: string,
  enc: IncomingEnc,
): Promise<RecordDecryptResult> {
  const { host } = m;
  const stored = await tx.loadSession(address);
  const record = stored === undefined ? undefined : m.sessionCache.decode(address, stored);
  let result: RecordDecryptResult;
  if (enc.type === 'pkmsg') {
    result = await decryptPreKeyWithRecord(
      record,
      enc.ciphertext,
      localIdentity(host),
      { loadPreKey: (id) => tx.loadPreKey(id), loadSignedPreKey: (id) => tx.loadSignedPreKey(id) },
      { crypto: host.crypto },
    );
  } else {
    if (record === undefined) throw new NoSessionError(`no session with ${sender}`);
    result = await decryptWithRecord(record, enc.ciphertext, { crypto: host.crypto });
  }
  await tx.storeSession(address, m.sessionCache.encode(address, result.record));
  await tx.saveIdentity(address, result.remoteIdentityKey);
  if (result.preKeyId !== undefined) await tx.removePreKey(result.preKeyId);
  return result;
}
