/**
 * The sans-IO authentication pieces (internal barrel; `src/index.ts` picks the public ones): new
 * credentials, the ClientPayload, QR and phone-number pairing, pair-success verification and
 * one-time prekey upload. Every function takes nodes and credentials and returns new ones; the
 * connection core sends, receives and stores.
 */
export {
  buildClientPayload,
  type ClientPayloadOptions,
  DEFAULT_WA_VERSION,
} from './client-payload';
export {
  type BrowserDescription,
  companionPlatformDisplay,
  companionPlatformId,
  DEFAULT_BROWSER,
  devicePlatformType,
} from './companion-platform';
export { ADV_SECRET_LENGTH, generateCredentials, INITIAL_SIGNED_PREKEY_ID } from './credentials';
export {
  buildDigestQuery,
  checkKeyBundle,
  type KeyBundleDigest,
  type KeyBundleProblem,
  keyBundleHash,
  parseDigest,
} from './key-bundle-digest';
export {
  encodePairCode,
  formatPairCode,
  handlePrimaryHello,
  PAIR_CODE_ALPHABET,
  PAIR_CODE_PBKDF2_ITERATIONS,
  PAIR_CODE_VALIDITY_MS,
  type PairCodeState,
  parseCompanionHelloResult,
  type StartPairCodeOptions,
  startPairCode,
} from './pair-code';
export {
  FIRST_QR_TIMEOUT_MS,
  handlePairDevice,
  makeQrData,
  NEXT_QR_TIMEOUT_MS,
  QR_DEEP_LINK_PREFIX,
} from './pair-qr';
export {
  ADV_ACCOUNT_SIGNATURE_PREFIX,
  ADV_DEVICE_SIGNATURE_PREFIX,
  ADV_HOSTED_ACCOUNT_SIGNATURE_PREFIX,
  handlePairSuccess,
  type PairSuccessResult,
  pairErrorReply,
} from './pair-success';
export {
  buildPreKeyCountQuery,
  buildPreKeyUpload,
  generatePreKeys,
  INITIAL_PREKEY_COUNT,
  MIN_PREKEY_COUNT,
  parsePreKeyCount,
} from './prekeys';
