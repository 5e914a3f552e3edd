/**
 * An embeddable WhatsApp-protocol server for tests and demos: real WebSockets on loopback, the
 * Noise XX handshake with a certificate chain under a generated test root, encrypted binary-node
 * stanzas, and virtual phones that own accounts and link companions by QR code or pair code.
 *
 * @example
 * ```ts
 * import { startServer } from '@wakit/server';
 *
 * const server = await startServer();
 * const phone = await server.phones.create('15550001234');
 * // connect a client to server.url trusting server.rootPublicKey, read its QR, then:
 * const jid = await phone.scanQr(qr);
 * await server.waitFor('login', jid);
 * await server.close();
 * ```
 *
 * @packageDocumentation
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
export { AB_PROPS_REFRESH_S, type AbPropEntry, DEFAULT_AB_PROPS } from './ab-props';
export {
  ADV_ACCOUNT_SIGNATURE_PREFIX,
  ADV_DEVICE_SIGNATURE_PREFIX,
  type IssueDeviceIdentityOptions,
  type IssuedDeviceIdentity,
  issueDeviceIdentity,
  type VerifyDeviceSignOptions,
  verifyDeviceSign,
} from './adv';
export { PAIRING_WINDOW_MS } from './connection-handler';
export { DIRTY_TYPES, type DirtyBit, type DirtyClean } from './dirty-bits';
export { DIRTY_XMLNS } from './dirty-iqs';
export {
  ConnectionStateError,
  isPhonePairingError,
  PhonePairingError,
  type PhonePairingFailure,
  ServerClosedError,
} from './errors';
export {
  type ConnectionInfo,
  type EventFilter,
  type ServerEventMap,
  type ServerEventName,
  ServerEvents,
  WAIT_FOR_TIMEOUT_MS,
} from './events';
export {
  GroupRegistry,
  type StoredGroup,
  type StoredGroupDescription,
  type StoredGroupParticipant,
  type StoredGroupRole,
  type StoredGroupSettings,
} from './group-state';
export { MessagingFaults } from './messaging-faults';
export type { StreamConflict } from './nodes';
export { normalizePairCode, PAIR_CODE_PBKDF2_ROUNDS } from './pair-code-crypto';
export { PHONE_PLATFORM } from './pair-success';
export { type PhoneAccount, VirtualPhone } from './phone';
export {
  PHONE_WAIT_TIMEOUT_MS,
  type PhoneEventMap,
  type PhoneEventName,
  type PhoneMessage,
  type PhoneMessageInfo,
  type PhoneReceipt,
  type UndecryptableMessage,
} from './phone-inbox';
export { PHONE_MAX_RETRY_COUNT } from './phone-receive';
export { PHONE_SENT_MESSAGES_KEPT, type PhoneSendOptions } from './phone-send';
export type { PairwiseType, PhoneSignal } from './phone-signal';
export { type CreatePhoneOptions, PHONE_PREKEY_COUNT, Phones } from './phones';
export { PROFILE_PICTURE_XMLNS } from './profile-picture-iqs';
export type { AboutText, StoredProfilePicture } from './profile-state';
export { ABOUT_MAX_LENGTH, type PictureLocation, type PictureType, Profiles } from './profiles';
export { parseQr, QR_DEEP_LINK_PREFIX, type QrData } from './qr';
export {
  SPAM_FLOWS,
  type SpamFlow,
  type SpamReport,
  type SpamReportedMessage,
} from './spam-reports';
export { type StartServerOptions, startServer, type WaServer } from './start-server';
