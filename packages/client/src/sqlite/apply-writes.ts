/**
 * A transaction's commit on SQLite: every recorded write as one statement, run by the caller inside
 * one `BEGIN IMMEDIATE` transaction, so a failing statement (a full disk, a constraint) rolls all
 * of them back. Tables go in a fixed order; within a table, in the order the keys were first written.
 */
import { DELETED, type WriteSet } from '../store/_write-set';
import { credentialsToRow } from './credentials-row';
import type { Statements } from './statements';
import { deviceListToRow, sentMessageToRow } from './sub-store-rows';

/** Maps `lid` to `pn`, deleting whatever mapping either had (both columns are unique). */
export function putLidMapping(statements: Statements, lid: string, pn: string): void {
  statements.deleteLidOrPn.run(lid, pn);
  statements.insertLid.run(lid, pn);
}

/** Runs the statements of `writes`. Call inside a transaction; it is not one by itself. */
export function applyWrites(statements: Statements, writes: WriteSet): void {
  if (writes.credentials !== undefined) statements.saveCredentials.run(credentialsToRow(writes.credentials));
  for (const [address, key] of writes.identities) {
    if (key === DELETED) statements.deleteIdentity.run(address);
    else statements.saveIdentity.run(address, key);
  }
  for (const [address, record] of writes.sessions) {
    if (record === DELETED) statements.deleteSession.run(address);
    else statements.storeSession.run(address, record);
  }
  for (const [id, keyPair] of writes.preKeys) {
    if (keyPair === DELETED) statements.removePreKey.run(id);
    else statements.storePreKey.run(id, keyPair.publicKey, keyPair.privateKey);
  }
  for (const [name, record] of writes.senderKeys) {
    if (record === DELETED) statements.deleteSenderKey.run(name);
    else statements.storeSenderKey.run(name, record);
  }
  for (const [user, list] of writes.devices) {
    if (list === DELETED) statements.deleteDeviceList.run(user);
    else statements.putDeviceList.run(deviceListToRow(list));
  }
  for (const [lid, pn] of writes.lids) {
    if (pn === DELETED) statements.deleteLid.run(lid);
    else putLidMapping(statements, lid, pn);
  }
  // INSERT OR IGNORE: a key another writer recorded meanwhile keeps its first time, as `add` would.
  for (const { key, at } of writes.received.values())
    statements.addReceived.run(key.chat, key.sender, key.id, at);
  for (const message of writes.sent.values()) statements.putSent.run(sentMessageToRow(message));
  for (const [group, { cleared, added }] of writes.senderKeyDevices) {
    if (cleared) statements.clearSenderKeyDevices.run(group);
    for (const device of added) statements.addSenderKeyDevice.run(group, device);
  }
  for (const [namespace, values] of writes.kv) {
    for (const [key, value] of values) {
      if (value === DELETED) statements.deleteKeyValue.run(namespace, key);
      else statements.putKeyValue.run(namespace, key, value);
    }
  }
}
