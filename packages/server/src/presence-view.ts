/**
 * What one account may see of another's presence, decided by the account being watched
 * (docs/protocol.md §10.1, §10.4):
 *
 *   <presence from=J/>                                 online (no `type`: whatsmeow and Baileys read
 *                                                      a missing type as available, whatsmeow logs
 *                                                      `type="available"` as unrecognised)
 *   <presence from=J type="unavailable" last=<secs>/>  offline, last seen shown
 *   <presence from=J type="unavailable" last="deny"/>  offline or hidden, last seen hidden (WhatsApp's
 *                                                      word; whatsmeow presence.go and Baileys
 *                                                      handlePresenceUpdate both skip it)
 *   <presence from=J type="unavailable"/>              offline, never seen
 *
 * - `last`: `all` shows last seen to everyone, `none` to no one. `contacts` and `contact_blacklist`
 *   need the watched account's address book, which the server does not have: it counts every
 *   account as a contact of every other (as if all users of a test server saved each other), so
 *   `contacts` shows it to everyone and `contact_blacklist` to everyone but the users on the
 *   category's disallowed list (privacy-state.ts).
 * - `online`: `all` shows online to everyone; `match_last_seen` only to whom last seen is shown.
 * - A user the watched account blocked sees neither (offline, `last="deny"`).
 * - An account always sees its own presence. WhatsApp's reciprocity (who hides their last seen
 *   cannot see others') is not applied: the watched account alone decides here.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { PresenceState } from './presence-state';
import type { ServerState } from './server-state';

/** The `last` attribute a watcher gets when last seen is hidden. */
export const LAST_SEEN_DENIED = 'deny';

/** What a watcher sees of an account: online or not, and the `last` attribute if any. */
export interface PresenceView {
  readonly available: boolean;
  /** Unix seconds as a string, `deny`, or undefined (online, or never seen). */
  readonly last: string | undefined;
}

/** What the account `watcher` may see of the presence of account `watched` (phone numbers). */
export function presenceSeenBy(
  state: ServerState,
  presence: PresenceState,
  watched: string,
  watcher: string,
): PresenceView {
  const privacy = state.accounts.get(watched).privacy;
  const own = watched === watcher;
  if (!own && privacy.blocks(watcher)) return { available: false, last: LAST_SEEN_DENIED };
  const lastShown = own || showsLastSeen(state, watched, watcher);
  const onlineShown = lastShown || privacy.value('online') !== 'match_last_seen';
  if (onlineShown && presence.isOnline(watched)) return { available: true, last: undefined };
  if (!lastShown) return { available: false, last: LAST_SEEN_DENIED };
  const seen = presence.lastSeen(watched);
  return { available: false, last: seen === undefined ? undefined : String(seen) };
}

/** `<presence from=J [type="unavailable"] [last]/>` for `view`, `from` as the watcher named J. */
export function presenceNode(from: string, view: PresenceView): BinaryNode {
  const attrs: Record<string, string> = { from };
  if (!view.available) attrs.type = 'unavailable';
  if (view.last !== undefined) attrs.last = view.last;
  return { tag: 'presence', attrs };
}

function showsLastSeen(state: ServerState, watched: string, watcher: string): boolean {
  const privacy = state.accounts.get(watched).privacy;
  switch (privacy.value('last')) {
    case 'none':
      return false;
    case 'contact_blacklist':
      for (const user of privacy.disallowedList('last').values()) {
        if (user.phoneNumber === watcher) return false;
      }
      return true;
    default:
      // `all`, and `contacts` with every account a contact (see the header).
      return true;
  }
}
