/**
 * Phone-number pairing (docs/protocol.md §5.4). The companion shows an 8-character code; the user types
 * it on the phone. Both sides wrap an ephemeral X25519 key with a key derived from the code
 * (PBKDF2), so only someone who saw the code can take part; from the two ephemerals, the identity
 * keys and a random value the companion derives the new ADV secret and sends the primary what it
 * needs to derive the same one. The pair-success that follows is checked with it (pair-success.ts).
 *
 * Flow: `startPairCode` → send its iq → `parseCompanionHelloResult` on the answer (records the
 * pairing ref) → on the `primary_hello` notification `handlePrimaryHello` → send its iq, save the
 * credentials (the ADV secret changed) → pair-success.
 */
import { type BinaryNode, getChild, readAttrs } from '@wakit/binary-node';
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { ascii, concatBytes, equalBytes } from '../_bytes';
import { PairCodeError } from '../errors';
import type { DeviceCredentials } from '../store/store';
import { childBytes, SERVER } from './_stanza';
import {
  type BrowserDescription,
  companionPlatformDisplay,
  companionPlatformId,
  DEFAULT_BROWSER,
} from './companion-platform';

/** The code alphabet: Crockford-like base32 without 0, I, O, U (whatsmeow `linkingBase32`). */
export const PAIR_CODE_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';
/** PBKDF2-HMAC-SHA256 iterations for the code key: whatsmeow's `2<<16`. */
export const PAIR_CODE_PBKDF2_ITERATIONS = 131_072;
/** How long the server keeps a code valid (whatsapp-rust `PAIR_CODE_VALIDITY_SECS`). */
export const PAIR_CODE_VALIDITY_MS = 180_000;

const CODE_LENGTH = 8;
const SALT_LENGTH = 32;
const CTR_IV_LENGTH = 16;
const GCM_IV_LENGTH = 12;
/** salt(32) || iv(16) || AES-256-CTR(32-byte key). */
const WRAPPED_KEY_LENGTH = SALT_LENGTH + CTR_IV_LENGTH + 32;
const KEY_BUNDLE_INFO = ascii('link_code_pairing_key_bundle_encryption_key');
const ADV_SECRET_INFO = ascii('adv_secret');

/** What a client keeps between `startPairCode` and `handlePrimaryHello`. Holds a private key: keep it in memory. */
export interface PairCodeState {
  /** The 8-character code, without the dash. */
  code: string;
  /** `<digits>@s.whatsapp.net`, the account being linked. */
  phoneJid: string;
  /** The companion's ephemeral key for this exchange. */
  ephemeralKeyPair: KeyPair;
  /** From the companion_hello answer (`parseCompanionHelloResult`); primary_hello must carry the same. */
  pairingRef?: Uint8Array | undefined;
}

/** Options of `startPairCode`. */
export interface StartPairCodeOptions {
  /** Ask the phone to show a notification (default true, as whatsapp-rust and Baileys). */
  showPushNotification?: boolean;
  /** Client-type character (default from `browser`, see `companionPlatformId`). */
  platformId?: string;
  /** "Browser (OS)" display (default from `browser`); the server refuses other formats with 400. */
  platformDisplay?: string;
  /** Where the two defaults above come from (default `DEFAULT_BROWSER`). */
  browser?: BrowserDescription;
  /** A chosen code: 8 characters of `PAIR_CODE_ALPHABET` (case-insensitive). Default random. */
  code?: string;
}

/**
 * The 8-character code (show it as `formatPairCode(code)`), the companion_hello IQ to send and the
 * state to keep for `handlePrimaryHello`.
 *
 * @param phoneNumber international number; anything but digits is dropped (`+1 (555) 010-2000`).
 * @throws RangeError for a number shorter than 7 digits or starting with 0, or a malformed `code`.
 *
 * @example
 * const { code, iq, state } = await startPairCode(credentials, '+15550102000', crypto);
 * show(formatPairCode(code));
 * const pending = parseCompanionHelloResult(await query(iq), state);
 */
