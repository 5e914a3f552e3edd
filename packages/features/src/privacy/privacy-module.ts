/**
 * The privacy API as a client module: the shell over `privacy-wire.ts`. Every pair is checked
 * before anything is sent; a stale disallowed-list hash comes back as `PrivacyListConflictError`.
 * The default disappearing mode is kept in the module's store namespace, from what this device set
 * and from the server's `disappearing_mode` notifications (another device changed it).
 *
 * @example
 * ```ts
 * const privacy = client.use(privacyModule);
 * const settings = await privacy.fetchPrivacySettings();
 * settings.getValue('last'); // 'all'
 * await privacy.setPrivacySetting('readreceipts', 'none');
 * ```
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { defineModule, IqError } from '@wakit/client';
import { isWakitError } from '@wakit/errors';
import { InvalidPrivacySettingError, PrivacyListConflictError } from '../errors';
import {
  DISALLOWED_LIST_CATEGORIES,
  hasDisallowedList,
  isValidPrivacyValue,
  PRIVACY_VALUES,
  type PrivacyCategory,
  type PrivacyValue,
} from './privacy-values';
import {
  buildDisallowedListSet,
  buildDisappearingModeSet,
  buildPrivacyGet,
  buildPrivacySet,
  type DisallowedListUpdate,
  dhashIn,
  type PrivacySetting,
  parsePrivacySettings,
} from './privacy-wire';

/** The settings of the account, as `fetchPrivacySettings` returns them. */
export interface PrivacySettings {
  readonly settings: readonly PrivacySetting[];
  /** The setting of `category`, if the server reported one. */
  get(category: PrivacyCategory): PrivacySetting | undefined;
  /** The value of `category`, if the server reported one. */
  getValue(category: PrivacyCategory): PrivacyValue | undefined;
}

/** A change of the default disappearing mode, from this or another device. */
export interface DisappearingModeChange {
  /** Seconds; 0 when off. */
  duration: number;
  /** When it was set (unix seconds), when the server says. */
  timestamp?: number | undefined;
}

/** What `client.use(privacyModule)` gives. */
export interface PrivacyApi {
  /** Every privacy setting of the account. */
  fetchPrivacySettings(): Promise<PrivacySettings>;
  /**
   * Sets one category. Rejects with `InvalidPrivacySettingError`, before anything is sent, for a
   * pair the protocol does not allow (`isValidPrivacyValue`). Resolves with the list's `dhash` when
   * the value is `contact_blacklist` and the server gave one.
   */
  setPrivacySetting(category: PrivacyCategory, value: PrivacyValue): Promise<{ dhash?: string }>;
  /**
   * Adds users to or removes them from the disallowed list of `last`, `profile`, `status` or
   * `groupadd`; resolves with the list's new dhash. `update.dhash` is the list's current one (from
   * `fetchPrivacySettings`); when another device changed the list meanwhile, the server refuses and
   * this rejects with `PrivacyListConflictError`: fetch again and retry.
   */
  setPrivacyDisallowedList(category: PrivacyCategory, update: DisallowedListUpdate): Promise<string>;
  /** Sets the timer new chats start with, in seconds (0 turns it off). */
  setDefaultDisappearingMode(seconds: number): Promise<void>;
  /** The default disappearing mode last set here or notified by the server, if known. */
  getDefaultDisappearingMode(): Promise<DisappearingModeChange | undefined>;
}

const DISAPPEARING_KEY = 'default-disappearing-mode';

/**
 * The privacy module; mount it with `client.use(privacyModule)`. Emits `disappearing-mode` and
 * `privacy-settings-update` (`{ settings }`: what another device of the account changed).
 */
export const privacyModule = defineModule('privacy', (host): PrivacyApi => {
  // Another device changed a setting: `<notification type=account_sync><privacy><category name
  // value/>…`. Reported as an event, as whatsmeow does (Baileys and whatsapp-rust drop it). Passed
  // on after: other modules read other children of the same notification.
  host.handle({
    name: 'privacy:account-sync',
    match: (node: BinaryNode) =>
      node.tag === 'notification' &&
      node.attrs.type === 'account_sync' &&
      getChild(node, 'privacy') !== undefined,
    handle: ({ node }) => {
      try {
        const settings = parsePrivacySettings(node);
        if (settings.length > 0) host.emit('privacy-settings-update', { settings });
      } catch (error) {
        host.logger.warn?.('an unreadable account_sync <privacy> was dropped', { error });
      }
      return false;
    },
  });
  host.handle({
    name: 'privacy:disappearing-mode',
    match: { tag: 'notification', attrs: { type: 'disappearing_mode' } },
    handle: async ({ node }) => {
      const change = readDisappearingMode(node);
      if (change === undefined) return;
      await host.data.putJson(DISAPPEARING_KEY, change);
      host.emit('disappearing-mode', change);
    },
  });

  return {
    async fetchPrivacySettings() {
      return settingsOf(parsePrivacySettings(await host.query(buildPrivacyGet())));
    },

    async setPrivacySetting(category, value) {
      if (!isValidPrivacyValue(category, value)) {
        const allowed = PRIVACY_VALUES[category];
        throw new InvalidPrivacySettingError(
          category,
          value,
          allowed === undefined
            ? `"${category}" is not a privacy category this client knows`
            : `"${category}" takes ${allowed.join(', ')}, not "${value}"`,
        );
      }
      const dhash = dhashIn(await host.query(buildPrivacySet(category, value)), category);
      return dhash === undefined ? {} : { dhash };
    },

    async setPrivacyDisallowedList(category, update) {
      if (!hasDisallowedList(category)) {
        throw new InvalidPrivacySettingError(
          category,
          'contact_blacklist',
          `only ${DISALLOWED_LIST_CATEGORIES.join(', ')} have a disallowed list, not "${category}"`,
        );
      }
      let reply: BinaryNode;
      try {
        reply = await host.query(buildDisallowedListSet(category, update));
      } catch (error) {
        if (isWakitError(error, IqError) && error.errorCode === 409) {
          throw new PrivacyListConflictError(category, update.dhash, { cause: error });
        }
        throw error;
      }
      return dhashIn(reply, category) ?? update.dhash;
    },

    async setDefaultDisappearingMode(seconds) {
      if (!Number.isInteger(seconds) || seconds < 0) {
        throw new RangeError(`"seconds" expected a whole number of seconds >= 0, got ${seconds}`);
      }
      await host.query(buildDisappearingModeSet(seconds));
      await host.data.putJson(DISAPPEARING_KEY, { duration: seconds } satisfies DisappearingModeChange);
    },

    getDefaultDisappearingMode() {
      return host.data.getJson<DisappearingModeChange>(DISAPPEARING_KEY);
    },
  };
});

function settingsOf(settings: PrivacySetting[]): PrivacySettings {
  const get = (category: PrivacyCategory) => settings.find((s) => s.category === category);
  return { settings, get, getValue: (category) => get(category)?.value };
}

/** `<notification type=disappearing_mode><disappearing_mode duration [t]/>`; undefined when unreadable. */
export function readDisappearingMode(node: BinaryNode): DisappearingModeChange | undefined {
  const mode = getChild(node, 'disappearing_mode');
  const duration = Number(mode?.attrs.duration);
  if (mode === undefined || !Number.isInteger(duration) || duration < 0) return undefined;
  const timestamp = Number(mode.attrs.t);
  return Number.isInteger(timestamp) && timestamp > 0 ? { duration, timestamp } : { duration };
}
