/** The server's acknowledgement of a relayed message (docs/protocol.md §7.3). */
import { unixSeconds } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/**
 * The server's `<ack class="message" id from=<to> t [phash|error]>` of a message `sender` sent
 * (1:1 and group relay alike); nothing when the sender is no longer connected.
 */
export function ackMessage(
  state: ServerState,
  sender: DeviceRecord,
  id: string,
  to: string,
  extra: Record<string, string> = {},
): void {
  state.live.get(sender.jid)?.send({
    tag: 'ack',
    attrs: { class: 'message', id, from: to, t: unixSeconds(state.options.now()), ...extra },
  });
}
