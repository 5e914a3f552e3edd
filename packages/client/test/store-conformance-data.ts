/**
 * What the parts of the Store conformance suite share: the harness a backend is tested through,
 * one value of every kind written and expected back, and a call of every `StoreView` method (for
 * the tests that check each method refuses use: after `close()`, through a settled transaction).
 */
import { expect } from 'vitest';
import { NoCredentialsError } from '../src/errors';
import type { Store, StoreView } from '../src/store/store';
import {
  bytes,
  deviceList,
  keyPair,
  messageKey,
  pairedCredentials,
  preKeys,
  sentMessage,
} from './store-fixtures';

// Properties write through to the backend (an fsync per commit for SQLite): fewer runs than the
// global default keep the suite fast; FC_NUM_RUNS in the environment still overrides for deep runs.
export const RUNS = process.env.FC_NUM_RUNS ? {} : { numRuns: 40 };

/** What a backend's factory returns. */
export interface StoreUnderTest {
  /** A fresh, empty store. */
  store: Store;
  /**
   * Opens the same data again as a new `Store`. The suite closes the previous store first, so a
   * backend may hold exclusive resources while open.
   */
  reopen?: () => Promise<Store>;
  /**
   * Makes the backend itself fail every later write of the session `address` inside a commit (for
   * SQLite: a trigger that raises), to check that a commit failing midway applies nothing. Backends
   * whose commit cannot fail once the transaction's view has checked its writes (memory: map updates)
   * leave it out, and the test is then not defined for them.
   */
  poisonSession?: (address: string) => Promise<void>;
}

/** How the parts of the suite get stores: each is closed after its test. */
export interface Harness {
  /** A fresh, empty store. */
  fresh(): Promise<Store>;
  /** A fresh store with everything the factory gives for it. */
  freshUnderTest(): Promise<StoreUnderTest>;
}

/** Expects a plain, unshared Uint8Array: not a Buffer, not a view into someone's larger buffer. */
export function expectPlainBytes(value: Uint8Array | undefined, expected: Uint8Array): void {
  expect(value).toBeDefined();
  expect(Object.getPrototypeOf(value)).toBe(Uint8Array.prototype);
  expect(value!.byteOffset).toBe(0);
  expect(value!.buffer.byteLength).toBe(value!.length);
  expect(value).toEqual(expected);
}

/**
 * Expects a session or sender-key record as the store rules allow it (src/store/store.ts): a
 * plain Uint8Array (not a Buffer) with the contents, possibly a view into a buffer of records.
 */
export function expectRecordBytes(value: Uint8Array | undefined, expected: Uint8Array): void {
  expect(value).toBeDefined();
  expect(Object.getPrototypeOf(value)).toBe(Uint8Array.prototype);
  expect(value).toEqual(expected);
}

export const LID = '123456789012345@lid';
export const PN = '15551234567@s.whatsapp.net';

/** Writes one of every kind of value. */
export async function writeEverything(store: StoreView): Promise<void> {
  await store.saveCredentials(pairedCredentials());
  await store.saveIdentity('a.0', bytes(33, 1));
  await store.storeSession('a.0', bytes(50, 2));
  await store.storePreKeys(preKeys(1, 3));
  await store.storeSenderKey('g@g.us::a::0', bytes(70, 3));
  await store.devices.put(deviceList());
  await store.lids.put(LID, PN);
  expect(await store.received.add(messageKey(), 1_000)).toBe(true);
  await store.sent.put(sentMessage());
  await store.kv.put('module', 'state', bytes(9, 4));
}

/** Expects what `writeEverything` wrote. */
export async function expectEverything(store: StoreView): Promise<void> {
  expect(await store.loadCredentials()).toEqual(pairedCredentials());
  expect(await store.getIdentity('a.0')).toEqual(bytes(33, 1));
  expect(await store.isTrustedIdentity('a.0', bytes(33, 2), 'sending')).toBe(false);
  expect(await store.loadSession('a.0')).toEqual(bytes(50, 2));
  expect(await store.countPreKeys()).toBe(3);
  expect(await store.loadPreKey(3)).toEqual(keyPair(3));
  expect(await store.loadSenderKey('g@g.us::a::0')).toEqual(bytes(70, 3));
  expect(await store.devices.get(deviceList().user)).toEqual(deviceList());
  expect(await store.lids.getLid(PN)).toBe(LID);
  expect(await store.lids.getPn(LID)).toBe(PN);
  expect(await store.received.has(messageKey())).toBe(true);
  expect(await store.sent.get(sentMessage().chat, sentMessage().id)).toEqual(sentMessage());
  expect(await store.signalUsers.sessionDevices('a')).toEqual([0]);
  expect(await store.kv.get('module', 'state')).toEqual(bytes(9, 4));
  expect(await store.kv.keys('module')).toEqual(['state']);
}