export async function startPairCode(
  credentials: DeviceCredentials,
  phoneNumber: string,
  crypto: CryptoProvider,
  options: StartPairCodeOptions = {},
): Promise<{ code: string; iq: BinaryNode; state: PairCodeState }> {
  // whatsmeow `PairPhone`: the same checks, the same messages' sense.
  const digits = phoneNumber.replace(/[^0-9]/g, '');
  if (digits.length <= 6) throw new RangeError(`phone number too short: ${JSON.stringify(phoneNumber)}`);
  if (digits.startsWith('0')) {
    throw new RangeError(`phone number must be international (no leading 0): ${JSON.stringify(phoneNumber)}`);
  }
  const code =
    options.code === undefined ? encodePairCode(crypto.randomBytes(5)) : normalizeCode(options.code);
  const browser = options.browser ?? DEFAULT_BROWSER;
  const ephemeralKeyPair = await crypto.generateKeyPair();
  const wrapped = await wrapWithCode(ephemeralKeyPair.publicKey, code, crypto);
  const phoneJid = `${digits}@s.whatsapp.net`;
  const iq: BinaryNode = {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'md' },
    content: [
      {
        tag: 'link_code_companion_reg',
        attrs: {
          jid: phoneJid,
          stage: 'companion_hello',
          should_show_push_notification: String(options.showPushNotification ?? true),
        },
        content: [
          { tag: 'link_code_pairing_wrapped_companion_ephemeral_pub', attrs: {}, content: wrapped },
          {
            tag: 'companion_server_auth_key_pub',
            attrs: {},
            content: new Uint8Array(credentials.noiseKey.publicKey),
          },
          // Strings, as whatsmeow and Baileys send them (whatsapp-rust sends the same text as bytes).
          {
            tag: 'companion_platform_id',
            attrs: {},
            content: options.platformId ?? companionPlatformId(browser),
          },
          {
            tag: 'companion_platform_display',
            attrs: {},
            content: options.platformDisplay ?? companionPlatformDisplay(browser),
          },
          // docs/protocol.md §5.4 DISAGREE: a 0x00 byte (whatsmeow, whatsapp-rust) rather than Baileys' "0".
          { tag: 'link_code_pairing_nonce', attrs: {}, content: Uint8Array.of(0) },
        ],
      },
    ],
  };
  return { code, iq, state: { code, phoneJid, ephemeralKeyPair } };
}

/**
 * Records the pairing ref from the server's answer to companion_hello
 * (`<iq type="result"><link_code_companion_reg><link_code_pairing_ref>`), returning a new state.
 *
 * @throws PairCodeError when the answer carries no ref.
 */
export function parseCompanionHelloResult(result: BinaryNode, state: PairCodeState): PairCodeState {
  const reg = getChild(result, 'link_code_companion_reg');
  const pairingRef = reg === undefined ? undefined : childBytes(reg, 'link_code_pairing_ref');
  if (pairingRef === undefined || pairingRef.length === 0) {
    throw new PairCodeError('the companion_hello answer has no <link_code_pairing_ref>');
  }
  return { ...state, pairingRef: new Uint8Array(pairingRef) };
}

/**
 * On `<notification type="link_code_companion_reg"><link_code_companion_reg stage="primary_hello">`:
 * the companion_finish IQ to send and the credentials with the new ADV secret (save them before
 * sending: the pair-success HMAC is keyed with it).
 *
 * @throws PairCodeError when the notification is malformed, is not primary_hello, carries another
 *   pairing ref than the companion_hello answer, or holds a key no X25519 exchange accepts.
 */
