import { describe, expect, it } from 'vitest';
import {
  CertChain_NoiseCertificate_DetailsSchema,
  CertChain_NoiseCertificateSchema,
  CertChainSchema,
  fromBinary,
  toBinary,
} from '../src/index.ts';
import { arbitraryMessage } from './arbitrary.ts';
import { assertRoundTrip } from './round-trip.ts';
import { encodeHex, fromHex, loadVector, toHex } from './vectors.ts';

interface CertVector {
  details_hex: string;
  signature_hex: string;
  details: { serial: number; issuerSerial: number; key_hex: string; notBefore: number; notAfter: number };
}
const vector = loadVector<{ cert_chain_hex: string; leaf: CertVector; intermediate: CertVector }>(
  'whatsapp-rust/cert-chain.json',
);

describe('CertChain (docs/protocol.md §2.4)', () => {
  const chain = fromBinary(CertChainSchema, fromHex(vector.cert_chain_hex));

  it.each([
    ['leaf', vector.leaf],
    ['intermediate', vector.intermediate],
  ] as const)('decodes the %s certificate the real server sent, field by field', (which, expected) => {
    const cert = chain[which]!;
    expect(toHex(cert.details)).toBe(expected.details_hex);
    expect(toHex(cert.signature)).toBe(expected.signature_hex);
    expect(cert.signature).toHaveLength(64);

    const details = fromBinary(CertChain_NoiseCertificate_DetailsSchema, cert.details);
    expect(details.serial).toBe(expected.details.serial);
    expect(details.issuerSerial).toBe(expected.details.issuerSerial);
    expect(toHex(details.key)).toBe(expected.details.key_hex);
    expect(details.key).toHaveLength(32);
    // uint64 fields decode to bigint.
    expect(details.notBefore).toBe(BigInt(expected.details.notBefore));
    expect(details.notAfter).toBe(BigInt(expected.details.notAfter));
  });

  it('links the leaf to the intermediate by serial, as the server chain does', () => {
    const leaf = fromBinary(CertChain_NoiseCertificate_DetailsSchema, chain.leaf!.details);
    const intermediate = fromBinary(CertChain_NoiseCertificate_DetailsSchema, chain.intermediate!.details);
    expect(leaf.issuerSerial).toBe(intermediate.serial);
    expect(leaf.serial).toBe(329);
    expect(intermediate.serial).toBe(3);
  });

  it('re-encodes the recorded chain and both details to identical bytes', () => {
    expect(toHex(toBinary(CertChainSchema, chain))).toBe(vector.cert_chain_hex);
    for (const cert of [vector.leaf, vector.intermediate]) {
      const details = fromBinary(CertChain_NoiseCertificate_DetailsSchema, fromHex(cert.details_hex));
      expect(toHex(toBinary(CertChain_NoiseCertificate_DetailsSchema, details))).toBe(cert.details_hex);
    }
  });

  it('keeps an explicitly encoded zero issuerSerial (proto2 presence), so signed bytes survive', () => {
    // The intermediate's details carry `10 00` (issuerSerial = 0) on the wire; dropping the
    // default would change the bytes its signature covers.
    const details = fromBinary(
      CertChain_NoiseCertificate_DetailsSchema,
      fromHex(vector.intermediate.details_hex),
    );
    expect(details.issuerSerial).toBe(0);
    expect(toHex(toBinary(CertChain_NoiseCertificate_DetailsSchema, details))).toContain('1000');
    expect(encodeHex(CertChain_NoiseCertificate_DetailsSchema, { serial: 3 })).toBe('0803');
  });

  it('round-trips any CertChain', () => {
    assertRoundTrip(CertChainSchema, arbitraryMessage(CertChainSchema));
  });

  it('round-trips any NoiseCertificate.Details', () => {
    assertRoundTrip(
      CertChain_NoiseCertificate_DetailsSchema,
      arbitraryMessage(CertChain_NoiseCertificate_DetailsSchema),
    );
  });

  it.each([
    ['CertChain.leaf = 1', encodeHex(CertChainSchema, { leaf: {} }), '0a00'],
    ['CertChain.intermediate = 2', encodeHex(CertChainSchema, { intermediate: {} }), '1200'],
    [
      'NoiseCertificate.signature = 2',
      encodeHex(CertChain_NoiseCertificateSchema, { signature: new Uint8Array(1) }),
      '120100',
    ],
    [
      'Details.issuerSerial = 2',
      encodeHex(CertChain_NoiseCertificate_DetailsSchema, { issuerSerial: 3 }),
      '1003',
    ],
    [
      'Details.key = 3',
      encodeHex(CertChain_NoiseCertificate_DetailsSchema, { key: new Uint8Array(1) }),
      '1a0100',
    ],
    ['Details.notBefore = 4', encodeHex(CertChain_NoiseCertificate_DetailsSchema, { notBefore: 1n }), '2001'],
    ['Details.notAfter = 5', encodeHex(CertChain_NoiseCertificate_DetailsSchema, { notAfter: 1n }), '2801'],
  ])('encodes %s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
