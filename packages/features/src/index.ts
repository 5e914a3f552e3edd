/**
 * @packageDocumentation
 * wakit's feature modules over `@wakit/client`. Each protocol namespace is a sans-IO request
 * builder and reply parser (unit-tested without a socket) with a thin module shell, mounted with
 * `client.use(module)`: privacy settings, disallowed lists and the default disappearing
 * mode; blocking; presence and chat state; contacts; trusted-contact tokens; the account (push
 * name, A/B props, dirty bits, passive mode, the key-bundle digest); spam reports; groups; the
 * WhatsApp Web version to announce.
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
export { type AbProps, type AccountApi, accountModule } from './account/account-module';
export {
  buildPassiveSet,
  buildPushNamePresence,
  checkPushName,
  PUSH_NAME_MAX_LENGTH,
} from './account/account-wire';
export {
  buildCleanDirtyBits,
  DIRTY_BIT_TYPES,
  type DirtyBitEvent,
  type DirtyType,
  parseDirtyBits,
} from './account/dirty-wire';
export { buildPropsQuery, PROPS_PROTOCOL, type PropsReply, parseProps } from './account/props-wire';
export { type BlockingApi, blockingModule } from './blocking/blocking-module';
export {
  type Blocklist,
  type BlocklistChange,
  buildBlocklistGet,
  buildBlocklistUpdate,
  parseBlocklist,
  parseBlocklistChange,
} from './blocking/blocklist-wire';
export {
  type ContactsApi,
  type ContactsEvents,
  contactsModule,
  type OnWhatsAppResult,
} from './contacts/contacts-module';
export {
  buildOnWhatsAppQuery,
  type OnWhatsAppAnswer,
  parseOnWhatsApp,
  phoneDigits,
} from './contacts/on-whatsapp-wire';
export { type PictureChangedEvent, parsePictureNotification } from './contacts/picture-notification';
export {
  buildProfilePictureGet,
  type ProfilePicture,
  type ProfilePictureAnswer,
  type ProfilePictureQuery,
  parseProfilePicture,
  type UnchangedProfilePicture,
} from './contacts/profile-picture-wire';
export { buildUserInfoQuery, parseUserInfo, type UserInfo } from './contacts/user-info-wire';
export {
  GroupDescriptionConflictError,
  type GroupInviteRefusal,
  GroupInviteRefusedError,
  GroupNotAdminError,
  GroupNotFoundError,
  InvalidGroupDescriptionError,
  InvalidGroupJidError,
  InvalidGroupSubjectError,
  InvalidInviteCodeError,
  InvalidPrivacySettingError,
  InvalidPushNameError,
  InvalidSpamFlowError,
  MalformedFeatureReplyError,
  NotGroupMemberError,
  PrivacyListConflictError,
  ProfilePictureNotAuthorizedError,
  WaWebVersionFetchError,
} from './errors';
export {
  checkDescription,
  checkGroupJid,
  checkParticipantJid,
  checkSubject,
  GROUP_DESCRIPTION_MAX_LENGTH,
  GROUP_SUBJECT_MAX_LENGTH,
} from './groups/group-checks';
export {
  type AddressingMode,
  type GroupMetadata,
  type GroupParticipant,
  type GroupSettings,
  MEMBER_ADD_MODES,
  type MemberAddMode,
  parseGroupNode,
  parseGroupReply,
  parseParticipant,
  parseParticipatingGroups,
} from './groups/group-metadata';
export {
  applyGroupNotification,
  type GroupCreatedEvent,
  type GroupJoinRequestsEvent,
  type GroupNotification,
  type GroupParticipantsEvent,
  type GroupUpdatedEvent,
  parseGroupNotification,
} from './groups/group-notification';
export { buildGroupPictureSet, parseGroupPictureId } from './groups/group-picture-wire';
export type { GroupsRefreshedEvent } from './groups/groups-dirty-bit';
export {
  type CreatedGroup,
  type CreateGroupOptions,
  type GroupEvents,
  type GroupsApi,
  groupsModule,
} from './groups/groups-module';
export {
  buildCreateGroup,
  buildDescriptionSet,
  buildGroupQuery,
  buildLeave,
  buildParticipatingQuery,
  buildSettingSet,
  buildSubjectSet,
  type CreateGroupRequest,
  GROUP_XMLNS,
  GROUPS_SERVER,
  type GroupParticipantRequest,
  type GroupSettingChange,
  INVITE_LINK_PREFIX,
} from './groups/groups-wire';
export {
  buildAcceptInvite,
  buildInviteCodeQuery,
  buildInviteInfoQuery,
  buildJoinWithInvite,
  inviteCodeOf,
  type JoinResult,
  type PersonalInvite,
  parseInviteLink,
  parseJoinReply,
} from './groups/invite-wire';
export {
  buildJoinRequestsAction,
  buildJoinRequestsQuery,
  type JoinRequest,
  type JoinRequestVerdict,
  parseJoinRequests,
  parseJoinRequestsAction,
} from './groups/join-requests-wire';
export {
  buildParticipantsChange,
  type ParticipantAction,
  type ParticipantResult,
  parseParticipantResult,
  parseParticipantResults,
} from './groups/participants-wire';
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
export { type SpamApi, type SpamReportRequest, spamModule } from './spam/spam-module';
export {
  buildSpamReport,
  isSpamReportFlow,
  parseSpamReportId,
  SPAM_REPORT_FLOWS,
  type SpamReportFlow,
  type SpamReportNode,
} from './spam/spam-wire';
export {
  isTcTokenExpired,
  shouldIssueTcToken,
  TC_TOKEN_BUCKET_SECONDS,
  TC_TOKEN_BUCKETS,
  tcTokenCutoff,
} from './tctoken/tctoken-buckets';
export {
  type TcTokenApi,
  type TcTokenEvent,
  tcTokenModule,
} from './tctoken/tctoken-module';
export {
  buildTcTokenNode,
  buildTokenIssue,
  type PrivacyTokenNotification,
  parseIssuedTokens,
  parsePrivacyTokenNotification,
  type ReceivedTcToken,
  type TcToken,
} from './tctoken/tctoken-wire';
export {
  type FetchWaWebVersionOptions,
  fetchWaWebVersion,
  WA_WEB_SW_URL,
  WA_WEB_VERSION_TIMEOUT_MS,
  type WaVersionSource,
  type WaWebVersion,
} from './version/fetch-wa-web-version';
export { parseSwJs, type WaVersion } from './version/sw-js';
export {
  WA_WEB_VERSION_MAX_AGE_MS,
  WA_WEB_VERSION_NAMESPACE,
  WaWebVersionCache,
  type WaWebVersionCacheOptions,
} from './version/wa-web-version-cache';
