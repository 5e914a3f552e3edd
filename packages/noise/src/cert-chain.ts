/**
 * Verification of the server's certificate chain, the payload of the ServerHello (docs/protocol.md §2.4):
 *
 *   root key (WhatsApp's, or a test server's) --signs--> intermediate --signs--> leaf == server static
 *
 * Checks, in this order (the first failure decides the `reason`):
 * 1. `malformed`: the bytes are a CertChain with both certificates, each with details and a 64-byte
 *    signature, and details that parse. Nothing is trusted before that.
 * 2. `intermediate-signature`: XEdDSA over the intermediate's raw details bytes, under the root key.
 * 3. `intermediate-issuer`: the intermediate's issuerSerial is 0 (`WA_CERT_ISSUER_SERIAL`).
 *    (`malformed` again when its key is not 32 bytes: it could not sign anything.)
 * 4. `leaf-signature`: XEdDSA over the leaf's raw details bytes, under the intermediate's key.
 * 5. `leaf-issuer`: the leaf's issuerSerial equals the intermediate's serial.
 * 6. `not-yet-valid` / `expired`: the clock lies in both windows, intermediate first, then leaf.
 * 7. `leaf-key-mismatch`: the leaf's key is the server static key the handshake decrypted.
 * The signatures come first so a forger learns nothing from which later check failed.
 *
 * Validity windows are half-open: `notBefore <= now < notAfter`, in Unix seconds. That is how WA Web
 * and whatsapp-rust decide whether a cached chain may still be used (`select_pattern`: `now >=
 * not_after` is expired); whatsmeow's `checkCertValidity` also accepts `now == notAfter`. The one
 * second between them never matters in practice; half-open windows tile without overlap.
 *
 * whatsapp-rust `wacore/noise/src/handshake.rs` `verify_server_cert` and whatsmeow `handshake.go`
 * `verifyServerCert` do the same checks (Baileys checks the two signatures and the issuer serial only).
 */
import type { CryptoProvider } from '@wakit/crypto';
import {
  type CertChain,
  type CertChain_NoiseCertificate,
  type CertChain_NoiseCertificate_Details,
  CertChain_NoiseCertificate_DetailsSchema,
  CertChainSchema,
  fromBinary,
} from '@wakit/proto';
import { assertBytes, copyBytes, equalBytes } from './_bytes';
import { CertificateChainError, type CertificateChainFailure } from './errors';
import { DH_KEY_SIZE, WA_CERT_ISSUER_SERIAL, waCertRootPublicKey } from './wa-constants';

/** XEdDSA signatures are 64 bytes (R || s). */
const SIGNATURE_SIZE = 64;

/** What a verified certificate says, with its validity window in Unix seconds. */
export interface CertificateInfo {
  serial: number;
  issuerSerial: number;
  /** The certified Curve25519 public key, 32 bytes. */
  key: Uint8Array;
  /** First second of validity (inclusive), Unix time. */
  notBefore: number;
  /** End of validity (exclusive), Unix time. */
  notAfter: number;
}

/** A chain that passed every check: what a client caches to resume with IK next time. */
export interface VerifiedCertChain {
  leaf: CertificateInfo;
  intermediate: CertificateInfo;
}

export interface VerifyCertChainOptions {
  crypto: CryptoProvider;
  /** The server static key decrypted from the ServerHello; the leaf must certify exactly this key. */
  serverStatic: Uint8Array;
  /** Root public key the intermediate must be signed by. Defaults to WhatsApp's (`waCertRootPublicKey()`). */
  rootPublicKey?: Uint8Array | undefined;
  /** Clock in milliseconds since the Unix epoch, like `Date.now` (the default). */
  now?: (() => number) | undefined;
}

/**
 * Verifies a server certificate chain (the decrypted ServerHello payload, or an already decoded
 * `CertChain`). Resolves to what the two certificates say; rejects with `CertificateChainError`
 * whose `reason` names the first check that failed (see the file header for the order).
 *
 * @example
 * ```ts
 * try {
 *   const chain = await verifyCertChain(payload, { crypto: nobleCrypto, serverStatic });
 *   chain.leaf.notAfter; // cache with serverStatic for an IK resume
 * } catch (e) {
 *   if (e instanceof CertificateChainError) console.log(e.reason); // 'expired', 'leaf-signature', ...
 * }
 * ```
 */