/** Expects a store with nothing in it. */
export async function expectEmpty(store: StoreView): Promise<void> {
  expect(await store.loadCredentials()).toBeUndefined();
  await expect(store.getIdentityKeyPair()).rejects.toBeInstanceOf(NoCredentialsError);
  expect(await store.getIdentity('a.0')).toBeUndefined();
  expect(await store.isTrustedIdentity('a.0', bytes(33, 2), 'sending')).toBe(true);
  expect(await store.loadSession('a.0')).toBeUndefined();
  expect(await store.countPreKeys()).toBe(0);
  expect(await store.loadPreKey(1)).toBeUndefined();
  expect(await store.loadSenderKey('g@g.us::a::0')).toBeUndefined();
  expect(await store.devices.get(deviceList().user)).toBeUndefined();
  expect(await store.lids.getLid(PN)).toBeUndefined();
  expect(await store.lids.getPn(LID)).toBeUndefined();
  expect(await store.received.has(messageKey())).toBe(false);
  expect(await store.sent.get(sentMessage().chat, sentMessage().id)).toBeUndefined();
  expect(await store.signalUsers.sessionDevices('a')).toEqual([]);
  expect(await store.kv.get('module', 'state')).toBeUndefined();
  expect(await store.kv.keys('module')).toEqual([]);
}

/** A call of every `StoreView` method, with valid arguments. */
export const VIEW_CALLS: [string, (view: StoreView) => Promise<unknown>][] = [
  ['loadCredentials', (s) => s.loadCredentials()],
  ['saveCredentials', (s) => s.saveCredentials(pairedCredentials())],
  ['getIdentityKeyPair', (s) => s.getIdentityKeyPair()],
  ['getLocalRegistrationId', (s) => s.getLocalRegistrationId()],
  ['loadSignedPreKey', (s) => s.loadSignedPreKey(1)],
  ['isTrustedIdentity', (s) => s.isTrustedIdentity('a.0', bytes(33), 'sending')],
  ['saveIdentity', (s) => s.saveIdentity('a.0', bytes(33))],
  ['getIdentity', (s) => s.getIdentity('a.0')],
  ['loadSession', (s) => s.loadSession('a.0')],
  ['storeSession', (s) => s.storeSession('a.0', bytes(4))],
  ['loadPreKey', (s) => s.loadPreKey(1)],
  ['removePreKey', (s) => s.removePreKey(1)],
  ['storePreKeys', (s) => s.storePreKeys(preKeys(1, 1))],
  ['countPreKeys', (s) => s.countPreKeys()],
  ['loadSenderKey', (s) => s.loadSenderKey('g::a.0')],
  ['storeSenderKey', (s) => s.storeSenderKey('g::a.0', bytes(4))],
  ['devices.get', (s) => s.devices.get(PN)],
  ['devices.put', (s) => s.devices.put(deviceList())],
  ['devices.delete', (s) => s.devices.delete(PN)],
  ['lids.put', (s) => s.lids.put(LID, PN)],
  ['lids.getLid', (s) => s.lids.getLid(PN)],
  ['lids.getPn', (s) => s.lids.getPn(LID)],
  ['received.has', (s) => s.received.has(messageKey())],
  ['received.add', (s) => s.received.add(messageKey(), 1)],
  ['received.prune', (s) => s.received.prune(1)],
  ['sent.get', (s) => s.sent.get(PN, 'x')],
  ['sent.put', (s) => s.sent.put(sentMessage())],
  ['sent.prune', (s) => s.sent.prune(1)],
  ['signalUsers.sessionDevices', (s) => s.signalUsers.sessionDevices('a')],
  ['signalUsers.deleteSessions', (s) => s.signalUsers.deleteSessions('a')],
  ['signalUsers.deleteIdentities', (s) => s.signalUsers.deleteIdentities('a')],
  ['signalUsers.moveUser', (s) => s.signalUsers.moveUser('a', 'b')],
  ['kv.get', (s) => s.kv.get('n', 'k')],
  ['kv.put', (s) => s.kv.put('n', 'k', bytes(2))],
  ['kv.delete', (s) => s.kv.delete('n', 'k')],
  ['kv.keys', (s) => s.kv.keys('n')],
];
