/**
 * The binary format of a session record: what `SessionRecord#serialize` writes and the store keeps.
 * A format version byte, then protobuf messages written with `_protobuf.ts`; lists are byte fields
 * holding items each prefixed by its length as 4 bytes big-endian (the protobuf helper keeps one
 * value per field, and a length-prefixed list also decodes without one map entry per item).
 *
 * Format version 1:
 *
 *     byte 0     0x01, the format version (anything else: RecordFormatError)
 *     bytes 1..  Record
 *
 *     Record
 *       1  current          bytes   State; absent when there is no open session
 *       2  previousStates   bytes   list of State, most recently archived first (at most 40)
 *
 *     State
 *       1  localIdentityKey      bytes   33 (0x05 || key)
 *       2  remoteIdentityKey     bytes   33
 *       3  localRegistrationId   varint
 *       4  remoteRegistrationId  varint
 *       5  baseKey               bytes   32, Alice's X3DH base key
 *       6  baseKeyIsOurs         varint  1 when we started the session, 0 when the peer did
 *       7  rootKey               bytes   32
 *       8  previousCounter       varint
 *       9  senderChain           bytes   SenderChain
 *       10 receiverChains        bytes   list of ReceiverChain, oldest first (at most 5)
 *       11 pendingPreKey         bytes   PendingPreKey; absent once the peer has answered
 *
 *     SenderChain
 *       1  ratchetPublicKey   bytes   32
 *       2  ratchetPrivateKey  bytes   32
 *       3  chainKey           bytes   32
 *       4  index              varint  counter of the next message to send
 *
 *     ReceiverChain
 *       1  ratchetKey   bytes   32, the peer's ratchet public key
 *       2  chainKey     bytes   32
 *       3  index        varint  counter of the next message key the chain key yields
 *       4  messageKeys  bytes   n x (counter as 4 bytes big-endian || 32-byte message key seed),
 *                               ascending counters (at most 2000)
 *
 *     PendingPreKey
 *       1  preKeyId        varint  absent when the bundle had no one-time prekey
 *       2  signedPreKeyId  varint
 *       3  baseKey         bytes   32
 *
 * Every field is written in field-number order; readers ignore unknown fields, so a later format
 * can add fields without a version bump, and bump the version only for incompatible changes.
 */

import { SECRET_SLAB } from './_byte-slabs';
import { checkPackedMessageKeys, PACKED_ENTRY_LENGTH, PackedMessageKeys } from './_packed-message-keys';
import { ProtoCursor } from './_proto-cursor';
import { ProtoWriter } from './_protobuf';
import { RecordFormatError } from './errors';
import type { PendingPreKey, ReceiverChain, SenderChain, SessionState } from './session-state';

/** The format version this package writes and reads. */
export const SESSION_RECORD_FORMAT_VERSION = 1;

/**
 * An archived state as a record read from bytes holds it: encoded, and decoded when first used. Most
 * messages never touch the archived states (a record keeps up to 40), and with a store that hands
 * out a copy of the record every time, decoding them all on every load cost more than the message
 * (measured at `decodeSessionRecord`). Shared by the records made from one another, so each is decoded at most
 * once; copied on into later records as it was read.
 */
export class EncodedState {
  #state: SessionState | undefined;

  constructor(readonly encoded: Uint8Array) {}

  /** @throws RecordFormatError when the bytes are corrupt. */
  get state(): SessionState {
    this.#state ??= decodeSessionState(this.encoded);
    return this.#state;
  }
}

/** The contents of a record: the open state, and the archived ones, newest first. */
export interface SessionRecordData {
  current: SessionState | undefined;
  archived: readonly (SessionState | EncodedState)[];
}

// A record is written by one writer, nested messages and list items in place (ProtoWriter `nested`,
// `item`): the earlier encoder gave each nested message and list its own array, ~6
// allocations of more than 64 bytes per record (off-heap in V8). Measured on a one-way chain
// message (encrypt + decrypt, two records stored): ~230-255 -> ~200-210 µs, same-process A/B.

/**
 * Encodings of archived states, and of the skipped message keys of receiving chains, by object.
 * Both are immutable and shared between successive records (a session stays archived for its life;
 * a chain's skipped keys, up to 2000 (72 KB), stay the same map while messages arrive in order, even
 * as its chain key moves on), so each is encoded once and copied into later records. What was read
 * from a record is copied on as it was read: an archived state decoded by `decodeSessionState` is
 * filed here under its bytes, and skipped keys stay in their packed form (`PackedMessageKeys`). The
 * open state is written in place: it changes with every message.
 */
