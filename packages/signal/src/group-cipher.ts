/**
 * `GroupCipher`: `skmsg` encryption and decryption for one sender key name, over a `SenderKeyStore`.
 * A thin shell around `groupEncrypt` / `groupDecrypt` (`sender-key-cipher.ts`) that adds loading,
 * storing and per-name ordering.
 *
 * Persistence contract (docs/architecture.md, Persistence):
 * - `encrypt` stores the advanced record before it returns the ciphertext, so a ciphertext never
 *   reaches the wire ahead of its state, and a crash can at worst skip an iteration, never reuse
 *   one. A store that fails to write must throw: the encrypt then fails and returns nothing.
 * - `decrypt` works on a copy decoded from the stored bytes and stores only when it succeeds: after
 *   any error the stored bytes are exactly what they were.
 * - Calls for the same store and name run one at a time, in call order. Across processes sharing a
 *   store, the caller must serialise them (a transaction around each call).
 */

import { loadSenderKeyRecord } from './_sender-key-store';
import { withStoreLock } from './_store-lock';
import type { SenderKeyName } from './address';
import { NoSenderKeyError } from './errors';
import { groupDecrypt, groupEncrypt, type SenderKeyOptions } from './sender-key-cipher';
import { encodeSenderKeyRecord } from './sender-key-record-codec';
import type { SenderKeyStore } from './store';

/**
 * @example
 * const cipher = new GroupCipher(store, new SenderKeyName(groupJid, ourAddress), { crypto: nodeCrypto });
 * const skmsg = await cipher.encrypt(paddedMessage); // after GroupSessionBuilder#create
 *
 * const theirs = new GroupCipher(store, new SenderKeyName(groupJid, senderAddress));
 * const plaintext = await theirs.decrypt(skmsg); // after GroupSessionBuilder#process of their SKDM
 */
export class GroupCipher {
  private readonly key: string;

  constructor(
    private readonly store: SenderKeyStore,
    readonly senderKeyName: SenderKeyName,
    private readonly options: SenderKeyOptions = {},
  ) {
    this.key = senderKeyName.toString();
  }

  /**
   * Encrypts with our sender key for this name and stores the advanced chain before returning.
   *
   * @throws NoSenderKeyError when `GroupSessionBuilder#create` has not run for this name.
   */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return withStoreLock(this.store, this.key, async () => {
      const record = await loadSenderKeyRecord(this.store, this.key);
      if (record === undefined) throw new NoSenderKeyError(`no sender key for ${this.key}`);
      const result = await groupEncrypt(record, plaintext, this.options);
      await this.store.storeSenderKey(this.key, encodeSenderKeyRecord(result.record));
      return result.ciphertext;
    });
  }

  /**
   * Verifies and decrypts an `skmsg` from this name's sender; stores the record only on success.
   * Errors are those of `groupDecrypt`, plus RecordFormatError when the stored record is corrupt.
   */
  decrypt(skmsg: Uint8Array): Promise<Uint8Array> {
    return withStoreLock(this.store, this.key, async () => {
      const record = await loadSenderKeyRecord(this.store, this.key);
      const result = await groupDecrypt(record, skmsg, this.options);
      await this.store.storeSenderKey(this.key, encodeSenderKeyRecord(result.record));
      return result.plaintext;
    });
  }
}
