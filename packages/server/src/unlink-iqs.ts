/**
 * A companion unlinking itself (`client.logout()`; whatsmeow `Logout`, whatsapp-rust `logout`):
 *
 *   <iq xmlns="md" type="set" to=S><remove-companion-device jid="own:device@s.whatsapp.net" reason="user_initiated"/></iq>
 *
 * The IQ is answered, then the device is removed as by `phone.removeDevice` (later logins get
 * `device_removed`, the account's other devices and subscribers a device notification) and the
 * stream ends with `401` + `<conflict type="device_removed"/>`: the answer first, so the client
 * learns the unlink succeeded before the stream goes. A companion
 * may only remove itself; removing other devices is the primary's (the phone's) business.
 */
import type { IqHandler } from './iq-context';
import { child, iqError, iqResult } from './nodes';

/** Answers `remove-companion-device`; `undefined` for anything else. */
export const handleUnlinkIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'md' || node.attrs.type !== 'set') return undefined;
  const request = child(node, 'remove-companion-device');
  if (request === undefined) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  if (request.attrs.jid !== device.jid) return iqError(node, 403, 'forbidden');
  ctx.after(() => ctx.state.removeDevice(device));
  return iqResult(node);
};