const encodedStates = new WeakMap<SessionState, Uint8Array>();
const encodedMessageKeys = new WeakMap<ReadonlyMap<number, Uint8Array>, Uint8Array>();
const NO_MESSAGE_KEYS = new Uint8Array(0);
/** What a chain without skipped keys decodes to: one shared empty list, which nothing can change. */
const NO_SKIPPED_KEYS = new PackedMessageKeys(NO_MESSAGE_KEYS);

function writeSenderChain(w: ProtoWriter, chain: SenderChain): void {
  w.bytes(1, chain.ratchetKeyPair.publicKey)
    .bytes(2, chain.ratchetKeyPair.privateKey)
    .bytes(3, chain.chainKey)
    .uint32(4, chain.index);
}

/** The packed form of a chain's skipped keys (ReceiverChain field 4), encoded once per map. */
function packedMessageKeys(messageKeys: ReadonlyMap<number, Uint8Array>): Uint8Array {
  if (messageKeys.size === 0) return NO_MESSAGE_KEYS;
  if (messageKeys instanceof PackedMessageKeys) return messageKeys.packed;
  let packed = encodedMessageKeys.get(messageKeys);
  if (packed === undefined) {
    packed = new Uint8Array(messageKeys.size * PACKED_ENTRY_LENGTH);
    let at = 0;
    for (const [counter, seed] of messageKeys) {
      packed[at] = counter >>> 24;
      packed[at + 1] = counter >>> 16;
      packed[at + 2] = counter >>> 8;
      packed[at + 3] = counter;
      packed.set(seed, at + 4);
      at += PACKED_ENTRY_LENGTH;
    }
    encodedMessageKeys.set(messageKeys, packed);
  }
  return packed;
}

function writeReceiverChain(w: ProtoWriter, chain: ReceiverChain): void {
  w.bytes(1, chain.ratchetKey)
    .bytes(2, chain.chainKey)
    .uint32(3, chain.index)
    .bytes(4, packedMessageKeys(chain.messageKeys));
}

function writeReceiverChains(w: ProtoWriter, chains: readonly ReceiverChain[]): void {
  for (const chain of chains) w.item(writeReceiverChain, chain);
}

function writePendingPreKey(w: ProtoWriter, pending: PendingPreKey): void {
  if (pending.preKeyId !== undefined) w.uint32(1, pending.preKeyId);
  w.uint32(2, pending.signedPreKeyId).bytes(3, pending.baseKey);
}

function writeState(w: ProtoWriter, state: SessionState): void {
  w.bytes(1, state.localIdentityKey)
    .bytes(2, state.remoteIdentityKey)
    .uint32(3, state.localRegistrationId)
    .uint32(4, state.remoteRegistrationId)
    .bytes(5, state.baseKey)
    .uint32(6, state.baseKeyIsOurs ? 1 : 0)
    .bytes(7, state.rootKey)
    .uint32(8, state.previousCounter)
    .nested(9, writeSenderChain, state.senderChain)
    .nested(10, writeReceiverChains, state.receiverChains);
  if (state.pendingPreKey !== undefined) w.nested(11, writePendingPreKey, state.pendingPreKey);
}

function writeArchived(w: ProtoWriter, archived: SessionRecordData['archived']): void {
  for (const state of archived) {
    const encoded = state instanceof EncodedState ? state.encoded : encodedState(state);
    w.uint32BigEndian(encoded.length).raw(encoded);
  }
}

function encodedState(state: SessionState): Uint8Array {
  let encoded = encodedStates.get(state);
  if (encoded === undefined) {
    const own = new ProtoWriter(SECRET_SLAB);
    writeState(own, state);
    encoded = own.finish();
    encodedStates.set(state, encoded);
  }
  return encoded;
}

/** Serializes a record in format version 1. */
export function encodeSessionRecord(record: SessionRecordData): Uint8Array {
  const w = new ProtoWriter(SECRET_SLAB);
  const current = record.current;
  if (current !== undefined) {
    const known = encodedStates.get(current);
    if (known !== undefined) w.bytes(1, known);
    else w.nested(1, writeState, current);
  }
  return w.nested(2, writeArchived, record.archived).finish(SESSION_RECORD_FORMAT_VERSION);
}

/** Refuses a corrupt record. */
function fail(why: string): never {
  throw new RecordFormatError(`session record: ${why}`);
}

