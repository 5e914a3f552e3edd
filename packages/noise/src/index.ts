/**
 * @packageDocumentation
 * Noise handshakes for the WhatsApp Web protocol, sans-IO: the generic Noise core (`CipherState`,
 * `SymmetricState`, `HandshakeState` running the XX, IK and XXfallback patterns with 25519, AESGCM
 * and SHA256, Noise spec rev 34), WhatsApp framing, and the WhatsApp handshake on top.
 */

// Generic Noise core.
export {
  AEAD_TAG_LENGTH,
  CIPHER_KEY_LENGTH,
  CipherState,
  type CipherStateOptions,
  NOISE_NONCE_LIMIT,
} from './cipher-state';
export {
  CertificateChainError,
  type CertificateChainFailure,
  type ErrorKind,
  FrameTooLargeError,
  HandshakeMessageError,
  HandshakeStateError,
  IntroError,
  isNoiseError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  NoiseDecryptError,
  NonceExhaustedError,
  RemoteProtocolError,
  WakitError,
} from './errors';
export { DH_LENGTH, HandshakeState, type HandshakeStateOptions } from './handshake-state';
export {
  defaultProtocolName,
  type HandshakePattern,
  IK,
  type MessagePattern,
  PATTERNS,
  type PatternName,
  type PreMessageToken,
  type Role,
  type Token,
  XX,
  XX_FALLBACK,
} from './patterns';
export { HASH_LENGTH, SymmetricState } from './symmetric-state';
