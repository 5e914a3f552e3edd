/** Vector loading, hex and provider helpers for the tests. */
import { readFileSync } from 'node:fs';
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { expect } from 'vitest';

/** Parses `test/vectors/<name>`; a missing file fails the test that needs it. */
export function loadVector<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** The recorded WhatsApp handshake vector file (see vectors/wa-README.md). */
export interface RecordedHandshake {
  constants: { h0_and_ck0_hex: string; wa_conn_header_hex: string; wa_cert_root_public_key_hex: string };
  full_handshake_trace: { steps: string[]; values_hex: Record<string, string> };
  cert_chain_from_trace: {
    leaf: RecordedCert;
    intermediate: RecordedCert;
    checks: Record<string, boolean>;
  };
  static_key_decryption_case: { values_hex: Record<string, string>; steps: string };
  aead_only_case: { values_hex: Record<string, string>; steps: string };
  framing: { cases: FramingCase[] };
}

export interface RecordedCert {
  details_hex: string;
  signature_hex: string;
  details: { serial: number; issuer_serial: number; key_hex: string; not_before: number; not_after: number };
}

export type FramingCase =
  | { encode: { payload_hex: string; header_hex: string | null }; frame_hex: string }
  | { length_header: { length: number }; bytes_hex: string }
  | { decode_stream: { chunks_hex: string[] }; frames_hex: string[]; note?: string }
  | { encode_too_large: { length: number }; error: string };

export const recorded = loadVector<RecordedHandshake>('wa-noise-handshake-recorded.json');

/** The CryptoProviders every WhatsApp-layer test runs against: both must give the same results. */
export const PROVIDERS: readonly CryptoProvider[] = [nobleCrypto, nodeCrypto];

/**
 * `base` without the optional `aesGcmKey`, the shape of a provider that cannot prepare keys: a
 * `CipherState` on it takes its one-shot path (`aesGcmEncrypt`/`aesGcmDecrypt` for every message).
 */
export function withoutPreparedKeys(base: CryptoProvider): CryptoProvider {
  const { aesGcmKey: _, ...oneShot } = base;
  return { ...oneShot, name: `${base.name}, one-shot GCM` };
}

/**
 * `base` whose prepared keys have only the promises, no `encryptSync`/`decryptSync`: the shape of an
 * engine that prepares keys but computes asynchronously. A `CipherState` on it cannot run its
 * synchronous methods (`supportsSync` is false) and takes the prepared key's async path.
 */
export function withoutSyncKeys(base: CryptoProvider): CryptoProvider {
  if (base.aesGcmKey === undefined) throw new TypeError(`${base.name} prepares no keys`);
  return {
    ...base,
    name: `${base.name}, async prepared keys`,
    aesGcmKey: (key) => {
      const prepared = base.aesGcmKey!(key);
      return {
        encrypt: (...args) => prepared.encrypt(...args),
        decrypt: (...args) => prepared.decrypt(...args),
      };
    },
  };
}

/** What `run` throws; fails the test when it returns. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('expected a throw, got a return');
}
