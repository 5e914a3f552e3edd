/**
 * Shared by the messaging-wire tests: fast-check arbitraries for stanzas (arbitrary nodes, and
 * valid stanzas with parts dropped or garbled), a check that a parser throws nothing but its typed
 * error, and a way to feed Baileys chosen "random" bytes so its outputs can be compared byte for
 * byte with ours.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { BinaryNode } from '@wakit/binary-node';
import { isWakitError, type WakitErrorClass } from '@wakit/errors';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
const nodeCrypto: { randomBytes: (size: number) => Buffer } = require('node:crypto');

/**
 * Runs `fn` with `crypto.randomBytes` answering from `source`. Baileys imports `randomBytes` from
 * `crypto` as an ES module; `syncBuiltinESMExports` makes that binding follow the swap (Node's
 * documented way to patch a built-in for ESM importers). Restored before returning.
 */
export function withRandomBytes<T>(source: (size: number) => Uint8Array, fn: () => T): T {
  const original = nodeCrypto.randomBytes;
  nodeCrypto.randomBytes = (size: number) => Buffer.from(source(size));
  syncBuiltinESMExports();
  try {
    return fn();
  } finally {
    nodeCrypto.randomBytes = original;
    syncBuiltinESMExports();
  }
}

/** `fn()` either returns or throws an instance of `errorClass` (checked by `code`); anything else fails. */
export function expectOnly(errorClass: WakitErrorClass, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isWakitError(error, errorClass)) {
      throw new Error(`expected only ${errorClass.name}, got ${String(error)}`, { cause: error });
    }
  }
}

/** Tags and attribute names the wire parsers look for, so random nodes hit their branches. */
const TAGS = [
  'iq',
  'usync',
  'list',
  'user',
  'devices',
  'device-list',
  'device',
  'key-index-list',
  'lid',
  'error',
  'key',
  'skey',
  'keys',
  'id',
  'value',
  'signature',
  'registration',
  'identity',
  'type',
  'device-identity',
  'message',
  'enc',
  'participants',
  'to',
  'receipt',
  'retry',
  'item',
  'ack',
  'x',
];
const ATTR_KEYS = [
  'id',
  'from',
  't',
  'type',
  'jid',
  'participant',
  'recipient',
  'count',
  'v',
  'class',
  'error',
  'code',
  'text',
  'val',
  'key-index',
  'is_hosted',
  'hash',
  'ts',
  'expected_ts',
  'sender_lid',
  'sender_pn',
  'participant_pn',
  'participant_lid',
  'peer_recipient_lid',
  'peer_recipient_pn',
  'notify',
  'offline',
  'phash',
  'refresh_lid',
  'mediatype',
  'decrypt-fail',
  'edit',
  'category',
];
const JIDS = [
  '1555@s.whatsapp.net',
  '1555:3@s.whatsapp.net',
  '99@lid',
  '99:3@lid',
  '120363@g.us',
  'status@broadcast',
  '@s.whatsapp.net',
  's.whatsapp.net',
  '1555@c.us',
  '7:99@hosted',
  'x@y',
  'not a jid',
  '1:70000@lid',
];

/** Attribute values: JIDs, numbers (also out of range or negative), booleans and junk. */
export const attrValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...JIDS),
  fc.integer({ min: -5, max: 70_000 }).map(String),
  fc.constantFrom('true', 'false', '', 'message', 'retry', 'pkmsg', 'msg', '2', '3', '1e3', '0x10', '-0'),
  fc.string({ maxLength: 12 }),
);

/** Any node (depth-limited), built from the tags and attributes above plus random ones. */
export const arbitraryNode: fc.Arbitrary<BinaryNode> = fc.letrec<{ node: BinaryNode }>((tie) => ({
  node: fc.record(
    {
      tag: fc.oneof(fc.constantFrom(...TAGS), fc.string({ maxLength: 6 })),
      attrs: fc.dictionary(fc.oneof(fc.constantFrom(...ATTR_KEYS), fc.string({ maxLength: 6 })), attrValue, {
        maxKeys: 8,
      }),
      content: fc.oneof(
        { depthSize: 'small' },
        fc.uint8Array({ maxLength: 70 }),
        fc.string({ maxLength: 8 }),
        fc.array(tie('node'), { maxLength: 5 }),
      ),
    },
    { requiredKeys: ['tag', 'attrs'] },
  ),
})).node;

/**
 * `node` with random damage: attributes dropped or replaced, children dropped, replaced by random
 * nodes or stripped of content, at any depth. Starting from a valid stanza keeps the parsers busy
 * past their first check.
 */
export function mutated(node: BinaryNode): fc.Arbitrary<BinaryNode> {
  return fc
    .array(
      fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.oneof(attrValue, fc.constant(undefined)), arbitraryNode),
      {
        maxLength: 4,
      },
    )
    .map((edits) => {
      let out = structuredClone(node);
      for (const [where, what, value, replacement] of edits) out = edit(out, where, what, value, replacement);
      return out;
    });
}

function allNodes(node: BinaryNode, into: BinaryNode[] = []): BinaryNode[] {
  into.push(node);
  if (Array.isArray(node.content)) for (const child of node.content) allNodes(child, into);
  return into;
}

function edit(
  root: BinaryNode,
  where: number,
  what: number,
  value: string | undefined,
  replacement: BinaryNode,
): BinaryNode {
  const nodes = allNodes(root);
  const target = nodes[where % nodes.length]!;
  const keys = Object.keys(target.attrs);
  switch (what) {
    case 0: // drop or replace an attribute
      if (keys.length > 0) {
        const key = keys[where % keys.length]!;
        if (value === undefined) delete target.attrs[key];
        else target.attrs[key] = value;
      }
      break;
    case 1: // drop a child
      if (Array.isArray(target.content) && target.content.length > 0) {
        target.content.splice(where % target.content.length, 1);
      }
      break;
    case 2: // replace a child by a random node
      if (Array.isArray(target.content) && target.content.length > 0) {
        target.content[where % target.content.length] = replacement;
      }
      break;
    case 3: // strip the content
      delete target.content;
      break;
    default: // replace the content by bytes of another length
      target.content = new Uint8Array(where % 70);
      break;
  }
  return root;
}
