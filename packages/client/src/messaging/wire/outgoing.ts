/**
 * Outgoing `<message>` stanzas (docs/protocol.md §7.1): the 1:1 fan-out form with one `<to><enc>`
 * per device, the group form (one `skmsg`, pairwise SKDMs beside it), and the resend to a single
 * device after a retry receipt. The ciphertexts come from the Signal layer; this only lays them out.
 */
import type { BinaryNode } from '@wakit/binary-node';

/** The `<enc>` version every client sends: padded plaintext (docs/protocol.md §6.3). */
export const ENC_VERSION = '2';

/** One device's ciphertext in a fan-out. */
export interface OutgoingParticipant {
  /** The device JID (`user:device@server`). */
  jid: string;
  /** `pkmsg` when the session is new (carries the X3DH setup), else `msg`. */
  type: 'pkmsg' | 'msg';
  ciphertext: Uint8Array;
  /** Overrides the message-wide `mediatype` for this device (rarely needed). */
  mediatype?: string;
}

/** What `buildMessageStanza` lays out. */
export interface MessageStanzaInput {
  /** The chat: the peer's user JID (no device). */
  to: string;
  id: string;
  /** The stanza type (`stanzaTypeOf`). */
  type: string;
  /** The `edit` attribute (`EDIT_ATTRIBUTE`), for edits, pins and revokes. */
  edit?: string;
  /** The `<enc mediatype>` for every device (`mediaTypeOf`). */
  mediatype?: string;
  /** `decrypt-fail="hide"` on every `<enc>` (`hidesDecryptFailure`). */
  decryptFail?: 'hide';
  participants: readonly OutgoingParticipant[];
  /** The own ADVSignedDeviceIdentity bytes; required when any participant is a `pkmsg`. */
  deviceIdentity?: Uint8Array;
  /** Further attributes, after the standard ones (e.g. `addressing_mode`). */
  attrs?: Readonly<Record<string, string>>;
  /** Further children, after `<participants>` and `<device-identity>` (`<tctoken>`, `<meta>`…). */
  children?: readonly BinaryNode[];
}

/**
 * `<message to id type [edit] …attrs><participants><to jid><enc v="2" type [mediatype]
 * [decrypt-fail]>ciphertext</enc></to>…</participants>[<device-identity>]…children</message>`
 * (docs/protocol.md §7.1; attribute order as whatsapp-rust `prepare_dm_stanza`). The
 * `<device-identity>` goes in iff a participant is a `pkmsg`: the receiver needs it to trust a new
 * session from a companion device, and whatsapp-rust refuses to send a pkmsg without it (the
 * receiving phone would never accept this device's sessions). No `phash` on 1:1 stanzas (WA Web
 * sends it for groups only, whatsapp-rust's notes on `PreparedDmStanza`).
 *
 * @throws TypeError when a participant is a `pkmsg` and `deviceIdentity` is missing, or there are
 *   no participants (the server would accept the stanza and deliver it to nobody).
 */
export function buildMessageStanza(input: MessageStanzaInput): BinaryNode {
  if (input.participants.length === 0)
    throw new TypeError('"participants" is empty: the message would reach nobody');
  const content = participantsNodes(
    input.participants,
    input.deviceIdentity,
    input.mediatype,
    input.decryptFail,
  );
  if (input.children !== undefined) content.push(...input.children);
  return { tag: 'message', attrs: messageAttrs({ to: input.to }, input), content };
}

/** What `buildGroupStanza` lays out. */
export interface GroupStanzaInput {
  to: string;
  id: string;
  type: string;
  edit?: string | undefined;
  phash: string;
  addressingMode: 'pn' | 'lid';
  /** The pairwise SKDMs (may be empty once every device has our key). */
  participants: readonly OutgoingParticipant[];
  /** Required when a participant is a `pkmsg`. */
  deviceIdentity?: Uint8Array | undefined;
  skmsg: { ciphertext: Uint8Array; mediatype?: string | undefined; decryptFail?: 'hide' | undefined };
  attrs?: Readonly<Record<string, string>> | undefined;
  children?: readonly BinaryNode[] | undefined;
}

/**
 * `<message to id type [edit] phash [addressing_mode]>[<participants>…</participants>
 * [<device-identity>]]<enc v="2" type="skmsg" [mediatype] [decrypt-fail]>…</enc>…children</message>`.
 * `addressing_mode` is written for LID groups only, as whatsapp-rust does.
 *
 * @throws TypeError when a participant is a `pkmsg` and `deviceIdentity` is missing.
 */
export function buildGroupStanza(input: GroupStanzaInput): BinaryNode {
  const own: Record<string, string> = { phash: input.phash };
  if (input.addressingMode === 'lid') own.addressing_mode = 'lid';
  const { skmsg } = input;
  const content = [
    ...(input.participants.length === 0 ? [] : participantsNodes(input.participants, input.deviceIdentity)),
    encNode('skmsg', skmsg.ciphertext, skmsg.mediatype, skmsg.decryptFail),
    ...(input.children ?? []),
  ];
  return { tag: 'message', attrs: messageAttrs({ to: input.to }, input, own), content };
}

