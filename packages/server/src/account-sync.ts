/**
 * Telling an account's other devices that one of them changed an account setting
 * (docs/protocol.md §10.14). The shapes are the ones clients parse:
 *
 *   <notification from=<own user, PN> type="account_sync" id t>
 *     <privacy><category name value [dhash]/>…</privacy>                  whatsmeow handleAccountSyncNotification -> handlePrivacySettingsNotification
 *     <blocklist dhash prev_dhash><item jid action="block|unblock"/>…</blocklist>   whatsmeow handleBlocklist; Baileys emits blocklist.update per item
 *     <disappearing_mode duration t/>                                       Baileys: creds.accountSettings.defaultDisappearingMode
 *   </notification>
 *   <notification from=<own user> type="disappearing_mode" id t><disappearing_mode duration t/></notification>
 *                                                                         whatsapp-rust handle_disappearing_mode_notification (WA Web's handler)
 *   <notification from=<own user> type="picture" id t><set jid id/>|<delete jid/></notification>   profiles.ts
 *
 * Every other device of the account gets one, the phone (device 0) included: on the real service the
 * phone is told of a change made on a companion. They go through the outbox, so a device that is
 * offline gets them from its offline queue, and each stays pending until the device acks it.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices, userOf } from './addresses';
import { unixSeconds } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/** Delivers `<notification type>` holding `content` to every device of `actor`'s account but `actor`. */
export function notifyOtherDevices(
  state: ServerState,
  actor: DeviceRecord,
  type: 'account_sync' | 'disappearing_mode' | 'picture',
  content: BinaryNode[],
): void {
  const node: BinaryNode = {
    tag: 'notification',
    attrs: {
      from: userOf(actor, 'pn'),
      type,
      id: state.nextStanzaId(),
      t: unixSeconds(state.options.now()),
    },
    content,
  };
  for (const device of accountDevices(state, actor.phoneNumber)) {
    if (device.jid !== actor.jid) state.outbox.deliver(device.jid, node, 'notification');
  }
}
