/**
 * @packageDocumentation
 * wakit's feature modules over `@wakit/client`. Each protocol namespace is a sans-IO request
 * builder and reply parser (unit-tested without a socket) with a thin module shell, mounted with
 * `client.use(module)`. So far: privacy settings, disallowed lists and the default disappearing
 * mode; blocking; presence and chat state.
 */

// The shared error model (@wakit/errors), so this package alone is enough to catch by kind.
export {
  ERROR_KINDS,
  type ErrorKind,
  IoError,
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  WakitError,
  type WakitErrorClass,
} from '@wakit/errors';
export { type BlockingApi, blockingModule } from './blocking/blocking-module';
export {
  type Blocklist,
  type BlocklistChange,
  buildBlocklistGet,
  buildBlocklistUpdate,
  parseBlocklist,
  parseBlocklistChange,
} from './blocking/blocklist-wire';
export { InvalidPrivacySettingError, MalformedFeatureReplyError, PrivacyListConflictError } from './errors';
export { type PresenceApi, presenceModule } from './presence/presence-module';
export {
  buildChatState,
  buildPresence,
  buildPresenceSubscribe,
  type ChatState,
  type ChatStateUpdate,
  type PresenceUpdate,
  parseChatState,
  parsePresence,
} from './presence/presence-wire';
export {
  type DisappearingModeChange,
  type PrivacyApi,
  type PrivacySettings,
  privacyModule,
  readDisappearingMode,
} from './privacy/privacy-module';
export {
  DISALLOWED_LIST_CATEGORIES,
  hasDisallowedList,
  isValidPrivacyValue,
  PRIVACY_VALUES,
  type PrivacyCategory,
  type PrivacyValue,
} from './privacy/privacy-values';
export {
  buildDisallowedListSet,
  buildDisappearingModeSet,
  buildPrivacyGet,
  buildPrivacySet,
  type DisallowedListUpdate,
  type DisallowedListUser,
  dhashIn,
  type PrivacySetting,
  parsePrivacySettings,
} from './privacy/privacy-wire';
