/**
 * `GroupSessionBuilder`: creates our sender key for a group (and its SKDM) and takes in the SKDMs of
 * other senders, over a `SenderKeyStore`. A thin shell around `sender-key-distribution.ts`, with the
 * same per-name ordering as `GroupCipher` (the two share it, so an SKDM processed while a decrypt for
 * the same sender runs waits for it rather than being overwritten by it).
 */

import { loadSenderKeyRecord } from './_sender-key-store';
import { withStoreLock } from './_store-lock';
import type { SenderKeyName } from './address';
import type { SenderKeyOptions } from './sender-key-cipher';
import {
  type CreateSenderKeyOptions,
  createSenderKeyDistributionMessage,
  processSenderKeyDistributionMessage,
} from './sender-key-distribution';
import type { SenderKeyDistributionMessage } from './sender-key-distribution-message';
import { encodeSenderKeyRecord } from './sender-key-record-codec';
import type { SenderKeyStore } from './store';

/**
 * @example
 * const builder = new GroupSessionBuilder(store, { crypto: nodeCrypto });
 * const skdm = await builder.create(new SenderKeyName(groupJid, ourAddress));
 * // send skdm.serialized to each participant device, inside Message.senderKeyDistributionMessage
 *
 * await builder.process(new SenderKeyName(groupJid, senderAddress), axolotlSkdmBytes);
 */
export class GroupSessionBuilder {
  constructor(
    private readonly store: SenderKeyStore,
    private readonly options: SenderKeyOptions = {},
  ) {}

  /**
   * Our SKDM for `senderKeyName` (our own address in the group), creating and storing the sender key
   * first when there is none, or when `options.rotate` asks for a new one. An existing key is reused
   * and nothing is stored.
   */
  create(
    senderKeyName: SenderKeyName,
    options: Pick<CreateSenderKeyOptions, 'rotate'> = {},
  ): Promise<SenderKeyDistributionMessage> {
    const key = senderKeyName.toString();
    return withStoreLock(this.store, key, async () => {
      const record = await loadSenderKeyRecord(this.store, key);
      const result = await createSenderKeyDistributionMessage(record, { ...this.options, ...options });
      if (result.created) await this.store.storeSenderKey(key, encodeSenderKeyRecord(result.record));
      return result.message;
    });
  }

  /**
   * Stores the sender key an SKDM (its bytes, or a decoded one) carries, for decrypting what
   * `senderKeyName`'s sender sends. The stored record is unchanged when the SKDM is malformed.
   */
  process(senderKeyName: SenderKeyName, skdm: Uint8Array | SenderKeyDistributionMessage): Promise<void> {
    const key = senderKeyName.toString();
    return withStoreLock(this.store, key, async () => {
      const record = await loadSenderKeyRecord(this.store, key);
      await this.store.storeSenderKey(
        key,
        encodeSenderKeyRecord(processSenderKeyDistributionMessage(record, skdm)),
      );
    });
  }
}
