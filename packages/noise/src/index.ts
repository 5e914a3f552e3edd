/**
 * @packageDocumentation
 * Noise handshakes for the WhatsApp Web protocol, sans-IO: the generic Noise core (`CipherState`,
 * `SymmetricState`, `HandshakeState` running the XX, IK and XXfallback patterns with 25519, AESGCM
 * and SHA256, Noise spec rev 34), WhatsApp framing, and the WhatsApp handshake on top.
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
export {
  type CertificateInfo,
  type VerifiedCertChain,
  type VerifyCertChainOptions,
  verifyCertChain,
} from './cert-chain';
// Generic Noise core.
export {
  AEAD_TAG_LENGTH,
  CIPHER_KEY_LENGTH,
  CipherState,
  type CipherStateOptions,
  NOISE_NONCE_LIMIT,
} from './cipher-state';
export { ClientHandshake, type ClientHandshakeOptions, type ClientHandshakeResult } from './client-handshake';
export {
  CertificateChainError,
  type CertificateChainFailure,
  FrameTooLargeError,
  HandshakeMessageError,
  HandshakeStateError,
  IntroError,
  isNoiseError,
  NoiseDecryptError,
  NonceExhaustedError,
  SyncCipherUnavailableError,
} from './errors';
export { FrameDecoder, type FrameDecoderOptions } from './frame-decoder';
export { encodeFrame, encodeFrames } from './frame-encoder';
export { checkFramePayloadLength, frameSize, readFrameLength, writeFrameLength } from './framing';
export { DH_LENGTH, HandshakeState, type HandshakeStateOptions } from './handshake-state';
export { encodeIntro, type Intro, ServerFrameDecoder, type ServerFrameDecoderOptions } from './intro';
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
export { ServerHandshake, type ServerHandshakeOptions, type ServerHandshakeResult } from './server-handshake';
export { HASH_LENGTH, SymmetricState } from './symmetric-state';
export { NoiseTransport } from './transport';
// WhatsApp layer: framing, intro, certificate chain, handshakes, transport.
export {
  EDGE_ROUTING_MAGIC,
  FRAME_LENGTH_SIZE,
  FRAME_MAX_PAYLOAD_SIZE,
  FRAME_MAX_SIZE,
  MAX_ROUTING_INFO_SIZE,
  WA_CERT_ISSUER_SERIAL,
  WA_CERT_ROOT_PUBLIC_KEY_HEX,
  WA_CONN_HEADER_SIZE,
  WA_DICT_VERSION,
  WA_MAGIC_VALUE,
  WA_NONCE_LIMIT,
  WA_XX_PROTOCOL_NAME,
  type WaPattern,
  waCertRootPublicKey,
  waConnHeader,
} from './wa-constants';