/** What `buildRetryResend` lays out. */
export interface RetryResendInput {
  /** The device that asked for the resend (`user:device@server`). */
  to: string;
  /** The original message id. */
  id: string;
  /** The original stanza type. */
  type: string;
  edit?: string;
  /** The `count` of the retry receipt being answered (a positive integer). */
  count: number;
  enc: { type: 'pkmsg' | 'msg'; ciphertext: Uint8Array; mediatype?: string; decryptFail?: 'hide' };
  /** The chat, when resending to one of our own devices (`recipient` keeps the chat known). */
  recipient?: string;
  /** Required when `enc.type` is `pkmsg`. */
  deviceIdentity?: Uint8Array;
  attrs?: Readonly<Record<string, string>>;
  children?: readonly BinaryNode[];
}

/**
 * The resend of a message to the one device whose retry receipt asked for it (docs/protocol.md §7.1
 * "Resend after retry"): `<message to=<device> [recipient] id type [edit]><enc v="2" type count
 * [mediatype] [decrypt-fail]>…</enc>[<device-identity>]</message>`, with the `<enc>` directly under
 * `<message>` and no `<participants>` (whatsapp-rust `prepare_pairwise_retry_stanza`, after WA
 * Web's `createUserDeviceMsgStanza`; Baileys adds `device_fanout="false"`, which `attrs` can carry).
 * A resend to our own device keeps the chat as `recipient` (Baileys 7 `relayMessage`, whatsapp-rust
 * `PairwiseRetryDestination::Direct`).
 *
 * When to stop answering retries (docs/protocol.md §7.5: after 5 attempts) is the caller's call.
 *
 * @throws TypeError for a `pkmsg` without `deviceIdentity`; RangeError for a count that is not a
 *   positive integer.
 */
export function buildRetryResend(input: RetryResendInput): BinaryNode {
  if (!Number.isInteger(input.count) || input.count < 1) {
    throw new RangeError(`"count" expected a positive integer, got ${input.count}`);
  }
  const { enc } = input;
  const content: BinaryNode[] = [
    encNode(enc.type, enc.ciphertext, enc.mediatype, enc.decryptFail, input.count),
  ];
  if (enc.type === 'pkmsg') content.push(deviceIdentityNode(input.deviceIdentity));
  if (input.children !== undefined) content.push(...input.children);
  const route: Record<string, string> = { to: input.to };
  if (input.recipient !== undefined) route.recipient = input.recipient;
  return { tag: 'message', attrs: messageAttrs(route, input), content };
}

/** `route` (to, recipient), then id, type, edit, then `own` (phash …), then the caller's extra attributes. */
function messageAttrs(
  route: Record<string, string>,
  input: {
    id: string;
    type: string;
    edit?: string | undefined;
    attrs?: Readonly<Record<string, string>> | undefined;
  },
  own: Record<string, string> = {},
): Record<string, string> {
  const attrs: Record<string, string> = { ...route, id: input.id, type: input.type };
  if (input.edit !== undefined && input.edit !== '') attrs.edit = input.edit;
  Object.assign(attrs, own);
  // Extra attributes never replace the ones above: a caller's `to` or `id` there would be a bug.
  for (const [key, value] of Object.entries(input.attrs ?? {})) {
    if (!Object.hasOwn(attrs, key)) attrs[key] = value;
  }
  return attrs;
}

function encNode(
  type: string,
  ciphertext: Uint8Array,
  mediatype: string | undefined,
  decryptFail: 'hide' | undefined,
  count?: number,
): BinaryNode {
  const attrs: Record<string, string> = { v: ENC_VERSION, type };
  if (count !== undefined) attrs.count = String(count);
  if (mediatype !== undefined) attrs.mediatype = mediatype;
  if (decryptFail !== undefined) attrs['decrypt-fail'] = decryptFail;
  return { tag: 'enc', attrs, content: ciphertext };
}

/** `<participants><to jid><enc/></to>…</participants>`, then `<device-identity>` when a `pkmsg` is among them. */
function participantsNodes(
  participants: readonly OutgoingParticipant[],
  deviceIdentity: Uint8Array | undefined,
  mediatype?: string,
  decryptFail?: 'hide',
): BinaryNode[] {
  const nodes: BinaryNode[] = [
    {
      tag: 'participants',
      attrs: {},
      content: participants.map(
        (p): BinaryNode => ({
          tag: 'to',
          attrs: { jid: p.jid },
          content: [encNode(p.type, p.ciphertext, p.mediatype ?? mediatype, decryptFail)],
        }),
      ),
    },
  ];
  if (participants.some((p) => p.type === 'pkmsg')) nodes.push(deviceIdentityNode(deviceIdentity));
  return nodes;
}

function deviceIdentityNode(deviceIdentity: Uint8Array | undefined): BinaryNode {
  if (deviceIdentity === undefined) {
    throw new TypeError(
      '"deviceIdentity" is required when a pkmsg is sent (the receiver cannot trust the session without it)',
    );
  }
  return { tag: 'device-identity', attrs: {}, content: deviceIdentity };
}