export async function handlePrimaryHello(
  notification: BinaryNode,
  state: PairCodeState,
  credentials: DeviceCredentials,
  crypto: CryptoProvider,
): Promise<{ iq: BinaryNode; credentials: DeviceCredentials }> {
  const reg = getChild(notification, 'link_code_companion_reg');
  if (reg === undefined) throw new PairCodeError('the notification has no <link_code_companion_reg>');
  const attrs = readAttrs(reg);
  const stage = attrs.optionalString('stage');
  if (stage !== 'primary_hello') {
    throw new PairCodeError(`expected stage "primary_hello", got ${JSON.stringify(stage ?? null)}`);
  }
  const pairingRef = childBytes(reg, 'link_code_pairing_ref');
  const wrappedPrimary = childBytes(reg, 'link_code_pairing_wrapped_primary_ephemeral_pub');
  const primaryIdentity = childBytes(reg, 'primary_identity_pub');
  if (pairingRef === undefined || pairingRef.length === 0) {
    throw new PairCodeError('primary_hello has no <link_code_pairing_ref>');
  }
  // Plain equality: the ref is the server's public handle for this pairing, not a secret or a MAC.
  if (state.pairingRef !== undefined && !equalBytes(pairingRef, state.pairingRef)) {
    throw new PairCodeError('primary_hello carries another pairing ref than companion_hello was given');
  }
  // whatsapp-rust insists on exactly 80 bytes; whatsmeow would read the first 80 of a longer one.
  if (wrappedPrimary?.length !== WRAPPED_KEY_LENGTH) {
    throw new PairCodeError(
      `primary ephemeral key: expected ${WRAPPED_KEY_LENGTH} bytes, got ${wrappedPrimary?.length}`,
    );
  }
  if (primaryIdentity?.length !== 32) {
    throw new PairCodeError(`primary identity key: expected 32 bytes, got ${primaryIdentity?.length}`);
  }

  const primaryEphemeral = await unwrapWithCode(wrappedPrimary, state.code, crypto);
  let ephemeralShared: Uint8Array;
  let identityShared: Uint8Array;
  try {
    ephemeralShared = await crypto.sharedKey(state.ephemeralKeyPair.privateKey, primaryEphemeral);
    identityShared = await crypto.sharedKey(credentials.identityKey.privateKey, primaryIdentity);
  } catch (error) {
    throw new PairCodeError('the primary sent a key X25519 refuses (low order)', { cause: error });
  }

  // The bundle tells the primary our identity and the randomness; both sides then hold every input
  // of the ADV secret: the two shared secrets and `random`.
  const random = crypto.randomBytes(32);
  const bundleSalt = crypto.randomBytes(SALT_LENGTH);
  const bundleIv = crypto.randomBytes(GCM_IV_LENGTH);
  const bundleKey = await crypto.hkdf(ephemeralShared, 32, { salt: bundleSalt, info: KEY_BUNDLE_INFO });
  const bundle = concatBytes(credentials.identityKey.publicKey, primaryIdentity, random);
  const sealed = await crypto.aesGcmEncrypt(bundleKey, bundleIv, bundle);
  // No salt: HKDF's default of 32 zero bytes, which whatsmeow's `hkdfutil.SHA256(…, nil, …)` also uses.
  const advSecretKey = await crypto.hkdf(concatBytes(ephemeralShared, identityShared, random), 32, {
    info: ADV_SECRET_INFO,
  });

  const iq: BinaryNode = {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'md' },
    content: [
      {
        tag: 'link_code_companion_reg',
        attrs: { jid: state.phoneJid, stage: 'companion_finish' },
        content: [
          {
            tag: 'link_code_pairing_wrapped_key_bundle',
            attrs: {},
            content: concatBytes(bundleSalt, bundleIv, sealed),
          },
          {
            tag: 'companion_identity_public',
            attrs: {},
            content: new Uint8Array(credentials.identityKey.publicKey),
          },
          { tag: 'link_code_pairing_ref', attrs: {}, content: new Uint8Array(pairingRef) },
        ],
      },
    ],
  };
  return { iq, credentials: { ...credentials, advSecretKey } };
}

/** `ABCD-EFGH`, the way WhatsApp shows a code. */
export function formatPairCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** 5 bytes (40 bits) as 8 characters of `PAIR_CODE_ALPHABET`, most significant first (RFC 4648 base32 order). */
export function encodePairCode(bytes: Uint8Array): string {
  if (bytes.length !== 5)
    throw new RangeError(`"bytes" expected Uint8Array of length 5, got length=${bytes.length}`);
  // 40 bits exceed 32-bit bitwise arithmetic; plain numbers hold them exactly.
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  let code = '';
  for (let i = CODE_LENGTH - 1; i >= 0; i--) code += PAIR_CODE_ALPHABET[Math.floor(value / 32 ** i) % 32];
  return code;
}

function normalizeCode(code: string): string {
  const upper = code.toUpperCase();
  if (upper.length !== CODE_LENGTH || [...upper].some((c) => !PAIR_CODE_ALPHABET.includes(c))) {
    throw new RangeError(
      `"code" expected 8 characters of ${PAIR_CODE_ALPHABET}, got ${JSON.stringify(code)}`,
    );
  }
  return upper;
}

/** salt || iv || AES-256-CTR(PBKDF2(code, salt), iv, key): how either side sends its ephemeral key. */
async function wrapWithCode(
  publicKey: Uint8Array,
  code: string,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const iv = crypto.randomBytes(CTR_IV_LENGTH);
  const key = await crypto.pbkdf2(ascii(code), salt, PAIR_CODE_PBKDF2_ITERATIONS, 32);
  return concatBytes(salt, iv, await crypto.aesCtr(key, iv, publicKey));
}

async function unwrapWithCode(
  wrapped: Uint8Array,
  code: string,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  const salt = wrapped.subarray(0, SALT_LENGTH);
  const iv = wrapped.subarray(SALT_LENGTH, SALT_LENGTH + CTR_IV_LENGTH);
  const key = await crypto.pbkdf2(ascii(code), salt, PAIR_CODE_PBKDF2_ITERATIONS, 32);
  return crypto.aesCtr(key, iv, wrapped.subarray(SALT_LENGTH + CTR_IV_LENGTH));
}
