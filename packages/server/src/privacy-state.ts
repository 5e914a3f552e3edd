/**
 * What an account's privacy is on the server, shared by all its devices (docs/protocol.md §10.1 to
 * §10.3): a value per privacy category, the disallowed list of the categories that take one (the
 * users a `contact_blacklist` value leaves out), the blocklist, and the default disappearing-mode
 * duration. The IQs that read and change it are in privacy-iqs.ts, blocklist-iqs.ts and
 * disappearing-mode-iqs.ts; message-relay.ts and receipt-relay.ts apply it.
 *
 * Lists name users by their LID (`L@lid`), as WhatsApp keeps them since the LID migration (clients
 * send `jid=<LID>` with `pn_jid=<PN>`, whatsapp-rust wacore/src/iq/blocklist.rs); a user the server
 * does not know is kept as the client named it, without a device part.
 */
import { tryParseJid } from '@wakit/binary-node';
import { namespaceOf, resolveAddress, userOf } from './addresses';
import { listHash } from './list-hash';
import type { ServerState } from './server-state';

/**
 * The values each category takes (whatsapp-rust `PrivacyCategory::is_valid_value`, after WA Web's
 * `WAWebPrivacySettings`). A category or value outside this table is refused with 400.
 */
export const PRIVACY_VALUES: Readonly<Record<string, readonly string[]>> = {
  last: ['all', 'contacts', 'contact_blacklist', 'none'],
  online: ['all', 'match_last_seen'],
  profile: ['all', 'contacts', 'contact_blacklist', 'none'],
  status: ['all', 'contacts', 'contact_blacklist', 'none'],
  groupadd: ['all', 'contacts', 'contact_blacklist', 'none'],
  readreceipts: ['all', 'none'],
  calladd: ['all', 'known', 'contacts'],
  messages: ['all', 'contacts'],
  defense: ['off', 'on_standard'],
};

/** The categories with a disallowed list (value `contact_blacklist`). */
export const DISALLOWED_LIST_CATEGORIES: ReadonlySet<string> = new Set([
  'last',
  'profile',
  'status',
  'groupadd',
]);

/** WhatsApp's default privacy settings for a new account, in the order a get lists them. */
export const DEFAULT_PRIVACY: Readonly<Record<string, string>> = {
  last: 'all',
  online: 'all',
  profile: 'all',
  status: 'contacts',
  groupadd: 'all',
  readreceipts: 'all',
  calladd: 'all',
  messages: 'all',
  defense: 'off',
};

/** True when `category` takes `value` (both known to the server). */
export function isValidPrivacyPair(category: string, value: string): boolean {
  return Object.hasOwn(PRIVACY_VALUES, category) && PRIVACY_VALUES[category]!.includes(value);
}

/** One user on a list. */
export interface ListedUser {
  /** The user's LID when the server knows the user, else the JID as the client named it. */
  readonly jid: string;
  /** The user's phone-number JID, when known (the server's record, or the client's `pn_jid`). */
  readonly pnJid: string | undefined;
  /** The account's phone number, when the user is on this server (what enforcement compares). */
  readonly phoneNumber: string | undefined;
  /** When it was listed (seconds), the `t` of blocklist items. */
  readonly t: string;
}

/** An account's default disappearing-mode duration and when it was set. */
export interface DisappearingMode {
  /** Seconds; 0 is off. */
  readonly duration: number;
  /** When it was set (seconds); `0` for the default of a new account. */
  readonly t: string;
}

/** One account's privacy state; made with defaults with the account record. */
export class AccountPrivacy {
  /** Category -> value, every category of DEFAULT_PRIVACY, in its order. */
  readonly settings = new Map<string, string>(Object.entries(DEFAULT_PRIVACY));
  /**
   * Category -> its disallowed list (JID -> user). Kept when the value moves away from
   * `contact_blacklist`, as the phone keeps "my contacts except…" for when it is picked again.
   */
  readonly disallowed = new Map<string, Map<string, ListedUser>>();
  /** Blocked users, JID -> user, in the order they were blocked. */
  readonly blocklist = new Map<string, ListedUser>();
  disappearingMode: DisappearingMode = { duration: 0, t: '0' };

  /** The value of `category` (undefined for a category the server does not keep). */
  value(category: string): string | undefined {
    return this.settings.get(category);
  }

  /** The disallowed list of `category`, made empty on first use. */
  disallowedList(category: string): Map<string, ListedUser> {
    let list = this.disallowed.get(category);
    if (list === undefined) {
      list = new Map();
      this.disallowed.set(category, list);
    }
    return list;
  }

  /** The dhash of `category`'s disallowed list (list-hash.ts). */
  disallowedHash(category: string): string {
    return listHash(this.disallowed.get(category)?.keys() ?? []);
  }

  /** The dhash of the blocklist. */
  blocklistHash(): string {
    return listHash(this.blocklist.keys());
  }

  /** True when the account blocked the account with `phoneNumber`. */
  blocks(phoneNumber: string): boolean {
    for (const user of this.blocklist.values()) if (user.phoneNumber === phoneNumber) return true;
    return false;
  }
}

/**
 * The list entry a client's `jid` (and optional `pn_jid`) name: an account of this server by its
 * LID, or the user as named. Undefined when `jid` is not a PN or LID user JID (refused with 400).
 */
export function listedUser(
  state: ServerState,
  jid: string | undefined,
  pnJid: string | undefined,
  t: string,
): ListedUser | undefined {
  const parsed = jid === undefined ? undefined : tryParseJid(jid);
  if (parsed === undefined || parsed.user === '' || namespaceOf(jid!) === undefined) return undefined;
  const address =
    resolveAddress(state, jid!) ?? (pnJid === undefined ? undefined : resolveAddress(state, pnJid));
  if (address !== undefined) {
    const account = address.account;
    return { jid: userOf(account, 'lid'), pnJid: userOf(account, 'pn'), phoneNumber: account.phoneNumber, t };
  }
  const pn = pnJid === undefined ? undefined : tryParseJid(pnJid);
  return {
    jid: `${parsed.user}@${parsed.server}`,
    pnJid: pn === undefined || pn.user === '' ? undefined : `${pn.user}@${pn.server}`,
    phoneNumber: undefined,
    t,
  };
}
