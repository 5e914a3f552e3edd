/**
 * The byte form of a `SenderKeyRecord`, what a `SenderKeyStore` keeps. Versioned so the layout can
 * change without misreading old records: the first byte is the format version, the rest a protobuf.
 *
 * Format 1, field by field:
 *
 * ```
 * byte 0          0x01, the format version (SENDER_KEY_RECORD_FORMAT)
 * bytes 1..       protobuf SenderKeyRecord
 *   1  bytes      the current state (newest; the one encrypt uses), a SenderKeyState
 *   2..5 bytes    older states, newest first; no gaps (field k present => field k-1 present)
 *
 * SenderKeyState
 *   1  uint32     keyId, the sender-key (chain) id
 *   2  uint32     iteration the chain key serves
 *   3  bytes(32)  chainKey
 *   4  bytes(33)  signingKey, 0x05 || raw public key (libsignal's serialized form)
 *   5  bytes(32)  signingPrivateKey, raw; only in our own states
 *   6  bytes      skippedKeys, n entries of 36 bytes each: iteration (uint32 big-endian) || seed (32),
 *                 iterations strictly ascending and below field 2; absent when n = 0
 * ```
 *
 * The states sit in numbered fields rather than one repeated field because a record holds at most
 * `SENDER_KEY_MAX_STATES` of them and the package's protobuf reader keeps one value per field; the
 * skipped keys are packed because a state may hold 2,000 of them, and 36 fixed bytes apiece is both
 * smaller and faster to read than 2,000 nested messages. An empty record is the single byte 0x01.
 */

import { isWakitError } from '@wakit/errors';
import { SECRET_SLAB } from './_byte-slabs';
import { copyBytes } from './_bytes';
import {
  optionalBytes,
  type ProtoValue,
  ProtoWriter,
  readProto,
  requireBytes,
  requireUint,
} from './_protobuf';
import { RecordFormatError } from './errors';
import { deserializePublicKey, serializePublicKey } from './public-key';
import {
  SENDER_KEY_MAX_SKIPPED_KEYS,
  SENDER_KEY_MAX_STATES,
  type SenderKeyRecord,
  type SenderKeyState,
  type SkippedMessageKey,
} from './sender-key-record';

/** The format version this code writes, and the only one it reads. */
export const SENDER_KEY_RECORD_FORMAT = 1;
/** Bytes per packed skipped key: a 4-byte iteration and a 32-byte seed. */
const SKIPPED_ENTRY_LENGTH = 36;

function encodeSkippedKeys(keys: readonly SkippedMessageKey[]): Uint8Array {
  const out = new Uint8Array(keys.length * SKIPPED_ENTRY_LENGTH);
  const view = new DataView(out.buffer);
  keys.forEach((key, i) => {
    view.setUint32(i * SKIPPED_ENTRY_LENGTH, key.iteration);
    out.set(key.seed, i * SKIPPED_ENTRY_LENGTH + 4);
  });
  return out;
}

function encodeState(state: SenderKeyState): Uint8Array {
  const writer = new ProtoWriter(SECRET_SLAB)
    .uint32(1, state.keyId)
    .uint32(2, state.iteration)
    .bytes(3, state.chainKey)
    .bytes(4, serializePublicKey(state.signingKey));
  if (state.signingPrivateKey !== undefined) writer.bytes(5, state.signingPrivateKey);
  if (state.skippedKeys.length > 0) writer.bytes(6, encodeSkippedKeys(state.skippedKeys));
  return writer.finish();
}

/**
 * The stored form of `record` (format 1, above).
 *
 * @example
 * await store.storeSenderKey(name.toString(), encodeSenderKeyRecord(record));
 */
