/** Loaders for test/vectors: a missing or malformed vector file fails the test run, it never skips. */
import { readFileSync } from 'node:fs';
import type { BinaryNode } from '../src/index';

export function loadVector<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

/** A node in the fixture files' JSON convention. */
export interface FixtureNode {
  tag: string;
  attrs: Record<string, string>;
  content: null | { string: string } | { hex: string } | FixtureNode[];
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error(`bad hex: ${hex.slice(0, 40)}`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Fixture JSON -> BinaryNode (content absent when null, as decodeNode returns it). */
export function fromFixture(node: FixtureNode): BinaryNode {
  const out: BinaryNode = { tag: node.tag, attrs: node.attrs };
  const c = node.content;
  if (c === null) return out;
  if (Array.isArray(c)) out.content = c.map(fromFixture);
  else if ('hex' in c) out.content = hexToBytes(c.hex);
  else out.content = c.string;
  return out;
}
