/**
 * AB props (`abt`, docs/protocol.md §10.13), one of the queries clients make right after login
 * (whatsapp-rust wacore/src/iq/props.rs, after WA Web's WASmaxInAbPropsConfigs):
 *
 *   get : <iq xmlns="abt" type="get"><props protocol="1" [hash] [refresh_id]/></iq>
 *      -> <props protocol="1" hash refresh><prop config_code config_value/>…</props>   a full set
 *      -> <props protocol="1" hash refresh delta_update="true"/>                         `hash` is current
 *
 * A client that sends the hash of the set it holds gets a delta: the props changed since, which is
 * none, since a server's props never change while it runs (whatsapp-rust keeps its cache on
 * `delta_update="true"` and replaces it otherwise). Any other hash, or none, gets the full set.
 * Baileys sends this with the blocklist and privacy gets as its "init queries" once open, stores
 * `hash` as `lastPropHash`, and logs an error when any is refused (test/baileys-interop.test.ts).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { AB_PROPS_REFRESH_S } from './ab-props';
import type { IqHandler } from './iq-context';
import { child, iqError, iqResult } from './nodes';

/** Answers `abt` props gets; `undefined` for anything else. */
export const handleAbPropsIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'abt' || node.attrs.type !== 'get') return undefined;
  const request = child(node, 'props');
  if (request === undefined) return undefined;
  if (ctx.device === undefined) return iqError(node, 401, 'not-authorized');
  const props = ctx.state.abProps;
  const attrs: Record<string, string> = {
    protocol: '1',
    hash: props.hash,
    refresh: String(AB_PROPS_REFRESH_S),
  };
  if (request.attrs.hash === props.hash) {
    attrs.delta_update = 'true';
    return iqResult(node, [{ tag: 'props', attrs }]);
  }
  const content: BinaryNode[] = [...props.values].map(([code, value]) => ({
    tag: 'prop',
    attrs: { config_code: String(code), config_value: value },
  }));
  return iqResult(node, [{ tag: 'props', attrs, content }]);
};
