import type { CryptoProvider } from '@wakit/crypto';
import { isRemoteProtocolError } from '@wakit/errors';
import {
  CertChain_NoiseCertificateSchema,
  CertChainSchema,
  create,
  fromBinary,
  toBinary,
} from '@wakit/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyCertChain } from '../src/cert-chain';
import { type CertificateFields, issueCertChain, signCertificate } from '../src/cert-chain-issue';
import { CertificateChainError, type CertificateChainFailure } from '../src/errors';
import { WA_CERT_ROOT_PUBLIC_KEY_HEX, waCertRootPublicKey } from '../src/wa-constants';
import { bytesToHex, hexToBytes, PROVIDERS, recorded } from './wa-helpers';

const trace = recorded.full_handshake_trace.values_hex;
/** The real chain the WhatsApp server sent in the recorded handshake (decrypted ServerHello payload). */
const REAL_CHAIN = hexToBytes(trace.plaintext_from_decrypt_2!);
/** The server static key decrypted in the same handshake. */
const REAL_STATIC = hexToBytes(trace.plaintext_from_decrypt_1!);
const { leaf: REAL_LEAF, intermediate: REAL_INTERMEDIATE } = recorded.cert_chain_from_trace;
/** A clock (ms) at `seconds` Unix time. */
const at = (seconds: number) => () => seconds * 1000;
/** Inside both windows of the real chain: a day after the leaf became valid. */
const REAL_NOW = at(REAL_LEAF.details.not_before + 86_400);

async function rejection(promise: Promise<unknown>): Promise<CertificateChainFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateChainError);
    return (error as CertificateChainError).reason;
  }
  throw new Error('expected the certificate chain to be refused');
}

/** The real chain with one certificate's signature or details changed by `edit`. */
function editReal(
  which: 'leaf' | 'intermediate',
  edit: (cert: { details: Uint8Array; signature: Uint8Array }) => void,
) {
  // A copy: protobuf-es decodes bytes fields as views into its input.
  const chain = fromBinary(CertChainSchema, REAL_CHAIN.slice());
  edit(chain[which]!);
  return toBinary(CertChainSchema, chain);
}

