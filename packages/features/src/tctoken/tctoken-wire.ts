/**
 * Trusted-contact (privacy) tokens (docs/protocol.md §10.8), sans-IO. A token is an opaque blob a
 * peer's account issued to ours; attached to what we send that peer, it tells the server we are a
 * trusted contact (real WhatsApp refuses some 1:1 sends without one: error 463).
 *
 *   issue     <iq to=s.whatsapp.net type=set xmlns=privacy><tokens>
 *               <token jid=<peer, LID when known> t=<unix seconds> type=trusted_contact/>…</tokens></iq>
 *             -> <tokens><token jid t type=trusted_contact>bytes</token>…</tokens>  (the peers' tokens for us)
 *   received  <notification type=privacy_token from=<issuer> [sender_lid=<issuer's LID>]>
 *               <tokens><token type=trusted_contact t>bytes</token></tokens></notification>
 *   attached  <tctoken>bytes</tctoken>, in 1:1 messages, presence subscriptions, profile-picture
 *             gets and usync user entries
 *
 * whatsapp-rust wacore/src/iq/tctoken.rs, whatsmeow tctoken.go and notification.go agree on these
 * shapes; Baileys adds a `t` attribute to `<tctoken>`, the other two do not, nor do we.
 */
import { type BinaryNode, getBinaryContent, getChild, getChildren } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';

/** The only token type the references store; others are skipped. */
const TRUSTED_CONTACT = 'trusted_contact';
const UNSIGNED = /^[0-9]{1,15}$/;

/** A token a peer issued to this account. */
export interface TcToken {
  /** The opaque token bytes. */
  token: Uint8Array;
  /** When it was issued, unix seconds (the `t` attribute). */
  t: number;
}

/** A token from an issue reply, with the peer it came from as the server named it. */
export interface ReceivedTcToken extends TcToken {
  jid: string;
}

/** What a `privacy_token` notification carries. */
export interface PrivacyTokenNotification {
  /** The issuer, as the server addressed it (PN or LID). */
  from: string;
  /** The issuer's LID, when the server added it (it does when `from` is a PN). */
  senderLid: string | undefined;
  tokens: TcToken[];
}

/** Issues this account's token to each of `jids` (bare user JIDs), stamped `t` (unix seconds). */
export function buildTokenIssue(jids: readonly string[], t: number): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'privacy' },
    content: [
      {
        tag: 'tokens',
        attrs: {},
        content: jids.map((jid) => ({ tag: 'token', attrs: { jid, t: String(t), type: TRUSTED_CONTACT } })),
      },
    ],
  };
}

/** The `<tctoken>` child that carries `token` in a stanza. */
export function buildTcTokenNode(token: Uint8Array): BinaryNode {
  return { tag: 'tctoken', attrs: {}, content: token };
}

/**
 * The peers' tokens in an issue reply. A reply without `<tokens>` carries none; entries of another
 * type or without bytes are skipped (whatsapp-rust does the same).
 *
 * @throws MalformedFeatureReplyError when a trusted-contact token has no `jid` or no numeric `t`.
 */
export function parseIssuedTokens(reply: BinaryNode): ReceivedTcToken[] {
  const tokens = getChild(reply, 'tokens');
  const out: ReceivedTcToken[] = [];
  for (const node of tokens === undefined ? [] : getChildren(tokens, 'token')) {
    const read = readToken(node, 'an issue reply');
    if (read === undefined) continue;
    const jid = node.attrs.jid;
    if (jid === undefined || jid === '')
      throw new MalformedFeatureReplyError('an issued <token> without a jid');
    out.push({ jid, ...read });
  }
  return out;
}

/**
 * A `privacy_token` notification.
 *
 * @throws MalformedFeatureReplyError without `from` or `<tokens>`, or with a token whose `t` is
 *   not a number.
 */
export function parsePrivacyTokenNotification(node: BinaryNode): PrivacyTokenNotification {
  const from = node.attrs.from;
  if (from === undefined || from === '')
    throw new MalformedFeatureReplyError('a privacy_token notification without a sender');
  const tokens = getChild(node, 'tokens');
  if (tokens === undefined)
    throw new MalformedFeatureReplyError('a privacy_token notification without <tokens>');
  const out: TcToken[] = [];
  for (const child of getChildren(tokens, 'token')) {
    const read = readToken(child, 'a privacy_token notification');
    if (read !== undefined) out.push(read);
  }
  const senderLid = node.attrs.sender_lid;
  return { from, senderLid: senderLid === '' ? undefined : senderLid, tokens: out };
}

/** A trusted-contact token's bytes and time; undefined for another type or no bytes. */
function readToken(node: BinaryNode, where: string): TcToken | undefined {
  if (node.attrs.type !== TRUSTED_CONTACT) return undefined;
  const token = getBinaryContent(node);
  if (token === undefined || token.length === 0) return undefined;
  const t = node.attrs.t ?? '';
  if (!UNSIGNED.test(t)) throw new MalformedFeatureReplyError(`a <token> in ${where} with t="${t}"`);
  return { token, t: Number(t) };
}
