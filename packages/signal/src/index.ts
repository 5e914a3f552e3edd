/**
 * @packageDocumentation
 * The Signal protocol as WhatsApp uses it, wire-compatible with libsignal (npm `libsignal`, the
 * implementation WhatsApp Web clients run): identity and prekey generation, X3DH sessions from
 * prekey bundles, the Double Ratchet with version-3 `pkmsg`/`msg` messages, and sender keys for
 * groups. Sessions are immutable values with a documented binary format behind a small async store
 * contract; a failed decrypt never changes what is stored. Portable: no Node built-ins.
 */

// Errors, addresses, keys and the store contract
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
export { ProtocolAddress, SenderKeyName } from './address';
export {
  BadMacError,
  DuplicateMessageError,
  InvalidMessageError,
  InvalidSignatureError,
  isSignalError,
  MissingPreKeyError,
  NoSenderKeyError,
  NoSessionError,
  RecordFormatError,
  TooFarInFutureError,
  UnsupportedVersionError,
  UntrustedIdentityError,
} from './errors';
export {
  generateIdentityKeyPair,
  generatePreKeys,
  generateRegistrationId,
  generateSignedPreKey,
  MAX_PREKEY_ID,
  MAX_REGISTRATION_ID,
  type PreKey,
  type SignedPreKey,
} from './keys';
export { MemorySignalStore } from './memory-store';
export { DJB_TYPE, deserializePublicKey, serializePublicKey } from './public-key';
export {
  decryptPreKeyWithRecord,
  decryptWithRecord,
  type EncryptedMessage,
  encryptWithRecord,
  type LocalIdentity,
  type PreKeyLookup,
  type RecordDecryptResult,
} from './record-cipher';

// 1:1 sessions: X3DH, the Double Ratchet, session records
export {
  initSessionFromBundle,
  type PreKeyBundle,
  SessionBuilder,
  type SessionBuilderStore,
} from './session-builder';
export { type DecryptResult, SessionCipher, type SessionCipherStore } from './session-cipher';
export type { SessionOptions, UntrustedIdentityPolicy } from './session-options';
export { SessionRecord } from './session-record';
export { SESSION_RECORD_FORMAT_VERSION } from './session-record-codec';
export {
  MAX_ARCHIVED_STATES,
  MAX_FORWARD_JUMP,
  MAX_MESSAGE_KEYS,
  MAX_RECEIVER_CHAINS,
  type PendingPreKey,
  type ReceiverChain,
  type SenderChain,
  type SessionState,
} from './session-state';
export type {
  Direction,
  IdentityKeyStore,
  PreKeyStore,
  SenderKeyStore,
  SessionStore,
  SignalStore,
  SignedPreKeyStore,
} from './store';

// Sender keys (groups, status): SKDM and skmsg wire forms, records, the pure layer and its store
// shells. (A detached comment: it keeps this block a chunk of its own for Biome's export sorting.)

export { GroupCipher } from './group-cipher';
export { GroupSessionBuilder } from './group-session-builder';
export {
  type GroupDecryptResult,
  type GroupEncryptResult,
  groupDecrypt,
  groupEncrypt,
  type SenderKeyOptions,
} from './sender-key-cipher';
export {
  type CreateSenderKeyOptions,
  type CreateSenderKeyResult,
  createSenderKeyDistributionMessage,
  processSenderKeyDistributionMessage,
} from './sender-key-distribution';
export {
  decodeSenderKeyDistributionMessage,
  encodeSenderKeyDistributionMessage,
  SENDER_KEY_VERSION_BYTE,
  type SenderKeyDistributionMessage,
} from './sender-key-distribution-message';
export {
  decodeSenderKeyMessage,
  SENDER_KEY_SIGNATURE_LENGTH,
  type SenderKeyMessage,
} from './sender-key-message';
export {
  addSenderKeyState,
  emptySenderKeyRecord,
  findSenderKeyState,
  SENDER_KEY_MAX_FORWARD_ITERATIONS,
  SENDER_KEY_MAX_SKIPPED_KEYS,
  SENDER_KEY_MAX_STATES,
  type SenderKeyRecord,
  type SenderKeyState,
  type SkippedMessageKey,
} from './sender-key-record';
export {
  decodeSenderKeyRecord,
  encodeSenderKeyRecord,
  SENDER_KEY_RECORD_FORMAT,
} from './sender-key-record-codec';
