/**
 * Clearing dirty bits (dirty-bits.ts; whatsapp-rust wacore/src/iq/dirty.rs, whatsmeow appstate.go
 * `MarkNotDirty`, Baileys chats.ts `cleanDirtyBits`):
 *
 *   set : <iq xmlns="urn:xmpp:whatsapp:dirty" type="set"><clean type [timestamp]/>…</iq> -> result
 *
 * Each `<clean>` clears its type for the device's whole account, whatever the timestamp: Baileys
 * sends the timestamp of the previous account_sync bit, not of the one it was given, so requiring
 * a match would leave its bits set forever. A clean of a type that is not set is answered too.
 * A `<clean>` without `type`, or with a timestamp that is not a number, is 400 and clears nothing.
 * A get, or a set without `<clean>`, is not this handler's (501 from the router).
 */
import type { IqHandler } from './iq-context';
import { children, iqError, iqResult } from './nodes';

/** The dirty-bits namespace. */
export const DIRTY_XMLNS = 'urn:xmpp:whatsapp:dirty';

/** Answers clean sets; `undefined` for anything else. */
export const handleDirtyIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== DIRTY_XMLNS || node.attrs.type !== 'set') return undefined;
  const cleans = children(node, 'clean');
  if (cleans.length === 0) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  for (const clean of cleans) {
    const { type, timestamp } = clean.attrs;
    if (type === undefined || type === '') return iqError(node, 400, 'bad-request');
    if (timestamp !== undefined && !/^\d+$/.test(timestamp)) return iqError(node, 400, 'bad-request');
  }
  for (const clean of cleans) ctx.state.dirty.clean(device, clean.attrs.type!, clean.attrs.timestamp);
  return iqResult(node);
};
