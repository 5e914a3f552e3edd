/**
 * The primary device's half of pairing (docs/protocol.md §5.3): the signed device identity a phone
 * issues in `<pair-success>`, and the check of the companion's `<pair-device-sign>` answer.
 *
 *   ADVDeviceIdentity details   = {rawId, timestamp, keyIndex, accountType E2EE, deviceType E2EE}
 *   accountSignature            = XEdDSA(phone identity, 06 00 || details || companion identity)
 *   container                   = ADVSignedDeviceIdentityHMAC{ADVSignedDeviceIdentity, HMAC(adv secret, …)}
 *   companion deviceSignature   = XEdDSA(companion identity, 06 01 || details || companion identity || account key)
 *
 * Hosted accounts (prefixes 06 05 / 06 06) are not issued: virtual phones are ordinary E2EE accounts.
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import {
  ADVDeviceIdentitySchema,
  ADVEncryptionType,
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  create,
  fromBinary,
  toBinary,
} from '@wakit/proto';
import { concatBytes, equalBytes } from './_bytes';
import { PhonePairingError } from './errors';

/** `WA_ADV_ACCOUNT_SIG_PREFIX` (Baileys Defaults, whatsmeow pair.go). */
export const ADV_ACCOUNT_SIGNATURE_PREFIX = Uint8Array.of(6, 0);
/** `WA_ADV_DEVICE_SIG_PREFIX`. */
export const ADV_DEVICE_SIGNATURE_PREFIX = Uint8Array.of(6, 1);

/** Inputs of `issueDeviceIdentity`. */
export interface IssueDeviceIdentityOptions {
  crypto: CryptoProvider;
  /** The phone's identity key pair: its public key is the account signature key. */
  account: KeyPair;
  /** The companion's identity public key (32 bytes), from its QR or key bundle. */
  companionIdentity: Uint8Array;
  /** The adv secret (from the QR, or derived in the pair-code flow). */
  advSecret: Uint8Array;
  /** Index of this device in the account's key-index list. */
  keyIndex: number;
  /** The account's ADV raw id (the same for all its devices and its key-index list); random by default. */
  rawId?: number;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/** What the phone sends, and what it must remember to check the answer. */
export interface IssuedDeviceIdentity {
  /** Encoded ADVSignedDeviceIdentityHMAC: the `<device-identity>` content of pair-success. */
  container: Uint8Array;
  /** Encoded ADVDeviceIdentity: the details both signatures cover. */
  details: Uint8Array;
  keyIndex: number;
}

/** Signs a new device into the phone's account. */
export async function issueDeviceIdentity(
  options: IssueDeviceIdentityOptions,
): Promise<IssuedDeviceIdentity> {
  const { crypto, account, companionIdentity, advSecret, keyIndex } = options;
  const details = toBinary(
    ADVDeviceIdentitySchema,
    create(ADVDeviceIdentitySchema, {
      rawId: options.rawId ?? new DataView(crypto.randomBytes(4).buffer).getUint32(0),
      timestamp: BigInt(options.timestamp ?? Math.floor(Date.now() / 1000)),
      keyIndex,
      accountType: ADVEncryptionType.E2EE,
      deviceType: ADVEncryptionType.E2EE,
    }),
  );
  const accountSignature = await crypto.sign(
    account.privateKey,
    concatBytes(ADV_ACCOUNT_SIGNATURE_PREFIX, details, companionIdentity),
  );
  const signed = toBinary(
    ADVSignedDeviceIdentitySchema,
    create(ADVSignedDeviceIdentitySchema, {
      details,
      accountSignatureKey: account.publicKey,
      accountSignature,
    }),
  );
  const hmac = await crypto.hmac('sha256', advSecret, signed);
  const container = toBinary(
    ADVSignedDeviceIdentityHMACSchema,
    create(ADVSignedDeviceIdentityHMACSchema, { details: signed, hmac, accountType: ADVEncryptionType.E2EE }),
  );
  return { container, details, keyIndex };
}

/** What the companion's `<device-identity>` in pair-device-sign must satisfy. */
export interface VerifyDeviceSignOptions {
  crypto: CryptoProvider;
  /** The encoded ADVSignedDeviceIdentity the companion sent back. */
  signed: Uint8Array;
  /** The `key-index` attribute of its `<device-identity>`. */
  keyIndexAttr: string | undefined;
  issued: IssuedDeviceIdentity;
  companionIdentity: Uint8Array;
  accountSignatureKey: Uint8Array;
}

/**
 * Checks the companion's answer; resolves to its device signature.
 *
 * @throws PhonePairingError `details-changed` (other details, account key or key index than issued),
 *   `device-signature` (the signature does not verify), `rejected` (not an ADVSignedDeviceIdentity).
 */
export async function verifyDeviceSign(options: VerifyDeviceSignOptions): Promise<Uint8Array> {
  const { crypto, issued, companionIdentity, accountSignatureKey } = options;
  let signed: ReturnType<typeof fromBinary<typeof ADVSignedDeviceIdentitySchema>>;
  try {
    signed = fromBinary(ADVSignedDeviceIdentitySchema, options.signed);
  } catch (cause) {
    throw new PhonePairingError('rejected', 'device-identity is not an ADVSignedDeviceIdentity', { cause });
  }
  if (!equalBytes(signed.details, issued.details)) {
    throw new PhonePairingError(
      'details-changed',
      'the signed ADVDeviceIdentity differs from the one issued',
    );
  }
  // whatsmeow and Baileys clear accountSignatureKey before answering, whatsapp-rust keeps it
  // (docs/protocol.md §5.3 DISAGREE b): absent is fine, a different key is not.
  if (signed.accountSignatureKey.length > 0 && !equalBytes(signed.accountSignatureKey, accountSignatureKey)) {
    throw new PhonePairingError(
      'details-changed',
      'the account signature key differs from the phone identity',
    );
  }
  if (options.keyIndexAttr !== undefined && options.keyIndexAttr !== String(issued.keyIndex)) {
    throw new PhonePairingError(
      'details-changed',
      `key-index "${options.keyIndexAttr}", issued ${issued.keyIndex}`,
    );
  }
  const message = concatBytes(
    ADV_DEVICE_SIGNATURE_PREFIX,
    issued.details,
    companionIdentity,
    accountSignatureKey,
  );
  if (
    signed.deviceSignature.length !== 64 ||
    !(await crypto.verify(companionIdentity, message, signed.deviceSignature))
  ) {
    throw new PhonePairingError(
      'device-signature',
      'the device signature does not verify with the companion identity',
    );
  }
  return signed.deviceSignature;
}
