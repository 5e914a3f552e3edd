/**
 * The account's default disappearing-mode duration (docs/protocol.md §10.2):
 *
 *   set : <iq xmlns="disappearing_mode" type="set"><disappearing_mode duration=<seconds>/></iq> -> result
 *
 * A duration that is not a non-negative integer of seconds is 400. The account's other devices
 * are told twice, once per shape clients read (account-sync.ts): Baileys takes the account's own
 * default from `<notification type="account_sync"><disappearing_mode duration t/>`, whatsapp-rust
 * and WA Web read `<notification type="disappearing_mode" from>` (from = the own user here). Each
 * is acked on its own; a client ignores the shape it does not know.
 */
import { notifyOtherDevices } from './account-sync';
import type { IqHandler } from './iq-context';
import { child, iqError, iqResult, unixSeconds } from './nodes';

/** The longest duration accepted: a u32 of seconds, as whatsapp-rust types it (WhatsApp offers up to 90 days). */
export const DISAPPEARING_MODE_MAX_S = 0xffff_ffff;

/** Answers `disappearing_mode` sets; `undefined` for anything else. */
export const handleDisappearingModeIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'disappearing_mode' || node.attrs.type !== 'set') return undefined;
  const mode = child(node, 'disappearing_mode');
  if (mode === undefined) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  const text = mode.attrs.duration ?? '';
  const duration = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(duration <= DISAPPEARING_MODE_MAX_S)) return iqError(node, 400, 'bad-request');
  const t = unixSeconds(ctx.state.options.now());
  ctx.state.accounts.get(device.phoneNumber).privacy.disappearingMode = { duration, t };
  const content = () => [{ tag: 'disappearing_mode', attrs: { duration: String(duration), t } }];
  notifyOtherDevices(ctx.state, device, 'account_sync', content());
  notifyOtherDevices(ctx.state, device, 'disappearing_mode', content());
  return iqResult(node);
};
