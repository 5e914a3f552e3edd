/**
 * Account queries clients make right after login, answered as a fresh account on the real server
 * would (docs/protocol.md §10.1, §10.3): AB props (`abt`, no experiments), the blocklist (empty) and the
 * privacy settings (WhatsApp's defaults). Baileys sends all three as its "init queries" once open
 * and logs an error when any is refused (test/baileys-interop.test.ts).
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { IqHandler } from './iq-context';
import { child, iqResult } from './nodes';

/** WhatsApp's default privacy settings for a new account. */
export const DEFAULT_PRIVACY: Readonly<Record<string, string>> = {
  last: 'all',
  online: 'all',
  profile: 'all',
  status: 'contacts',
  groupadd: 'all',
  readreceipts: 'all',
  calladd: 'all',
  messages: 'all',
};

/** Answers `abt` props, blocklist and privacy gets; `undefined` for anything else. */
export const handleAccountIq: IqHandler = (ctx, node) => {
  if (node.attrs.type !== 'get' || ctx.device === undefined) return undefined;
  switch (node.attrs.xmlns) {
    case 'abt':
      if (child(node, 'props') === undefined) return undefined;
      return iqResult(node, [
        { tag: 'props', attrs: { protocol: '1', hash: 'wakit-test', refresh: '86400' } },
      ]);
    case 'blocklist':
      return iqResult(node, [{ tag: 'list', attrs: { dhash: '0' } }]);
    case 'privacy':
      if (child(node, 'privacy') === undefined) return undefined;
      return iqResult(node, [{ tag: 'privacy', attrs: {}, content: privacyCategories() }]);
    default:
      return undefined;
  }
};

function privacyCategories(): BinaryNode[] {
  return Object.entries(DEFAULT_PRIVACY).map(([name, value]) => ({
    tag: 'category',
    attrs: { name, value },
  }));
}