/** Flips bit `bit % 8` of byte `bit / 8`. */
function flipBit(bytes: Uint8Array, bit: number): void {
  bytes[Math.floor(bit / 8)]! ^= 1 << (bit % 8);
}

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'verifyCertChain (%s)',
  (_, crypto) => {
    const verifyReal = (chain: Uint8Array, now = REAL_NOW, serverStatic = REAL_STATIC) =>
      verifyCertChain(chain, { crypto, serverStatic, now });

    describe('the real chain recorded from the WhatsApp server', () => {
      it('is the chain the vector describes', () => {
        const chain = fromBinary(CertChainSchema, REAL_CHAIN);
        expect(bytesToHex(chain.leaf!.details)).toBe(REAL_LEAF.details_hex);
        expect(bytesToHex(chain.leaf!.signature)).toBe(REAL_LEAF.signature_hex);
        expect(bytesToHex(chain.intermediate!.details)).toBe(REAL_INTERMEDIATE.details_hex);
        expect(bytesToHex(chain.intermediate!.signature)).toBe(REAL_INTERMEDIATE.signature_hex);
        expect(bytesToHex(waCertRootPublicKey())).toBe(recorded.constants.wa_cert_root_public_key_hex);
        expect(WA_CERT_ROOT_PUBLIC_KEY_HEX).toBe(recorded.constants.wa_cert_root_public_key_hex);
      });

      it('verifies under the default WhatsApp root with a clock inside both windows', async () => {
        const verified = await verifyReal(REAL_CHAIN);
        for (const [info, expected] of [
          [verified.leaf, REAL_LEAF.details],
          [verified.intermediate, REAL_INTERMEDIATE.details],
        ] as const) {
          expect(info).toEqual({
            serial: expected.serial,
            issuerSerial: expected.issuer_serial,
            key: hexToBytes(expected.key_hex),
            notBefore: expected.not_before,
            notAfter: expected.not_after,
          });
        }
        expect(verified.leaf.key).toEqual(REAL_STATIC);
      });

      it('accepts a decoded CertChain as well as its bytes', async () => {
        const verified = await verifyCertChain(fromBinary(CertChainSchema, REAL_CHAIN), {
          crypto,
          serverStatic: REAL_STATIC,
          now: REAL_NOW,
        });
        expect(verified.leaf.serial).toBe(329);
      });

      it('treats windows as half-open: valid from notBefore, expired at notAfter, for both certificates', async () => {
        const leaf = REAL_LEAF.details;
        const intermediate = REAL_INTERMEDIATE.details;
        await expect(verifyReal(REAL_CHAIN, at(leaf.not_before))).resolves.toBeDefined();
        await expect(verifyReal(REAL_CHAIN, at(leaf.not_after - 1))).resolves.toBeDefined();
        expect(await rejection(verifyReal(REAL_CHAIN, at(leaf.not_after)))).toBe('expired');
        expect(await rejection(verifyReal(REAL_CHAIN, at(leaf.not_before - 1)))).toBe('not-yet-valid');
        // Before the intermediate's window and after it: the intermediate is checked too, and first.
        expect(await rejection(verifyReal(REAL_CHAIN, at(intermediate.not_before - 1)))).toBe(
          'not-yet-valid',
        );
        expect(await rejection(verifyReal(REAL_CHAIN, at(intermediate.not_after)))).toBe('expired');
      });

      it('refuses it under another root key', async () => {
        const other = await crypto.generateKeyPair();
        const promise = verifyCertChain(REAL_CHAIN, {
          crypto,
          serverStatic: REAL_STATIC,
          now: REAL_NOW,
          rootPublicKey: other.publicKey,
        });
        expect(await rejection(promise)).toBe('intermediate-signature');
      });

      it('refuses it when the server static key is not the leaf key', async () => {
        const wrong = REAL_STATIC.slice();
        wrong[0]! ^= 1;
        expect(await rejection(verifyReal(REAL_CHAIN, REAL_NOW, wrong))).toBe('leaf-key-mismatch');
      });

      it('refuses any single-bit change to either signature', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('leaf', 'intermediate' as const),
            fc.nat(511),
            async (which, bit) => {
              const forged = editReal(which, (cert) => flipBit(cert.signature, bit));
              expect(await rejection(verifyReal(forged))).toBe(`${which}-signature`);
            },
          ),
          { numRuns: 30 },
        );
      });

      it('refuses a change to the signed details of either certificate', async () => {
        // Extend the leaf's validity by one second: the signature no longer matches the details.
        const leaf = editReal('leaf', (cert) => flipBit(cert.details, 8 * (cert.details.length - 1)));
        expect(await rejection(verifyReal(leaf))).toBe('leaf-signature');
        const intermediate = editReal('intermediate', (cert) =>
          flipBit(cert.details, 8 * (cert.details.length - 1)),
        );
        expect(await rejection(verifyReal(intermediate))).toBe('intermediate-signature');
      });

      it('refuses every truncation of the chain as malformed', async () => {
        for (let length = 0; length < REAL_CHAIN.length; length++) {
          expect(await rejection(verifyReal(REAL_CHAIN.subarray(0, length)))).toBe('malformed');
        }
      });

      it('refuses a chain missing either certificate, or with a short signature, as malformed', async () => {
        const chain = fromBinary(CertChainSchema, REAL_CHAIN);
        const noLeaf = toBinary(
          CertChainSchema,
          create(CertChainSchema, { intermediate: chain.intermediate }),
        );
        const noIntermediate = toBinary(CertChainSchema, create(CertChainSchema, { leaf: chain.leaf }));
        const shortSignature = editReal('leaf', (cert) => {
          cert.signature = cert.signature.subarray(0, 63);
        });
        for (const bytes of [noLeaf, noIntermediate, shortSignature]) {
          expect(await rejection(verifyReal(bytes))).toBe('malformed');
        }
      });
    });

    it('refuses garbage as malformed', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (garbage) => {
          expect(await rejection(verifyReal(garbage))).toBe('malformed');
        }),
        { numRuns: 200 },
      );
    });

    describe('chains issued for a test server', () => {
      const NOW = at(1_800_000_000);
      const HOUR = 3600;

      async function issue(fields: { leaf?: CertificateFields; intermediate?: CertificateFields } = {}) {
        const server = await crypto.generateKeyPair();
        const issued = await issueCertChain({ crypto, leafKey: server.publicKey, now: NOW, ...fields });
        const verify = (options: { now?: () => number; rootPublicKey?: Uint8Array } = {}) =>
          verifyCertChain(issued.bytes, {
            crypto,
            serverStatic: server.publicKey,
            rootPublicKey: options.rootPublicKey ?? issued.rootPublicKey,
            now: options.now ?? NOW,
          });
        return { server, issued, verify };
      }

      it('verify under the test root, and are refused under the WhatsApp root', async () => {
        const { issued, verify } = await issue();
        const verified = await verify();
        expect(verified.intermediate.key).toEqual(issued.intermediateKeyPair.publicKey);
        expect(verified.leaf.issuerSerial).toBe(verified.intermediate.serial);
        expect(await rejection(verify({ rootPublicKey: waCertRootPublicKey() }))).toBe(
          'intermediate-signature',
        );
      });

      it('are refused when the intermediate names an issuer serial other than 0', async () => {
        const { verify } = await issue({ intermediate: { issuerSerial: 7 } });
        expect(await rejection(verify())).toBe('intermediate-issuer');
      });

      it('are refused when the leaf issuer serial is not the intermediate serial', async () => {
        const { verify } = await issue({ intermediate: { serial: 5 }, leaf: { issuerSerial: 6 } });
        expect(await rejection(verify())).toBe('leaf-issuer');
      });

      it('are refused once either certificate expired, or before either is valid', async () => {
        const now = 1_800_000_000;
        const cases: [
          { leaf?: CertificateFields; intermediate?: CertificateFields },
          CertificateChainFailure,
        ][] = [
          [{ leaf: { notAfter: now } }, 'expired'],
          [{ intermediate: { notAfter: now - HOUR } }, 'expired'],
          [{ leaf: { notBefore: now + 1 } }, 'not-yet-valid'],
          [{ intermediate: { notBefore: now + HOUR } }, 'not-yet-valid'],
        ];
        for (const [fields, reason] of cases) {
          const { verify } = await issue(fields);
          expect(await rejection(verify())).toBe(reason);
        }
      });

      it('are refused when the leaf certifies another key than the server static', async () => {
        const { issued } = await issue();
        const impostor = await crypto.generateKeyPair();
        const promise = verifyCertChain(issued.bytes, {
          crypto,
          serverStatic: impostor.publicKey,
          rootPublicKey: issued.rootPublicKey,
          now: NOW,
        });
        expect(await rejection(promise)).toBe('leaf-key-mismatch');
      });

      it('are refused as malformed when the intermediate key is not 32 bytes, even correctly signed', async () => {
        const root = await crypto.generateKeyPair();
        const server = await crypto.generateKeyPair();
        const { chain } = await issueCertChain({ crypto, leafKey: server.publicKey, root, now: NOW });
        chain.intermediate = await signCertificate(crypto, root.privateKey, {
          serial: 1,
          issuerSerial: 0,
          key: new Uint8Array(33),
          notBefore: 0,
          notAfter: 2 ** 40,
        });
        const promise = verifyCertChain(chain, {
          crypto,
          serverStatic: server.publicKey,
          rootPublicKey: root.publicKey,
          now: NOW,
        });
        expect(await rejection(promise)).toBe('malformed');
      });

      it('are refused when the leaf is signed by the root instead of the intermediate', async () => {
        const { server, issued } = await issue();
        const { details } = issued.chain.leaf!;
        issued.chain.leaf = create(CertChain_NoiseCertificateSchema, {
          details,
          signature: await crypto.sign(issued.root.privateKey, details),
        });
        const promise = verifyCertChain(issued.chain, {
          crypto,
          serverStatic: server.publicKey,
          rootPublicKey: issued.rootPublicKey,
          now: NOW,
        });
        expect(await rejection(promise)).toBe('leaf-signature');
      });
    });

    it('raises errors that say the peer is at fault', async () => {
      const error = await verifyReal(new Uint8Array([0xff])).catch((e: unknown) => e);
      expect(isRemoteProtocolError(error)).toBe(true);
      expect((error as CertificateChainError).code).toBe('ERR_NOISE_CERT_CHAIN');
    });
  },
);

describe('verifyCertChain arguments', () => {
  const crypto = PROVIDERS[0] as CryptoProvider;
  it('rejects a server static or root key that is not 32 bytes with RangeError', async () => {
    await expect(verifyCertChain(REAL_CHAIN, { crypto, serverStatic: new Uint8Array(31) })).rejects.toThrow(
      RangeError,
    );
    await expect(
      verifyCertChain(REAL_CHAIN, { crypto, serverStatic: REAL_STATIC, rootPublicKey: new Uint8Array(33) }),
    ).rejects.toThrow(RangeError);
  });
});
