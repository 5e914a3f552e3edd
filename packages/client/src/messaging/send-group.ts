/**
 * Sending to a group (docs/protocol.md §6.7, §7.1 "Group"; whatsmeow `sendGroup`, whatsapp-rust
 * `wacore/src/send/group.rs`): the message is encrypted ONCE with our sender key (`skmsg`), and the
 * participant devices that do not hold that key yet get it pairwise, as a
 * `Message{senderKeyDistributionMessage}` in `<participants>`. Which devices hold it is kept per
 * group in the store (`SenderKeyDeviceStore`); a participant leaving clears it and drops the key
 * (`group-notifications.ts`).
 *
 * Stanza: `<message to=<group> id type [edit] phash [addressing_mode=lid]><participants>…
 * </participants>[<device-identity>]<enc v="2" type="skmsg">…</enc></message>` (the order both
 * references write). `phash` covers every participant device plus the sending device (whatsapp-rust:
 * WA Web's `phashV2([].concat(A, [B]))`); a different `phash` on the server's ack drops the cached
 * participants and device lists, so the next send distributes to the devices we missed.
 *
 * Durability, as for 1:1: the sender key created or advanced, every pairwise ratchet step and the
 * sent message (for retries) are ONE transaction, committed before the stanza is written. The
 * devices given our key are marked only once the server acked the stanza (`distributions.ts`): a
 * stanza lost with its process must not leave them marked. Sends to one group run in its send
 * lane, in call order.
 */
import type { Message } from '@wakit/proto';
import {
  createSenderKeyDistributionMessage,
  decodeSenderKeyRecord,
  encodeSenderKeyRecord,
  groupEncrypt,
} from '@wakit/signal';
import { NotConnectedError } from '../errors';
import type { GroupTargets } from './group-target-memo';
import { ownDevice } from './host';
import { parseJid, userJid } from './jids';
import type { MessageAck } from './message-acks';
import type { Messaging } from './messaging';
import { encryptPairwise } from './pairwise-encrypt';
import { type SendOptions, writeForAck } from './send';
import { senderKeyName } from './sender-key-names';
import { ensureSessionsAt } from './sessions';
import { hidesDecryptFailure } from './wire/decrypt-fail';
import { encodeMessage } from './wire/message-codec';
import { mediaTypeOf, stanzaTypeOf } from './wire/message-type';
import { buildGroupStanza } from './wire/outgoing';
import { padPlaintext } from './wire/padding';
import { participantHash } from './wire/phash';

/**
 * Resolves the group's participant devices (cached lists, usync for the rest) and their `phash`;
 * remembered per group while the participants, device lists and LID map it came from hold
 * (`group-target-memo.ts`).
 */
export async function groupTargets(m: Messaging, group: string): Promise<GroupTargets> {
  const info = await m.groups.get(group);
  const own = ownDevice(m.host);
  const self = info.addressingMode === 'lid' ? own.lid : own.pn;
  if (self === undefined)
    throw new NotConnectedError('the own LID is not known yet; cannot send to a LID group');
  // Read before resolving: a change made meanwhile leaves the entry stale, never wrongly fresh.
  const inputs = {
    info,
    self,
    directoryGeneration: m.directory.generation,
    peersGeneration: m.peers.generation,
  };
  const remembered = m.groupTargets.get(group, inputs, m.host.timers.now());
  if (remembered !== undefined) return remembered;
  const { targets, freshUntil } = await devicesOf(
    m,
    info.participants.map((p) => p.jid),
    self,
    info.addressingMode,
  );
  m.groupTargets.put(group, inputs, freshUntil, targets);
  return targets;
}

/**
 * The devices of a status's `recipients` and our own other devices (whatsmeow adds the own user to
 * every status audience), in PN form as the status is addressed. Not remembered: the audience is
 * the caller's, per status.
 */
export async function statusTargets(m: Messaging, recipients: readonly string[]): Promise<GroupTargets> {
  return (await devicesOf(m, recipients, ownDevice(m.host).pn, 'pn')).targets;
}

/** Every device of `users` and of our own user but `self` (the sending device), and their `phash`. */
async function devicesOf(
  m: Messaging,
  users: readonly string[],
  self: string,
  addressingMode: 'pn' | 'lid',
): Promise<{ targets: GroupTargets; freshUntil: number }> {
  const listed = await m.directory.resolve([...new Set([...users.map((u) => userJid(u)), userJid(self)])]);
  const selfKey = deviceKey(self);
  const devices = listed.devices.filter((device) => device !== self && deviceKey(device) !== selfKey);
  return {
    targets: { self, devices, addressingMode, phash: participantHash([...devices, self]) },
    freshUntil: listed.freshUntil,
  };
}

/**
 * Encrypts for the group, commits, writes the stanza; returns the pending ack. With
 * `statusRecipients`, `group` is `status@broadcast` and the audience is those people's devices
 * (`statusTargets`), every one of which gets the distribution message: the server delivers a status
 * only to the devices its `<participants>` lists, and who is listed changes per status (whatsmeow
 * and Baileys distribute to every device of a status too).
 */
export async function fanOutGroup(
  m: Messaging,
  group: string,
  message: Message,
  id: string,
  options: SendOptions,
  statusRecipients?: readonly string[],
): Promise<{ ack: Promise<MessageAck>; phash: string }> {
  // An attempt that found our key dropped meanwhile (a participant left while it read the devices)
  // committed and sent nothing; the next reads the dropped key and gives a new one to everyone.
  // Each retry needs another w:gp2 removal in that window, so this ends.
  for (;;) {
    const sent = await fanOutGroupOnce(m, group, message, id, options, statusRecipients);
    if (sent !== undefined) return sent;
  }
}

