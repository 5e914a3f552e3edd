/**
 * Incoming `<message>` stanzas (docs/protocol.md §7.2): who sent it, in which chat, whether it is
 * our own message synced from another of our devices, and the `<enc>` payloads to decrypt. The
 * addressing rules are whatsmeow's `parseMessageSource`, checked against Baileys 7's
 * `decodeMessageNode` on the shapes a server relays to each device.
 */
import {
  type BinaryNode,
  formatJid,
  getBinaryContent,
  getChildren,
  type Jid,
  readAttrs,
  SERVERS,
  toNonAd,
  tryParseJid,
} from '@wakit/binary-node';
import { namesSignalUser } from '../jids';
import { checkAttrs, malformed } from './_node';

/** One `<enc>` child: a ciphertext to decrypt. */
export interface IncomingEnc {
  /** `pkmsg`, `msg`, `skmsg`, or a type this client does not know (`msmsg`, `frskmsg`…). */
  type: string;
  /** Padding version (`2` padded, the default; `3` unpadded: docs/protocol.md §6.3). */
  v: string;
  ciphertext: Uint8Array;
  /** The sender's retry count, on a resend after a retry receipt. */
  count?: number;
  mediatype?: string;
  /** `hide`: a failure to decrypt should not show a placeholder. */
  decryptFail?: string;
}

/** What a `<message>` says about itself. JIDs are canonical strings. */
export interface IncomingMessage {
  id: string;
  /** The `from` attribute as received: the sender device (1:1) or the group; receipts echo it. */
  from: string;
  /** The chat: a user JID without device (1:1), the group, or the broadcast list. */
  chat: string;
  /** The chat in the other namespace (LID for a PN chat and back), when the stanza says. */
  chatAlt?: string;
  /** The device that sent the message. */
  sender: string;
  /** The sender device in the other namespace (`sender_lid`/`sender_pn`, `participant_*`). */
  senderAlt?: string;
  /** The `participant` attribute as received (group and broadcast messages). */
  participant?: string;
  /** The `recipient` attribute as received (our own messages synced from another device). */
  recipient?: string;
  /** Sent by one of our own devices. */
  fromMe: boolean;
  /** A group (`@g.us`) or broadcast (`@broadcast`, status) message: `participant` names the sender. */
  isGroup: boolean;
  /** `t`, in unix seconds. */
  timestamp: number;
  /** The stanza `type` (`text`, `media`…). */
  type?: string;
  /** `notify`: the sender's push name. */
  pushName?: string;
  /** Replayed from the server's offline queue (has an `offline` attribute). */
  offline: boolean;
  edit?: string;
  /** `peer` for messages between our own devices (app-state keys, history sync). */
  category?: string;
  addressingMode?: string;
  /** The `<enc>` children in stanza order (the pairwise one comes before `skmsg` in groups). */
  encs: IncomingEnc[];
}

/** Our own account, to recognise copies of our own messages. Devices in these JIDs are ignored. */
export interface OwnIdentity {
  pn: string;
  lid?: string;
}

/**
 * Reads a `<message>`.
 *
 * - 1:1 from someone else: `from` is the sender device; chat = `from` without device; `senderAlt`
 *   from `sender_lid` (PN sender) or `sender_pn` (LID sender); `chatAlt` is `senderAlt` without device.
 * - From one of our own devices (same user as `own.pn` or `own.lid`): `fromMe`; chat = `recipient`
 *   without device (the peer we wrote to), or our own user when there is none (peer messages);
 *   `chatAlt` from `peer_recipient_pn` (LID chat) or `peer_recipient_lid` (PN chat).
 * - Group or broadcast: chat = `from`, sender = `participant` (required), `senderAlt` from
 *   `participant_pn`/`participant_lid`; `fromMe` when the participant is us.
 *
 * A chat on `hosted`/`hosted.lid` is folded to `s.whatsapp.net`/`lid` (same account; whatsmeow does
 * the same), while `sender` keeps the server the device is addressed on. An alternate JID without
 * a device takes the sender's device, as whatsmeow does. A `recipient` on a message that is not
 * ours is kept but ignored (Baileys refuses such a stanza; whatsmeow ignores it).
 *
 * @throws MalformedStanzaError when `id`, `from` or `t` is missing or invalid, `from`,
 *   `participant` or `recipient` is a bare server, a group message has no `participant`, an alternate JID does not parse, there is no
 *   `<enc>`, or an `<enc>` lacks its `type` or bytes (a `<message>` with only `<unavailable>` is
 *   also refused here).
 */
