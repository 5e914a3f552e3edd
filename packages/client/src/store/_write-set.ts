/**
 * The writes of one transaction, as its view records them and a backend applies them on commit.
 * Each table maps a key to the value it ends up with, or to `DELETED`: the last write per key is
 * all a commit needs, so a transaction that writes one session ten times commits one row.
 *
 * Every value in a write set is a checked copy owned by it (the view copied it when it was
 * written and hands out copies when it is read), so a backend may keep the values as they are.
 */
import type { KeyPair } from '@wakit/crypto';
import type { DeviceCredentials, DeviceList, MessageKey, SentMessage } from './store';

/** A tombstone: the key was deleted inside the transaction. */
export const DELETED: unique symbol = Symbol('deleted');

/** A recorded write: the new value, or a deletion. */
export type Slot<T> = T | typeof DELETED;

/** Everything a transaction wrote, by table. */
export interface WriteSet {
  /** The credentials last saved, or undefined when the transaction saved none. */
  credentials: DeviceCredentials | undefined;
  identities: Map<string, Slot<Uint8Array>>;
  sessions: Map<string, Slot<Uint8Array>>;
  preKeys: Map<number, Slot<KeyPair>>;
  senderKeys: Map<string, Slot<Uint8Array>>;
  devices: Map<string, Slot<DeviceList>>;
  /**
   * LID -> PN. Applying a mapping also drops any other LID's mapping of the same PN, so mappings
   * stay one to one even when another transaction committed a conflicting one meanwhile.
   */
  lids: Map<string, Slot<string>>;
  /** Keys added, by `receivedKeyId`; a key the backend already has keeps its first time. */
  received: Map<string, { key: MessageKey; at: number }>;
  /** By `sentKeyId`. */
  sent: Map<string, SentMessage>;
  /**
   * Group -> the marks it ends up with: `cleared` drops the group's stored marks before `added`
   * is applied (a `clear` then `add` in one transaction keeps only what was added after it).
   */
  senderKeyDevices: Map<string, { cleared: boolean; added: Set<string> }>;
  /** Namespace -> key -> value. */
  kv: Map<string, Map<string, Slot<Uint8Array>>>;
}

/** A write set with nothing in it. */
export function emptyWriteSet(): WriteSet {
  return {
    credentials: undefined,
    identities: new Map(),
    sessions: new Map(),
    preKeys: new Map(),
    senderKeys: new Map(),
    devices: new Map(),
    lids: new Map(),
    received: new Map(),
    sent: new Map(),
    senderKeyDevices: new Map(),
    kv: new Map(),
  };
}

/** True when committing `writes` would change nothing (a read-only transaction). */
export function isEmptyWriteSet(writes: WriteSet): boolean {
  const { credentials, kv, ...tables } = writes;
  return (
    credentials === undefined && kv.size === 0 && Object.values(tables).every((table) => table.size === 0)
  );
}

/** One string per message key, for maps (JSON keeps the parts apart whatever they contain). */
export function receivedKeyId(key: MessageKey): string {
  return JSON.stringify([key.chat, key.sender, key.id]);
}

/** One string per sent message's (chat, id). */
export function sentKeyId(chat: string, id: string): string {
  return JSON.stringify([chat, id]);
}

/**
 * Orders strings by code point, which is the order of their UTF-8 bytes and so SQLite's BINARY
 * collation. JavaScript's default sort compares UTF-16 code units instead, which puts a character
 * outside the BMP (a surrogate pair, 0xD800-0xDFFF) before U+E000-U+FFFF; `KeyValueStore.keys`
 * must sort the same in every backend.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * Where code unit `unit` sorts when strings compare by code point: surrogates (the start of
 * a code point above U+FFFF) move above U+E000-U+FFFF, which move down to close the gap.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