export async function verifyCertChain(
  chain: Uint8Array | CertChain,
  options: VerifyCertChainOptions,
): Promise<VerifiedCertChain> {
  const { crypto } = options;
  const rootPublicKey = options.rootPublicKey ?? waCertRootPublicKey();
  assertBytes('rootPublicKey', rootPublicKey, DH_KEY_SIZE);
  assertBytes('serverStatic', options.serverStatic, DH_KEY_SIZE);
  const decoded = chain instanceof Uint8Array ? decodeChain(chain) : chain;
  const intermediateCert = requireCertificate(decoded.intermediate, 'intermediate');
  const leafCert = requireCertificate(decoded.leaf, 'leaf');
  const intermediate = decodeDetails(intermediateCert.details, 'intermediate');
  const leaf = decodeDetails(leafCert.details, 'leaf');

  if (!(await verifySignature(crypto, rootPublicKey, intermediateCert))) {
    fail('intermediate-signature', 'the intermediate certificate is not signed by the root key');
  }
  if (intermediate.issuerSerial !== WA_CERT_ISSUER_SERIAL) {
    fail(
      'intermediate-issuer',
      `the intermediate certificate's issuer serial is ${intermediate.issuerSerial}, expected ${WA_CERT_ISSUER_SERIAL}`,
    );
  }
  if (intermediate.key.length !== DH_KEY_SIZE) {
    fail('malformed', `the intermediate certificate's key has ${intermediate.key.length} bytes, expected 32`);
  }
  if (!(await verifySignature(crypto, intermediate.key, leafCert))) {
    fail('leaf-signature', 'the leaf certificate is not signed by the intermediate key');
  }
  if (leaf.issuerSerial !== intermediate.serial) {
    fail(
      'leaf-issuer',
      `the leaf certificate's issuer serial is ${leaf.issuerSerial}, the intermediate's serial is ${intermediate.serial}`,
    );
  }
  const nowSeconds = BigInt(Math.floor((options.now ?? Date.now)() / 1000));
  checkValidity(intermediate, 'intermediate', nowSeconds);
  checkValidity(leaf, 'leaf', nowSeconds);
  if (!equalBytes(leaf.key, options.serverStatic)) {
    fail('leaf-key-mismatch', 'the leaf certificate does not certify the server static key');
  }
  return { intermediate: toInfo(intermediate), leaf: toInfo(leaf) };
}

function fail(reason: CertificateChainFailure, message: string, cause?: unknown): never {
  throw new CertificateChainError(reason, message, cause === undefined ? undefined : { cause });
}

function decodeChain(bytes: Uint8Array): CertChain {
  try {
    return fromBinary(CertChainSchema, bytes);
  } catch (error) {
    fail('malformed', 'the certificate chain is not a CertChain protobuf', error);
  }
}

function requireCertificate(
  cert: CertChain_NoiseCertificate | undefined,
  which: 'leaf' | 'intermediate',
): CertChain_NoiseCertificate {
  if (cert === undefined || cert.details.length === 0)
    fail('malformed', `the ${which} certificate is missing`);
  if (cert.signature.length !== SIGNATURE_SIZE) {
    fail(
      'malformed',
      `the ${which} signature has ${cert.signature.length} bytes, expected ${SIGNATURE_SIZE}`,
    );
  }
  return cert;
}

function decodeDetails(
  details: Uint8Array,
  which: 'leaf' | 'intermediate',
): CertChain_NoiseCertificate_Details {
  try {
    return fromBinary(CertChain_NoiseCertificate_DetailsSchema, details);
  } catch (error) {
    fail('malformed', `the ${which} certificate's details are not a Details protobuf`, error);
  }
}

/** XEdDSA over the raw details bytes, as signed: never over a re-encoding. */
function verifySignature(
  crypto: CryptoProvider,
  issuerKey: Uint8Array,
  cert: CertChain_NoiseCertificate,
): Promise<boolean> {
  return crypto.verify(issuerKey, cert.details, cert.signature);
}

function checkValidity(
  details: CertChain_NoiseCertificate_Details,
  which: 'leaf' | 'intermediate',
  nowSeconds: bigint,
): void {
  if (nowSeconds < details.notBefore) {
    fail(
      'not-yet-valid',
      `the ${which} certificate is valid from ${details.notBefore}, now is ${nowSeconds}`,
    );
  }
  if (nowSeconds >= details.notAfter) {
    fail('expired', `the ${which} certificate expired at ${details.notAfter}, now is ${nowSeconds}`);
  }
}

function toInfo(details: CertChain_NoiseCertificate_Details): CertificateInfo {
  return {
    serial: details.serial,
    issuerSerial: details.issuerSerial,
    key: copyBytes(details.key),
    notBefore: Number(details.notBefore),
    notAfter: Number(details.notAfter),
  };
}