export function encodeSenderKeyRecord(record: SenderKeyRecord): Uint8Array {
  if (record.states.length > SENDER_KEY_MAX_STATES) {
    throw new RangeError(
      `a sender-key record holds at most ${SENDER_KEY_MAX_STATES} states, got ${record.states.length}`,
    );
  }
  const writer = new ProtoWriter(SECRET_SLAB);
  for (const [i, state] of record.states.entries()) writer.bytes(i + 1, encodeState(state));
  return writer.finish(SENDER_KEY_RECORD_FORMAT);
}

function fail(why: string, cause?: unknown): never {
  throw new RecordFormatError(`sender-key record: ${why}`, cause === undefined ? undefined : { cause });
}

/** Runs a reader from `_protobuf`/`public-key`, whose InvalidMessageError means a corrupt record here. */
function read<T>(fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (isWakitError(cause)) fail(cause.message, cause);
    throw cause;
  }
}

function decodeSkippedKeys(packed: Uint8Array, iteration: number): SkippedMessageKey[] {
  if (packed.length % SKIPPED_ENTRY_LENGTH !== 0) fail(`skipped keys field of ${packed.length} bytes`);
  const count = packed.length / SKIPPED_ENTRY_LENGTH;
  if (count > SENDER_KEY_MAX_SKIPPED_KEYS)
    fail(`${count} skipped keys, at most ${SENDER_KEY_MAX_SKIPPED_KEYS}`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.length);
  const keys: SkippedMessageKey[] = [];
  let previous = -1;
  for (let offset = 0; offset < packed.length; offset += SKIPPED_ENTRY_LENGTH) {
    const keyIteration = view.getUint32(offset);
    if (keyIteration <= previous || keyIteration >= iteration) fail('skipped keys out of order');
    previous = keyIteration;
    keys.push({
      iteration: keyIteration,
      seed: copyBytes(packed.subarray(offset + 4, offset + SKIPPED_ENTRY_LENGTH)),
    });
  }
  return keys;
}

function decodeState(bytes: Uint8Array): SenderKeyState {
  const what = 'SenderKeyState';
  const fields = read(() => readProto(bytes, what));
  const iteration = read(() => requireUint(fields, 2, what));
  const privateKey = read(() => optionalBytes(fields, 5, what));
  if (privateKey !== undefined && privateKey.length !== 32)
    fail(`signing private key of ${privateKey.length} bytes`);
  const skipped = read(() => optionalBytes(fields, 6, what));
  return {
    keyId: read(() => requireUint(fields, 1, what)),
    iteration,
    chainKey: copyBytes(read(() => requireBytes(fields, 3, what, 32))),
    signingKey: copyBytes(read(() => deserializePublicKey(requireBytes(fields, 4, what)))),
    ...(privateKey === undefined ? {} : { signingPrivateKey: copyBytes(privateKey) }),
    skippedKeys: skipped === undefined ? [] : decodeSkippedKeys(skipped, iteration),
  };
}

/**
 * Reads a stored record. The result shares no memory with `bytes`.
 *
 * @throws RecordFormatError when the format version is unknown or the bytes are corrupt.
 */
export function decodeSenderKeyRecord(bytes: Uint8Array): SenderKeyRecord {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"record" expected a Uint8Array');
  if (bytes.length === 0) fail('empty');
  if (bytes[0] !== SENDER_KEY_RECORD_FORMAT) fail(`unknown format version ${bytes[0]}`);
  const fields: Map<number, ProtoValue> = read(() => readProto(bytes.subarray(1), 'SenderKeyRecord'));
  const states: SenderKeyState[] = [];
  for (let field = 1; field <= SENDER_KEY_MAX_STATES; field++) {
    const state = fields.get(field);
    if (state === undefined) break;
    if (!(state instanceof Uint8Array)) fail(`field ${field} must be bytes`);
    states.push(decodeState(state));
  }
  for (let field = states.length + 2; field <= SENDER_KEY_MAX_STATES; field++) {
    if (fields.has(field)) fail(`state field ${field} follows a gap`);
  }
  if (new Set(states.map((s) => s.keyId)).size !== states.length) fail('two states with one key id');
  return { states };
}