export function parseIncomingMessage(node: BinaryNode, own: OwnIdentity): IncomingMessage {
  const attrs = readAttrs(node);
  const id = attrs.string('id');
  const from = attrs.jid('from');
  const t = attrs.unixTime('t');
  const participant = attrs.optionalJid('participant');
  const recipient = attrs.optionalJid('recipient');
  const alts = {
    senderLid: attrs.optionalJid('sender_lid'),
    senderPn: attrs.optionalJid('sender_pn'),
    participantLid: attrs.optionalJid('participant_lid'),
    participantPn: attrs.optionalJid('participant_pn'),
    peerLid: attrs.optionalJid('peer_recipient_lid'),
    peerPn: attrs.optionalJid('peer_recipient_pn'),
  };
  const common = readCommon(attrs);
  checkAttrs(attrs, 'message', node);
  if (id === '') throw malformed(node, 'message: id is empty');
  if (from.user === '') throw malformed(node, `message: from "${node.attrs.from}" is a server, not a sender`);
  if (participant?.user === '' || recipient?.user === '') {
    throw malformed(node, 'message: participant and recipient must name users, not a server');
  }
  // A user no Signal address can be named by (`namesSignalUser`): its message could not be read
  // or answered. Empty users were refused above with their own reason.
  for (const [name, jid] of [
    ['from', from],
    ['participant', participant],
    ['recipient', recipient],
  ] as const) {
    if (jid !== undefined && !namesSignalUser(jid))
      throw malformed(node, `message: ${name} "${node.attrs[name]}" has a "." in its user`);
  }

  const message: IncomingMessage = {
    id,
    from: node.attrs.from!,
    chat: '',
    sender: '',
    fromMe: false,
    isGroup: from.server === SERVERS.group || from.server === SERVERS.broadcast,
    timestamp: t.getTime() / 1000,
    offline: Object.hasOwn(node.attrs, 'offline'),
    encs: readEncs(node),
    ...common,
  };
  if (node.attrs.recipient !== undefined) message.recipient = node.attrs.recipient;

  if (message.isGroup) {
    if (participant === undefined) throw malformed(node, 'message: a group message has no participant');
    message.chat = formatJid(from);
    message.sender = formatJid(participant);
    message.participant = node.attrs.participant!;
    message.fromMe = isOwn(participant, own);
    const alt = altOf(participant, isLid(participant) ? alts.participantPn : alts.participantLid);
    if (alt !== undefined) message.senderAlt = formatJid(alt);
  } else if (isOwn(from, own)) {
    message.fromMe = true;
    message.sender = formatJid(from);
    const chat = foldHosted(toNonAd(recipient ?? from));
    message.chat = formatJid(chat);
    const peerAlt = isLid(chat) ? alts.peerPn : alts.peerLid;
    if (peerAlt !== undefined) message.chatAlt = formatJid(toNonAd(peerAlt));
  } else {
    message.sender = formatJid(from);
    message.chat = formatJid(foldHosted(toNonAd(from)));
    const alt = altOf(from, isLid(from) ? alts.senderPn : alts.senderLid);
    if (alt !== undefined) {
      message.senderAlt = formatJid(alt);
      message.chatAlt = formatJid(foldHosted(toNonAd(alt)));
    }
  }
  return message;
}

/** The optional plain-string attributes, read through `attrs` so they count as checked. */
function readCommon(attrs: ReturnType<typeof readAttrs>): Partial<IncomingMessage> {
  const out: Partial<IncomingMessage> = {};
  const type = attrs.optionalString('type');
  const pushName = attrs.optionalString('notify');
  const edit = attrs.optionalString('edit');
  const category = attrs.optionalString('category');
  const addressingMode = attrs.optionalString('addressing_mode');
  if (type !== undefined) out.type = type;
  if (pushName !== undefined) out.pushName = pushName;
  if (edit !== undefined) out.edit = edit;
  if (category !== undefined) out.category = category;
  if (addressingMode !== undefined) out.addressingMode = addressingMode;
  return out;
}

function readEncs(node: BinaryNode): IncomingEnc[] {
  const encs = getChildren(node, 'enc').map((enc, index): IncomingEnc => {
    const what = `message enc ${index}`;
    const attrs = readAttrs(enc);
    const type = attrs.string('type');
    const v = attrs.optionalString('v') ?? '2';
    const count = attrs.optionalInt('count');
    const mediatype = attrs.optionalString('mediatype');
    const decryptFail = attrs.optionalString('decrypt-fail');
    checkAttrs(attrs, what, node);
    const ciphertext = getBinaryContent(enc);
    if (type === '') throw malformed(node, `${what}: type is empty`);
    if (ciphertext === undefined) throw malformed(node, `${what}: holds no ciphertext bytes`);
    if (count !== undefined && count < 0) throw malformed(node, `${what}: count ${count} is negative`);
    const out: IncomingEnc = { type, v, ciphertext };
    if (count !== undefined) out.count = count;
    if (mediatype !== undefined) out.mediatype = mediatype;
    if (decryptFail !== undefined) out.decryptFail = decryptFail;
    return out;
  });
  if (encs.length === 0) throw malformed(node, 'message: no <enc> child');
  return encs;
}

/**
 * The sender's alternate JID: `alt`, taking the sender's device when `alt` has none (whatsmeow
 * `parseMessageSource`: the server may name only the alternate user).
 */
function altOf(sender: Jid, alt: Jid | undefined): Jid | undefined {
  if (alt === undefined || alt.user === '') return undefined;
  return alt.device === 0 ? { ...alt, device: sender.device } : alt;
}

/** Same account as ours: same user, with `c.us` and the hosted servers folded to PN / LID. */
function isOwn(jid: Jid, own: OwnIdentity): boolean {
  return [own.pn, own.lid].some((mine) => {
    const j = mine === undefined ? undefined : tryParseJid(mine);
    return j !== undefined && j.user === jid.user && family(j.server) === family(jid.server);
  });
}

function family(server: string): string {
  if (server === SERVERS.legacyUser || server === SERVERS.hosted) return SERVERS.pn;
  if (server === SERVERS.hostedLid) return SERVERS.lid;
  return server;
}

function isLid(jid: Jid): boolean {
  return jid.server === SERVERS.lid || jid.server === SERVERS.hostedLid;
}

function foldHosted(jid: Jid): Jid {
  if (jid.server === SERVERS.hosted) return { ...jid, server: SERVERS.pn };
  if (jid.server === SERVERS.hostedLid) return { ...jid, server: SERVERS.lid };
  return jid;
}
