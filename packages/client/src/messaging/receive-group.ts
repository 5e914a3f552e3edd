/**
 * Receiving a group message (docs/protocol.md §6.7, §7.2; whatsmeow `decryptMessages`): the stanza
 * carries, for this device, an optional pairwise `<enc type=pkmsg|msg>` and then the
 * `<enc type=skmsg>`.
 *
 *   pairwise enc? --> decrypt with the sender device's session; an SKDM inside is stored as the
 *     |               sender's key for (group, sender device); committed on its own (tx 1)
 *   skmsg? -------> decrypt with that sender key (out of order within its window: @wakit/signal);
 *     |               the sender key, the dedupe key and the inbox entry in one transaction (tx 2)
 *   no skmsg -----> the pairwise message is the content (a resend after a retry receipt carries
 *                   the message and a fresh SKDM together); an SKDM alone emits nothing
 *
 * The pairwise step is committed before the skmsg is tried: a failed skmsg must not undo a session
 * step and SKDM the sender already counts as delivered. A failure of the content's decrypt sends a
 * group retry receipt (with `participant`, `retry-receipt.ts`); the sender answers pairwise.
 */

import { isWakitError } from '@wakit/errors';
import { clone, type Message, MessageSchema } from '@wakit/proto';
import {
  decodeSenderKeyRecord,
  encodeSenderKeyRecord,
  groupDecrypt,
  isSignalError,
  processSenderKeyDistributionMessage,
  RecordFormatError,
} from '@wakit/signal';
import { MessageDecodeError } from '../errors';
import type { Stanza } from '../pipeline/stanza-handler';
import type { MessageKey, StoreView } from '../store/store';
import { deviceJid, parseJid, userJid } from './jids';
import type { MessageInfo } from './message-events';
import type { Messaging } from './messaging';
import { decryptOnSession } from './pairwise-decrypt';
import { sendRetryReceipt } from './retry-receipt';
import { senderKeyName } from './sender-key-names';
import { sessionAddress } from './sessions';
import type { IncomingEnc, IncomingMessage } from './wire/incoming';
import { decodeMessage, encodeMessage } from './wire/message-codec';
import { unpadPlaintext } from './wire/padding';

/** What a committed group receive gives the caller (see `receive.ts` for the inbox keys). */
export interface GroupReceived {
  message: Message | undefined;
  decodeError: unknown;
  inboxKey: string | undefined;
  flushed: string[];
}

/**
 * Decrypts and commits a group message. Resolves with undefined when it did not decrypt (a retry
 * receipt went out) or when it only carried an SKDM.
 */
export async function receiveGroupMessage(
  m: Messaging,
  stanza: Stanza,
  incoming: IncomingMessage,
  key: MessageKey,
  info: MessageInfo,
): Promise<GroupReceived | 'skdm-only' | undefined> {
  const pairwise = incoming.encs.find((e) => e.type === 'pkmsg' || e.type === 'msg');
  const skmsg = incoming.encs.find((e) => e.type === 'skmsg');
  const name = senderKeyName(incoming.chat, key.sender);
  let content: Message | undefined;
  if (pairwise !== undefined) {
    try {
      content = await decryptPairwise(m, incoming, pairwise, name, skmsg === undefined ? key : undefined);
    } catch (error) {
      if (!isSignalError(error) && !(error instanceof MessageDecodeError)) throw error;
      // With an skmsg present, the content may still decrypt with a key we already hold.
      if (skmsg === undefined) {
        await sendRetryReceipt(m, stanza, incoming, key, error);
        return undefined;
      }
      m.host.logger.warn?.('the pairwise part of a group message did not decrypt', {
        id: incoming.id,
        error,
      });
    }
  }
  if (skmsg === undefined) {
    if (content === undefined) return 'skdm-only';
    return commitContent(m, key, info, async () => content!);
  }
  try {
    return await commitContent(m, key, info, async (tx) => {
      const result = await groupDecrypt(await storedRecord(tx, name, m.host), skmsg.ciphertext, {
        crypto: m.host.crypto,
      });
      await tx.storeSenderKey(name, encodeSenderKeyRecord(result.record));
      return decodeMessage(unpadPlaintext(result.plaintext, skmsg.v));
    });
  } catch (error) {
    if (!isSignalError(error)) throw error;
    await sendRetryReceipt(m, stanza, incoming, key, error);
    return undefined;
  }
}

