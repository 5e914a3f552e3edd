/**
 * @packageDocumentation
 * The Signal protocol as WhatsApp uses it, wire-compatible with libsignal (npm `libsignal`, the
 * implementation WhatsApp Web clients run): identity and prekey generation, X3DH sessions from
 * prekey bundles, the Double Ratchet with version-3 `pkmsg`/`msg` messages, and sender keys for
 * groups. Sessions are immutable values with a documented binary format behind a small async store
 * contract; a failed decrypt never changes what is stored. Portable: no Node built-ins.
 */

export { ProtocolAddress, SenderKeyName } from './address';
// Errors, addresses, keys and the store contract
export {
  BadMacError,
  DuplicateMessageError,
  type ErrorKind,
  InvalidMessageError,
  InvalidSignatureError,
  isRemoteProtocolError,
  isSignalError,
  isWakitError,
  LocalProtocolError,
  MissingPreKeyError,
  NoSenderKeyError,
  NoSessionError,
  RecordFormatError,
  RemoteProtocolError,
  TooFarInFutureError,
  UnsupportedVersionError,
  UntrustedIdentityError,
  WakitError,
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
