/**
 * Whether one account may see another's profile picture or status text, decided by the owner's
 * privacy (docs/protocol.md §10.1), as presence-view.ts decides for last seen: `all` shows it to
 * everyone, `none` to no one, `contacts` to everyone (the server has no address books, so every
 * account counts as a contact of every other), `contact_blacklist` to everyone but the users on
 * the category's disallowed list. A user the owner blocked sees neither. An account always sees
 * its own.
 */
import type { ServerState } from './server-state';

/** The privacy categories that hide profile parts. */
export type ProfileCategory = 'profile' | 'status';

/** True when the account `viewer` may see `owner`'s `category` part (phone numbers). */
export function profileVisible(
  state: ServerState,
  owner: string,
  viewer: string,
  category: ProfileCategory,
): boolean {
  if (owner === viewer) return true;
  const privacy = state.accounts.get(owner).privacy;
  if (privacy.blocks(viewer)) return false;
  switch (privacy.value(category)) {
    case 'none':
      return false;
    case 'contact_blacklist':
      for (const user of privacy.disallowedList(category).values()) {
        if (user.phoneNumber === viewer) return false;
      }
      return true;
    default:
      // `all`, and `contacts` with every account a contact.
      return true;
  }
}