/** One attempt; undefined (nothing committed or sent) when the key was dropped meanwhile. */
async function fanOutGroupOnce(
  m: Messaging,
  group: string,
  message: Message,
  id: string,
  options: SendOptions,
  statusRecipients: readonly string[] | undefined,
): Promise<{ ack: Promise<MessageAck>; phash: string } | undefined> {
  const { host } = m;
  const own = ownDevice(host);
  const status = statusRecipients !== undefined;
  const targets = status ? await statusTargets(m, statusRecipients) : await groupTargets(m, group);
  const name = senderKeyName(group, targets.self);
  // A group without our key (none yet, or a participant left) gets a new key for everyone.
  const stored = await host.store.loadSenderKey(name);
  const state = stored === undefined ? undefined : decodeSenderKeyRecord(stored).states[0];
  const fresh = state?.signingPrivateKey === undefined;
  // Held: marked in the store (acked), or being given it right now (`distributions.ts`). A status
  // goes to every device it lists, so it keeps no marks.
  const held = status || fresh ? new Set<string>() : await m.distributions.held(group, state.keyId);
  const needing = targets.devices.filter((device) => !held.has(device));
  const sessions = await ensureSessionsAt(m.sessions, needing);
  const encoded = encodeMessage(message);
  const padding = host.crypto.randomBytes(2);
  const plaintext = padPlaintext(encoded, () => padding[0]!);
  const mediatype = mediaTypeOf(message);
  const decryptFail = hidesDecryptFailure(message, options.edit) ? 'hide' : undefined;

  const sealedSend = await host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      const current = await tx.loadSenderKey(name);
      const created = await createSenderKeyDistributionMessage(
        current === undefined ? undefined : decodeSenderKeyRecord(current),
        { crypto: host.crypto },
      );
      // Dropped since `fresh` was read (a participant left meanwhile): the devices chosen above
      // are not everyone, so the caller starts over.
      if (created.created && !fresh) return undefined;
      if (created.created) {
        await tx.senderKeyDevices.clear(group);
        m.distributions.forget(group);
      }
      const skdm = padPlaintext(
        encodeMessage({
          senderKeyDistributionMessage: {
            groupId: group,
            axolotlSenderKeyDistributionMessage: created.message.serialized,
          },
        }),
        () => padding[1]!,
      );
      const out = await encryptPairwise(
        tx,
        m.sessionCache,
        host.crypto,
        sessions.map(({ device, address }) => ({ device, address, plaintext: skdm })),
      );
      const sealed = await groupEncrypt(created.record, plaintext, { crypto: host.crypto });
      await tx.storeSenderKey(name, encodeSenderKeyRecord(sealed.record));
      await tx.sent.put({ chat: group, id, message: encoded, at: host.timers.now() });
      // The devices given the key are marked once the server acked the stanza, not here.
      const keyId = sealed.record.states[0]!.keyId;
      const devices = status ? [] : out.map((p) => p.jid);
      return { participants: out, skmsg: sealed.ciphertext, given: { group, name, keyId, devices } };
    }),
  );
  if (sealedSend === undefined) return undefined;
  const { participants, skmsg, given: distribution } = sealedSend;
  const { phash } = targets;
  const stanza = buildGroupStanza({
    to: group,
    id,
    type: stanzaTypeOf(message),
    edit: options.edit,
    phash,
    addressingMode: targets.addressingMode,
    participants,
    deviceIdentity: own.deviceIdentity,
    skmsg: { ciphertext: skmsg, mediatype, decryptFail },
    attrs: options.attrs,
    children: options.children,
  });
  m.distributions.begin(distribution);
  // The marks are an economy, not the send's outcome: a store that fails to record them costs a
  // second distribution later, and is reported, but the acked send still succeeds.
  const settle = async (acked: boolean) => {
    try {
      await m.distributions.end(distribution, acked);
    } catch (error) {
      host.report(error, 'recording which devices hold our sender key');
    }
  };
  let written: Awaited<ReturnType<typeof writeForAck>>;
  try {
    written = await writeForAck(m, id, stanza);
  } catch (error) {
    await settle(false);
    throw error;
  }
  // Marked once acked, whoever awaits the ack (the caller does, outside the group's send lane).
  const ack = written.ack.then(
    async (value) => {
      await settle(true);
      return value;
    },
    async (error: unknown) => {
      await settle(false);
      throw error;
    },
  );
  // As `writeForAck`'s: nobody awaits it until the lane finished.
  ack.catch(() => {});
  return { ...written, ack, phash };
}

/**
 * After the ack: a `phash` that differs from ours means the server knows other devices (someone
 * joined, or linked a device): forget the group's participants and their device lists, so the next
 * send fetches both and distributes our key to the devices that lack it.
 */
export async function checkAckPhash(
  m: Messaging,
  group: string,
  sent: string,
  ack: MessageAck,
): Promise<void> {
  if (ack.phash === undefined || ack.phash === sent) return;
  const info = await m.groups.cached(group);
  await m.groups.forget(group);
  for (const p of info?.participants ?? []) await m.directory.invalidate(p.jid);
  m.host.logger.debug?.('the server saw other devices in the group; refreshing', {
    group,
    ours: sent,
    theirs: ack.phash,
  });
}

/** A device's identity for comparisons: user, server and device id. */
function deviceKey(device: string): string {
  const j = parseJid(device);
  return `${j.user}@${j.server}:${j.device}`;
}
