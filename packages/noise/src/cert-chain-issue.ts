/**
 * Issuing certificate chains, for test servers: a root key signs an intermediate, the intermediate
 * signs a leaf that certifies the server's static Noise key, in the shape the real WhatsApp server
 * sends (docs/protocol.md §2.4). A client verifies such a chain when given the root's public key
 * (`rootPublicKey`), and refuses it with WhatsApp's root, the default.
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import {
  type CertChain,
  type CertChain_NoiseCertificate,
  CertChain_NoiseCertificate_DetailsSchema,
  CertChain_NoiseCertificateSchema,
  CertChainSchema,
  create,
  toBinary,
} from '@wakit/proto';
import { assertBytes } from './_bytes';
import { DH_KEY_SIZE, WA_CERT_ISSUER_SERIAL } from './wa-constants';

/** One certificate's fields; all optional, with defaults that make a valid chain. */
export interface CertificateFields {
  serial?: number;
  /** Defaults to 0 for the intermediate (the root's serial) and to the intermediate's serial for the leaf. */
  issuerSerial?: number;
  /** Unix seconds; defaults to an hour before `now`. */
  notBefore?: number;
  /** Unix seconds; defaults to a year after `now`. */
  notAfter?: number;
}

export interface IssueCertChainOptions {
  crypto: CryptoProvider;
  /** The server's static Noise public key, which the leaf certifies. */
  leafKey: Uint8Array;
  /** The root key pair; generated when absent (its public key is in the result). */
  root?: KeyPair | undefined;
  /** The intermediate key pair; generated when absent. */
  intermediateKeyPair?: KeyPair | undefined;
  /** Intermediate fields; serial defaults to 1. */
  intermediate?: CertificateFields | undefined;
  /** Leaf fields; serial defaults to 2. */
  leaf?: CertificateFields | undefined;
  /** Clock in milliseconds since the Unix epoch, for the default windows; defaults to `Date.now`. */
  now?: (() => number) | undefined;
}

/** An issued chain, encoded and decoded, with the keys that made it. */
export interface IssuedCertChain {
  /** The encoded CertChain: what a server encrypts into its ServerHello payload. */
  bytes: Uint8Array;
  chain: CertChain;
  /** The root public key a client must be given to accept the chain. */
  rootPublicKey: Uint8Array;
  root: KeyPair;
  intermediateKeyPair: KeyPair;
}

const HOUR_SECONDS = 3600;
const YEAR_SECONDS = 365 * 24 * HOUR_SECONDS;

/**
 * Issues a root -> intermediate -> leaf chain certifying `leafKey`.
 *
 * @example
 * ```ts
 * const staticKeyPair = await nobleCrypto.generateKeyPair();
 * const issued = await issueCertChain({ crypto: nobleCrypto, leafKey: staticKeyPair.publicKey });
 * const server = new ServerHandshake({ crypto: nobleCrypto, staticKeyPair, certChain: issued.bytes });
 * const client = new ClientHandshake({ ...clientOptions, rootPublicKey: issued.rootPublicKey });
 * ```
 */
export async function issueCertChain(options: IssueCertChainOptions): Promise<IssuedCertChain> {
  const { crypto } = options;
  assertBytes('leafKey', options.leafKey, DH_KEY_SIZE);
  const root = options.root ?? (await crypto.generateKeyPair());
  const intermediateKeyPair = options.intermediateKeyPair ?? (await crypto.generateKeyPair());
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const intermediateSerial = options.intermediate?.serial ?? 1;

  const intermediate = await signCertificate(crypto, root.privateKey, {
    serial: intermediateSerial,
    issuerSerial: options.intermediate?.issuerSerial ?? WA_CERT_ISSUER_SERIAL,
    key: intermediateKeyPair.publicKey,
    notBefore: options.intermediate?.notBefore ?? nowSeconds - HOUR_SECONDS,
    notAfter: options.intermediate?.notAfter ?? nowSeconds + YEAR_SECONDS,
  });
  const leaf = await signCertificate(crypto, intermediateKeyPair.privateKey, {
    serial: options.leaf?.serial ?? 2,
    issuerSerial: options.leaf?.issuerSerial ?? intermediateSerial,
    key: options.leafKey,
    notBefore: options.leaf?.notBefore ?? nowSeconds - HOUR_SECONDS,
    notAfter: options.leaf?.notAfter ?? nowSeconds + YEAR_SECONDS,
  });
  const chain = create(CertChainSchema, { leaf, intermediate });
  return {
    bytes: toBinary(CertChainSchema, chain),
    chain,
    rootPublicKey: root.publicKey,
    root,
    intermediateKeyPair,
  };
}

/** The fields of one certificate, all required. */
export interface CertificateDetails {
  serial: number;
  issuerSerial: number;
  key: Uint8Array;
  notBefore: number;
  notAfter: number;
}

/**
 * Encodes `details` and signs the encoding with XEdDSA under `issuerPrivateKey`.
 *
 * @example
 * ```ts
 * const cert = await signCertificate(nobleCrypto, root.privateKey, {
 *   serial: 1, issuerSerial: 0, key: intermediate.publicKey, notBefore: 0, notAfter: 2 ** 32,
 * });
 * ```
 */
export async function signCertificate(
  crypto: CryptoProvider,
  issuerPrivateKey: Uint8Array,
  details: CertificateDetails,
): Promise<CertChain_NoiseCertificate> {
  const encoded = toBinary(
    CertChain_NoiseCertificate_DetailsSchema,
    create(CertChain_NoiseCertificate_DetailsSchema, {
      serial: details.serial,
      issuerSerial: details.issuerSerial,
      key: details.key,
      notBefore: BigInt(details.notBefore),
      notAfter: BigInt(details.notAfter),
    }),
  );
  const signature = await crypto.sign(issuerPrivateKey, encoded);
  return create(CertChain_NoiseCertificateSchema, { details: encoded, signature });
}
