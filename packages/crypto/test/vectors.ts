/** Vector loading and hex helpers. A missing or malformed vector file fails the run, it never skips. */
import { readFileSync } from 'node:fs';

/** Parses `test/vectors/<name>`; throws (failing the suite) when the file is missing. */
export function loadVector<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

export function hex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || /[^0-9a-f]/i.test(text)) throw new Error(`bad hex: ${text.slice(0, 40)}`);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A Wycheproof test's verdict: `acceptable` means a library may go either way. */
export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

/** The common shape of the Wycheproof files in test/vectors (one flat `tests` list). */
export interface WycheproofFile<T> {
  source: { repo: string; commit: string };
  tests: (T & { tcId: number; comment: string; flags: string[]; result: WycheproofResult })[];
}
