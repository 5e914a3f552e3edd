/**
 * The tables of a `MemoryStore`, with the few updates that keep two of them in step (LID <-> PN) and
 * the commit of a transaction's write set. Values in the tables are owned by them: callers copy on
 * the way in and out.
 */
import type { KeyPair } from '@wakit/crypto';
import { compareCodePoints, DELETED, type WriteSet } from './_write-set';
import type { DeviceCredentials, DeviceList, SentMessage } from './store';

/** Everything one memory store holds. */
export class MemoryState {
  credentials: DeviceCredentials | undefined;
  readonly identities = new Map<string, Uint8Array>();
  readonly sessions = new Map<string, Uint8Array>();
  readonly preKeys = new Map<number, KeyPair>();
  readonly senderKeys = new Map<string, Uint8Array>();
  readonly devices = new Map<string, DeviceList>();
  /** LID -> PN and its inverse, always updated together. */
  readonly pnByLid = new Map<string, string>();
  readonly lidByPn = new Map<string, string>();
  /** `receivedKeyId` -> when it was recorded. */
  readonly received = new Map<string, number>();
  /** `sentKeyId` -> message. */
  readonly sent = new Map<string, SentMessage>();
  /**
   * Group -> devices holding our sender key, sorted by code point as `get` returns them; a group
   * without marks is removed. Sorted when they change (`addMarks`), not on every read: an array is
   * replaced, never changed in place.
   */
  readonly senderKeyDevices = new Map<string, readonly string[]>();
  /** Namespace -> key -> value; a namespace without keys is removed. */
  readonly kv = new Map<string, Map<string, Uint8Array>>();

  /** Maps `lid` to `pn`, ending whatever mapping either had. */
  putLid(lid: string, pn: string): void {
    this.deleteLid(lid);
    const previous = this.lidByPn.get(pn);
    if (previous !== undefined) this.deleteLid(previous);
    this.pnByLid.set(lid, pn);
    this.lidByPn.set(pn, lid);
  }

  /** Ends the mapping of `lid`, if any. */
  deleteLid(lid: string): void {
    const pn = this.pnByLid.get(lid);
    if (pn === undefined) return;
    this.pnByLid.delete(lid);
    this.lidByPn.delete(pn);
  }

  putKeyValue(namespace: string, key: string, value: Uint8Array): void {
    const values = this.kv.get(namespace) ?? new Map<string, Uint8Array>();
    this.kv.set(namespace, values);
    values.set(key, value);
  }

  deleteKeyValue(namespace: string, key: string): void {
    const values = this.kv.get(namespace);
    if (values?.delete(key) && values.size === 0) this.kv.delete(namespace);
  }

  /** Marks `devices` of `group` (those marked already stay marked once). */
  addMarks(group: string, devices: Iterable<string>): void {
    const marks = new Set(this.senderKeyDevices.get(group));
    const before = marks.size;
    for (const device of devices) marks.add(device);
    if (marks.size > before) this.senderKeyDevices.set(group, [...marks].sort(compareCodePoints));
  }

  /**
   * Applies a transaction's writes. Its values are checked copies the write set owns, and what
   * remains is map updates, which cannot fail: the commit is all or nothing by construction, and
   * synchronous, so nothing else runs in between.
   */
  apply(writes: WriteSet): void {
    if (writes.credentials !== undefined) this.credentials = writes.credentials;
    for (const [table, recorded] of [
      [this.identities, writes.identities],
      [this.sessions, writes.sessions],
    ] as const) {
      for (const [address, value] of recorded) {
        if (value === DELETED) table.delete(address);
        else table.set(address, value);
      }
    }
    for (const [id, keyPair] of writes.preKeys) {
      if (keyPair === DELETED) this.preKeys.delete(id);
      else this.preKeys.set(id, keyPair);
    }
    for (const [name, record] of writes.senderKeys) {
      if (record === DELETED) this.senderKeys.delete(name);
      else this.senderKeys.set(name, record);
    }
    for (const [user, list] of writes.devices) {
      if (list === DELETED) this.devices.delete(user);
      else this.devices.set(user, list);
    }
    for (const [lid, pn] of writes.lids) {
      if (pn === DELETED) this.deleteLid(lid);
      else this.putLid(lid, pn);
    }
    // A key recorded meanwhile by another writer keeps its first time, as `add` would.
    for (const [id, { at }] of writes.received) if (!this.received.has(id)) this.received.set(id, at);
    for (const [id, message] of writes.sent) this.sent.set(id, message);
    for (const [group, { cleared, added }] of writes.senderKeyDevices) {
      if (cleared) this.senderKeyDevices.delete(group);
      this.addMarks(group, added);
    }
    for (const [namespace, values] of writes.kv) {
      for (const [key, value] of values) {
        if (value === DELETED) this.deleteKeyValue(namespace, key);
        else this.putKeyValue(namespace, key, value);
      }
    }
  }

  /** Deletes everything. */
  clear(): void {
    this.credentials = undefined;
    for (const table of [
      this.identities,
      this.sessions,
      this.preKeys,
      this.senderKeys,
      this.devices,
      this.pnByLid,
      this.lidByPn,
      this.received,
      this.sent,
      this.senderKeyDevices,
      this.kv,
    ]) {
      table.clear();
    }
  }
}
