/**
 * The primary device's half of pair-code linking (docs/protocol.md §5.4), pure crypto:
 *
 *   code key      = PBKDF2-SHA256(code, salt, 131072 rounds, 32)
 *   wrapped pub   = salt(32) || iv(16) || AES-256-CTR(code key, iv, ephemeral pub)      (80 bytes)
 *   bundle key    = HKDF(eph_shared, salt, "link_code_pairing_key_bundle_encryption_key")
 *   key bundle    = salt(32) || iv(12) || AES-256-GCM(bundle key, companion id || primary id || r)
 *   adv secret    = HKDF(eph_shared || id_shared || r, info "adv_secret")
 *
 * PBKDF2 comes from the CryptoProvider (@wakit/crypto has it).
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { concatBytes, equalBytes, utf8 } from './_bytes';
import { PhonePairingError } from './errors';

/** `2 << 16` rounds, as all three references use. */
export const PAIR_CODE_PBKDF2_ROUNDS = 131_072;
const WRAPPED_KEY_LENGTH = 80;
const KEY_BUNDLE_LENGTH = 32 + 12 + 96 + 16;
const BUNDLE_INFO = utf8('link_code_pairing_key_bundle_encryption_key');
const ADV_SECRET_INFO = utf8('adv_secret');

/** The code as the companion derives keys from it: upper case, without the display dash. */
export function normalizePairCode(code: string): string {
  return code.replace(/-/g, '').toUpperCase();
}

async function codeKey(crypto: CryptoProvider, code: string, salt: Uint8Array): Promise<Uint8Array> {
  return crypto.pbkdf2(utf8(normalizePairCode(code)), salt, PAIR_CODE_PBKDF2_ROUNDS, 32);
}

/**
 * The ephemeral public key inside a wrapped key. A wrong code gives 32 wrong bytes, not an error:
 * CTR has no tag, so the mistake only shows when the companion's key bundle fails to decrypt.
 */
export async function unwrapEphemeral(
  crypto: CryptoProvider,
  code: string,
  wrapped: Uint8Array,
): Promise<Uint8Array> {
  if (wrapped.length !== WRAPPED_KEY_LENGTH) {
    throw new PhonePairingError(
      'key-bundle',
      `wrapped ephemeral key of ${wrapped.length} bytes, expected 80`,
    );
  }
  const key = await codeKey(crypto, code, wrapped.subarray(0, 32));
  return crypto.aesCtr(key, wrapped.subarray(32, 48), wrapped.subarray(48));
}

/** Wraps `publicKey` under the code, with a fresh salt and counter block. */
export async function wrapEphemeral(
  crypto: CryptoProvider,
  code: string,
  publicKey: Uint8Array,
): Promise<Uint8Array> {
  const salt = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const key = await codeKey(crypto, code, salt);
  return concatBytes(salt, iv, await crypto.aesCtr(key, iv, publicKey));
}

/** Inputs of `openKeyBundle`. */
export interface OpenKeyBundleOptions {
  crypto: CryptoProvider;
  /** The `link_code_pairing_wrapped_key_bundle` content. */
  bundle: Uint8Array;
  /** The phone's ephemeral key pair from primary_hello. */
  primaryEphemeral: KeyPair;
  /** The companion's ephemeral public key, unwrapped from companion_hello. */
  companionEphemeral: Uint8Array;
  /** The phone's identity key pair. */
  primaryIdentity: KeyPair;
  /** The identity the companion claims (`companion_identity_public`). */
  companionIdentity: Uint8Array;
}

/**
 * Decrypts the companion's key bundle, checks that it names the companion's and the phone's
 * identities, and derives the adv secret the pair-success HMAC is keyed with.
 *
 * @throws PhonePairingError (`key-bundle`) when it does not decrypt (a mistyped code) or names other keys.
 */
export async function openKeyBundle(options: OpenKeyBundleOptions): Promise<Uint8Array> {
  const { crypto, bundle } = options;
  if (bundle.length !== KEY_BUNDLE_LENGTH) {
    throw new PhonePairingError(
      'key-bundle',
      `key bundle of ${bundle.length} bytes, expected ${KEY_BUNDLE_LENGTH}`,
    );
  }
  const ephShared = await crypto.sharedKey(options.primaryEphemeral.privateKey, options.companionEphemeral);
  const key = await crypto.hkdf(ephShared, 32, { salt: bundle.subarray(0, 32), info: BUNDLE_INFO });
  let plain: Uint8Array;
  try {
    plain = await crypto.aesGcmDecrypt(key, bundle.subarray(32, 44), bundle.subarray(44));
  } catch (cause) {
    throw new PhonePairingError('key-bundle', 'the key bundle does not decrypt (was the code typed right?)', {
      cause,
    });
  }
  if (!equalBytes(plain.subarray(0, 32), options.companionIdentity)) {
    throw new PhonePairingError('key-bundle', 'the key bundle names another companion identity');
  }
  if (!equalBytes(plain.subarray(32, 64), options.primaryIdentity.publicKey)) {
    throw new PhonePairingError('key-bundle', 'the key bundle names another primary identity');
  }
  const idShared = await crypto.sharedKey(options.primaryIdentity.privateKey, options.companionIdentity);
  return crypto.hkdf(concatBytes(ephShared, idShared, plain.subarray(64)), 32, { info: ADV_SECRET_INFO });
}