/**
 * Decrypts the pairwise `<enc>`, stores an SKDM it carries, commits; resolves with the message when
 * it has content besides the SKDM. With `key` (no skmsg follows) a message without content is
 * recorded as received in the same transaction.
 */
async function decryptPairwise(
  m: Messaging,
  incoming: IncomingMessage,
  enc: IncomingEnc,
  name: string,
  key: MessageKey | undefined,
): Promise<Message | undefined> {
  const { host } = m;
  const address = await sessionAddress(m.peers, incoming.sender);
  return host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      const result = await decryptOnSession(m, tx, address, incoming.sender, enc);
      const message = decodeMessage(unpadPlaintext(result.plaintext, enc.v));
      const skdm = message.senderKeyDistributionMessage?.axolotlSenderKeyDistributionMessage;
      if (skdm !== undefined && skdm.length > 0) {
        const next = processSenderKeyDistributionMessage(await storedRecord(tx, name, host), skdm);
        await tx.storeSenderKey(name, encodeSenderKeyRecord(next));
      }
      const content = withoutDistribution(message);
      if (content === undefined && key !== undefined) await tx.received.add(key, host.timers.now());
      return content;
    }),
  );
}

/** Runs `decrypt` and records the key and inbox entry of its message, in one transaction. */
function commitContent(
  m: Messaging,
  key: MessageKey,
  info: MessageInfo,
  decrypt: (tx: StoreView) => Promise<Message>,
): Promise<GroupReceived> {
  const { host } = m;
  return host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      let message: Message;
      try {
        message = await decrypt(tx);
      } catch (error) {
        // The key was consumed all the same: record it, report the plaintext as malformed.
        if (!(error instanceof MessageDecodeError)) throw error;
        await tx.received.add(key, host.timers.now());
        return { message: undefined, decodeError: error, inboxKey: undefined, flushed: [] };
      }
      const now = host.timers.now();
      await tx.received.add(key, now);
      const inboxKey = `${String(now).padStart(15, '0')} ${key.chat} ${key.sender} ${key.id}`;
      const flushed = await m.inbox.stage(tx, inboxKey, info, encodeMessage(message));
      return { message, decodeError: undefined, inboxKey, flushed };
    }),
  );
}

/**
 * The message without its `senderKeyDistributionMessage` (and the context info that rides along),
 * or undefined when nothing else is in it (a distribution only).
 */
export function withoutDistribution(message: Message): Message | undefined {
  if (message.senderKeyDistributionMessage === undefined) return message;
  const rest = clone(MessageSchema, message);
  rest.senderKeyDistributionMessage = undefined;
  const probe = clone(MessageSchema, rest);
  probe.messageContextInfo = undefined;
  return encodeMessage(probe).length === 0 ? undefined : rest;
}

/** The sender device of a group message in canonical form (its user's LID when known). */
export async function canonicalSender(m: Messaging, device: string): Promise<string> {
  return deviceJid(await m.peers.canonical(userJid(device)), parseJid(device).device);
}

/**
 * The sender's stored record, or none when it is unreadable: a new SKDM replaces a damaged record
 * rather than being refused over it (the sender sent it to repair exactly this).
 */
async function storedRecord(tx: StoreView, name: string, host: Messaging['host']) {
  const stored = await tx.loadSenderKey(name);
  if (stored === undefined) return undefined;
  try {
    return decodeSenderKeyRecord(stored);
  } catch (error) {
    if (!isWakitError(error, RecordFormatError)) throw error;
    host.logger.warn?.('an unreadable sender key record is replaced by a new SKDM', { name, error });
    return undefined;
  }
}
