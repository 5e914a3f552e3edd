/**
 * IQs with nothing to look up: keepalive (`w:p`, docs/protocol.md §10.12) and passive/active (§7.6).
 * Whatsmeow and whatsapp-rust ping without a child, Baileys with `<ping/>`; both are answered.
 *
 * Passive mode is recorded per connection (`ConnectionHandler.passive`) and changes nothing else:
 * Baileys, whatsmeow and whatsapp-rust all send `<active/>` right after `<success>`, and what a
 * passive connection misses on WhatsApp is not established (whatsmeow: "seems to mostly affect
 * whether the device receives certain events"), so the server delivers to it all the same.
 */
import type { IqHandler } from './iq-context';
import { child, iqError, iqResult } from './nodes';

/** `<iq xmlns="w:p" type="get">` -> result. */
export const handlePingIq: IqHandler = (_ctx, node) =>
  node.attrs.xmlns === 'w:p' && node.attrs.type === 'get' ? iqResult(node) : undefined;

/**
 * `<iq xmlns="passive" type="set"><active/>|<passive/></iq>` -> result, the mode recorded; a set
 * with neither child (or both) is 400 and changes nothing.
 */
export const handlePassiveIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'passive' || node.attrs.type !== 'set') return undefined;
  const active = child(node, 'active') !== undefined;
  const passive = child(node, 'passive') !== undefined;
  if (active === passive) return iqError(node, 400, 'bad-request');
  ctx.setPassive(passive);
  return iqResult(node);
};