/** `value`, which the record must hold, of `length` bytes when given. */
function need<T>(value: T | undefined, what: string, field: number): T {
  if (value === undefined) fail(`${what}: missing field ${field}`);
  return value;
}

function key32(value: Uint8Array | undefined, what: string, field: number): Uint8Array {
  const key = need(value, what, field);
  if (key.length !== 32) fail(`${what}: field ${field} must be 32 bytes, got ${key.length}`);
  return key;
}

function identityKey(value: Uint8Array | undefined, what: string, field: number): Uint8Array {
  const key = need(value, what, field);
  if (key.length !== 33 || key[0] !== 0x05)
    fail(`${what}: field ${field} is not a 0x05-prefixed 33-byte key`);
  return key;
}

function decodeSenderChain(r: ProtoCursor, end: number): SenderChain {
  const what = 'SenderChain';
  let publicKey: Uint8Array | undefined;
  let privateKey: Uint8Array | undefined;
  let chainKey: Uint8Array | undefined;
  let index: number | undefined;
  for (let field = r.next(end); field !== 0; field = r.next(end)) {
    if (field === 1) publicKey = r.view(end, field);
    else if (field === 2) privateKey = r.view(end, field);
    else if (field === 3) chainKey = r.view(end, field);
    else if (field === 4) index = r.uint32(end, field);
    else r.skip(end, field);
  }
  return {
    ratchetKeyPair: { publicKey: key32(publicKey, what, 1), privateKey: key32(privateKey, what, 2) },
    chainKey: key32(chainKey, what, 3),
    index: need(index, what, 4),
  };
}

function decodeReceiverChain(r: ProtoCursor, end: number): ReceiverChain {
  const what = 'ReceiverChain';
  let ratchetKey: Uint8Array | undefined;
  let chainKey: Uint8Array | undefined;
  let index: number | undefined;
  let seeds: Uint8Array | undefined;
  for (let field = r.next(end); field !== 0; field = r.next(end)) {
    if (field === 1) ratchetKey = r.view(end, field);
    else if (field === 2) chainKey = r.view(end, field);
    else if (field === 3) index = r.uint32(end, field);
    else if (field === 4) seeds = r.view(end, field);
    else r.skip(end, field);
  }
  const packed = need(seeds, what, 4);
  const problem = checkPackedMessageKeys(packed, need(index, what, 3));
  if (problem !== undefined) fail(`${what}: ${problem}`);
  return {
    ratchetKey: key32(ratchetKey, what, 1),
    chainKey: key32(chainKey, what, 2),
    index: need(index, what, 3),
    // Read in place, and copied as they are into the next record (packedMessageKeys).
    messageKeys: packed.length === 0 ? NO_SKIPPED_KEYS : new PackedMessageKeys(packed),
  };
}

function decodeReceiverChains(r: ProtoCursor, end: number): ReceiverChain[] {
  const chains: ReceiverChain[] = [];
  while (r.pos < end) {
    const length = r.uint32BigEndian(end);
    const itemEnd = r.pos + length;
    if (itemEnd > end) fail('SessionState: list item beyond the end');
    chains.push(decodeReceiverChain(r, itemEnd));
  }
  return chains;
}

function decodePendingPreKey(r: ProtoCursor, end: number): PendingPreKey {
  const what = 'PendingPreKey';
  let preKeyId: number | undefined;
  let signedPreKeyId: number | undefined;
  let baseKey: Uint8Array | undefined;
  for (let field = r.next(end); field !== 0; field = r.next(end)) {
    if (field === 1) preKeyId = r.uint32(end, field);
    else if (field === 2) signedPreKeyId = r.uint32(end, field);
    else if (field === 3) baseKey = r.view(end, field);
    else r.skip(end, field);
  }
  return { preKeyId, signedPreKeyId: need(signedPreKeyId, what, 2), baseKey: key32(baseKey, what, 3) };
}

