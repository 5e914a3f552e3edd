/**
 * Trusted-contact tokens (docs/protocol.md §10.8). After a 1:1 send, Baileys, whatsmeow and
 * whatsapp-rust issue their token to the peer:
 *
 *   <iq type="set" xmlns="privacy"><tokens><token jid=<peer> t type="trusted_contact"/>…</tokens></iq>
 *
 * The server makes an opaque token for each (issuer -> peer) pair, delivers it to the peer's
 * devices as `<notification type="privacy_token" from=<issuer> [sender_lid]><tokens><token
 * type="trusted_contact" t>bytes</token></tokens></notification>`, and answers with the tokens the
 * peers issued to the asker, if any (`<tokens><token jid t type>bytes</token>…</tokens>`: "sends
 * our token and receives theirs back", whatsapp-rust wacore/src/iq/tctoken.rs). Baileys stores
 * the answer's tokens for the peer and the notification's for the sender. The server checks no
 * token a client attaches later (`<tctoken>`): real WhatsApp refuses some sends without one (463),
 * this server never does.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices, resolveAddress, userOf } from './addresses';
import type { IqHandler } from './iq-context';
import { child, children, iqError, iqResult, unixSeconds } from './nodes';

/** Token bytes per issue; real tokens are opaque server blobs of a similar size. */
const TOKEN_BYTES = 32;

/** Answers `privacy` `<tokens>` sets; `undefined` for anything else. */
export const handlePrivacyTokensIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'privacy' || node.attrs.type !== 'set') return undefined;
  const tokens = child(node, 'tokens');
  if (tokens === undefined) return undefined;
  const issuer = ctx.device;
  if (issuer === undefined) return iqError(node, 401, 'not-authorized');
  const back: BinaryNode[] = [];
  for (const request of children(tokens, 'token')) {
    const jid = request.attrs.jid ?? '';
    const peer = resolveAddress(ctx.state, jid);
    if (peer === undefined || peer.account.phoneNumber === issuer.phoneNumber) continue;
    const t = request.attrs.t ?? unixSeconds(ctx.state.options.now());
    const token = ctx.state.crypto.randomBytes(TOKEN_BYTES);
    ctx.state.accounts.get(issuer.phoneNumber).issuedTokens.set(peer.account.phoneNumber, { token, t });
    const namespace = peer.namespace;
    const attrs: Record<string, string> = {
      from: userOf(issuer, namespace),
      type: 'privacy_token',
      id: ctx.state.nextStanzaId(),
      t: unixSeconds(ctx.state.options.now()),
    };
    if (namespace === 'pn') attrs.sender_lid = userOf(issuer, 'lid');
    for (const device of accountDevices(ctx.state, peer.account.phoneNumber)) {
      ctx.state.outbox.deliver(
        device.jid,
        {
          tag: 'notification',
          attrs,
          content: [
            {
              tag: 'tokens',
              attrs: {},
              content: [{ tag: 'token', attrs: { type: 'trusted_contact', t }, content: token }],
            },
          ],
        },
        'notification',
      );
    }
    const theirs = ctx.state.accounts.get(peer.account.phoneNumber).issuedTokens.get(issuer.phoneNumber);
    if (theirs !== undefined) {
      back.push({
        tag: 'token',
        attrs: { jid, t: theirs.t, type: 'trusted_contact' },
        content: theirs.token,
      });
    }
  }
  return iqResult(node, [{ tag: 'tokens', attrs: {}, content: back }]);
};
