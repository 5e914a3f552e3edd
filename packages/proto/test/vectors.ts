/** Loads the JSON vectors next to the tests (see vectors/README.md); a missing file fails the test. */
import { readFileSync } from 'node:fs';
import { create, type DescMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';

export function loadVector<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${path}`, import.meta.url), 'utf8')) as T;
}

export const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The wire bytes (hex) of a message built from `init`: field-number checks compare these to the spec. */
export function encodeHex<Desc extends DescMessage>(desc: Desc, init: MessageInitShape<Desc>): string {
  return toHex(toBinary(desc, create(desc, init)));
}