function decodeState(r: ProtoCursor, end: number): SessionState {
  const what = 'SessionState';
  let localIdentityKey: Uint8Array | undefined;
  let remoteIdentityKey: Uint8Array | undefined;
  let localRegistrationId: number | undefined;
  let remoteRegistrationId: number | undefined;
  let baseKey: Uint8Array | undefined;
  let baseKeyIsOurs: number | undefined;
  let rootKey: Uint8Array | undefined;
  let previousCounter: number | undefined;
  let senderChain: SenderChain | undefined;
  let receiverChains: ReceiverChain[] | undefined;
  let pendingPreKey: PendingPreKey | undefined;
  for (let field = r.next(end); field !== 0; field = r.next(end)) {
    switch (field) {
      case 1:
        localIdentityKey = r.view(end, field);
        break;
      case 2:
        remoteIdentityKey = r.view(end, field);
        break;
      case 3:
        localRegistrationId = r.uint32(end, field);
        break;
      case 4:
        remoteRegistrationId = r.uint32(end, field);
        break;
      case 5:
        baseKey = r.view(end, field);
        break;
      case 6:
        baseKeyIsOurs = r.uint32(end, field);
        break;
      case 7:
        rootKey = r.view(end, field);
        break;
      case 8:
        previousCounter = r.uint32(end, field);
        break;
      case 9:
        senderChain = decodeSenderChain(r, r.nested(end, field));
        break;
      case 10:
        receiverChains = decodeReceiverChains(r, r.nested(end, field));
        break;
      case 11:
        pendingPreKey = decodePendingPreKey(r, r.nested(end, field));
        break;
      default:
        r.skip(end, field);
    }
  }
  if (need(baseKeyIsOurs, what, 6) > 1) fail(`${what}: field 6 must be 0 or 1`);
  return {
    localIdentityKey: identityKey(localIdentityKey, what, 1),
    remoteIdentityKey: identityKey(remoteIdentityKey, what, 2),
    localRegistrationId: need(localRegistrationId, what, 3),
    remoteRegistrationId: need(remoteRegistrationId, what, 4),
    baseKey: key32(baseKey, what, 5),
    baseKeyIsOurs: baseKeyIsOurs === 1,
    rootKey: key32(rootKey, what, 7),
    previousCounter: need(previousCounter, what, 8),
    senderChain: need(senderChain, what, 9),
    receiverChains: need(receiverChains, what, 10),
    pendingPreKey,
  };
}

/** The items of the archived-states list, each left encoded. */
function archivedItems(r: ProtoCursor, end: number): EncodedState[] {
  const items: EncodedState[] = [];
  while (r.pos < end) {
    const length = r.uint32BigEndian(end);
    if (r.pos + length > end) fail('SessionRecord: list item beyond the end');
    items.push(new EncodedState(r.bytes.subarray(r.pos, r.pos + length)));
    r.pos += length;
  }
  return items;
}

// Reading a record is built for stores that copy (every database does): one copy of the bytes with
// views into it (ProtoCursor), archived states decoded only when used (EncodedState), skipped keys
// read in place (PackedMessageKeys), and what was read copied on as it was. A one-way chain message
// through a store that copies, against the previous decoder (a map per message, a copy per field,
// everything decoded), same-process A/B, three runs: 1.6-2.3x faster (SQLite in memory 1.6-2.4x),
// 3.5-4.9x with 5 archived sessions, 4.3-5.3x with 500 skipped keys in the chain.

/**
 * Reads a serialized record: the open state decoded, the archived ones left encoded
 * (`EncodedState`) until one is needed. The decoded state is made of views of `encoded`, not copies (a copy per key and chain was
 * a fifth of a one-way chain message with a store that copies): pass bytes that nobody changes
 * afterwards, as `SessionRecord.deserialize` does with its own copy.
 *
 * @throws RecordFormatError when the bytes are not a record of a known format version, or its open
 *   state or the framing of its archived ones is corrupt.
 */
export function decodeSessionRecord(encoded: Uint8Array): SessionRecordData {
  if (!(encoded instanceof Uint8Array)) throw new TypeError('"record" expected a Uint8Array');
  if (encoded.length === 0) fail('empty');
  if (encoded[0] !== SESSION_RECORD_FORMAT_VERSION) fail(`unknown format version ${encoded[0]}`);
  const r = new ProtoCursor(encoded, fail, 1);
  const end = encoded.length;
  let current: SessionState | undefined;
  let archived: EncodedState[] | undefined;
  for (let field = r.next(end); field !== 0; field = r.next(end)) {
    if (field === 1) current = decodeState(r, r.nested(end, field));
    else if (field === 2) archived = archivedItems(r, r.nested(end, field));
    else r.skip(end, field);
  }
  return { current, archived: need(archived, 'SessionRecord', 2) };
}

/**
 * Decodes an archived state (`EncodedState#state`), as views of its bytes. The bytes are
 * filed as the state's encoding, so a record that keeps it copies them rather than encoding it.
 *
 * @throws RecordFormatError when they are corrupt.
 */
function decodeSessionState(encoded: Uint8Array): SessionState {
  const state = decodeState(new ProtoCursor(encoded, fail), encoded.length);
  encodedStates.set(state, encoded);
  return state;
}
