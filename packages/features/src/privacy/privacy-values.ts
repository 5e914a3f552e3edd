/**
 * Privacy categories and the values each accepts (docs/protocol.md §10.1; the seed's privacy
 * table). Categories and values the server sends that this table does not know are kept as
 * strings, never dropped: WhatsApp adds categories over time, and a client that lost them could not
 * show or restore them.
 */

/** The categories WhatsApp has today, and any other the server reports. */
export type PrivacyCategory =
  | 'last'
  | 'online'
  | 'profile'
  | 'status'
  | 'groupadd'
  | 'readreceipts'
  | 'calladd'
  | 'messages'
  | 'defense'
  | (string & {});

/** The values WhatsApp has today, and any other the server reports. */
export type PrivacyValue =
  | 'all'
  | 'contacts'
  | 'none'
  | 'contact_blacklist'
  | 'match_last_seen'
  | 'known'
  | 'off'
  | 'on_standard'
  | (string & {});

const AUDIENCE = ['all', 'contacts', 'contact_blacklist', 'none'] as const;

/** What each known category accepts. */
export const PRIVACY_VALUES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  last: AUDIENCE,
  profile: AUDIENCE,
  status: AUDIENCE,
  groupadd: AUDIENCE,
  online: ['all', 'match_last_seen'],
  readreceipts: ['all', 'none'],
  calladd: ['all', 'known', 'contacts'],
  messages: ['all', 'contacts'],
  defense: ['off', 'on_standard'],
});

/** The categories with a disallowed list (`contact_blacklist`: "my contacts except …"). */
export const DISALLOWED_LIST_CATEGORIES: readonly PrivacyCategory[] = Object.freeze([
  'last',
  'profile',
  'status',
  'groupadd',
]);

/**
 * True when `value` is one `category` accepts. Unknown categories accept nothing: a setting the
 * table does not know cannot be checked, so it is not sent.
 *
 * @example
 * isValidPrivacyValue('online', 'match_last_seen'); // true
 * isValidPrivacyValue('readreceipts', 'contacts'); // false
 */
export function isValidPrivacyValue(category: PrivacyCategory, value: PrivacyValue): boolean {
  return Object.hasOwn(PRIVACY_VALUES, category) && PRIVACY_VALUES[category]!.includes(value);
}

/** True for the categories `setPrivacyDisallowedList` works on. */
export function hasDisallowedList(category: PrivacyCategory): boolean {
  return DISALLOWED_LIST_CATEGORIES.includes(category);
}
