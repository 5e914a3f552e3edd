/**
 * IQs with nothing to look up: keepalive (`w:p`, docs/protocol.md §10.12) and passive/active (§7.6).
 * Whatsmeow and whatsapp-rust ping without a child, Baileys with `<ping/>`; both are answered.
 */
import type { IqHandler } from './iq-context';
import { iqResult } from './nodes';

/** `<iq xmlns="w:p" type="get">` -> result. */
export const handlePingIq: IqHandler = (_ctx, node) =>
  node.attrs.xmlns === 'w:p' && node.attrs.type === 'get' ? iqResult(node) : undefined;

/** `<iq xmlns="passive" type="set"><active/>|<passive/></iq>` -> result. */
export const handlePassiveIq: IqHandler = (_ctx, node) =>
  node.attrs.xmlns === 'passive' && node.attrs.type === 'set' ? iqResult(node) : undefined;
