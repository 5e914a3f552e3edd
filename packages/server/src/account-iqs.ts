/**
 * AB props (`abt`), one of the queries clients make right after login, answered as for a fresh
 * account with no experiments. Baileys sends it with the blocklist and privacy gets
 * (blocklist-iqs.ts, privacy-iqs.ts) as its "init queries" once open, and logs an error when any
 * is refused (test/baileys-interop.test.ts).
 */
import type { IqHandler } from './iq-context';
import { child, iqResult } from './nodes';

/** Answers `abt` props gets; `undefined` for anything else. */
export const handleAccountIq: IqHandler = (ctx, node) => {
  if (node.attrs.type !== 'get' || ctx.device === undefined) return undefined;
  if (node.attrs.xmlns !== 'abt' || child(node, 'props') === undefined) return undefined;
  return iqResult(node, [{ tag: 'props', attrs: { protocol: '1', hash: 'wakit-test', refresh: '86400' } }]);
};
