/**
 * How session records go to and from a store (`_session-store-io.ts`): a store that hands back the
 * arrays it was given has every write filed for the decode cache; a store that copies, as a
 * database does, has only a probe filed every so often (filing costs a snapshot copy and a WeakMap
 * entry that such a store never repays); and a store that starts handing arrays back is noticed.
 */
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import { SessionBuilder } from '../src/session-builder';
import { SessionCipher } from '../src/session-cipher';
import { readSessionRecord } from '../src/session-record';
import { createParty, RecordingStore, utf8 } from './session-helpers';

/** A store that says, for every record it is given, whether the array was filed. */
class WatchedStore extends RecordingStore {
  /** Hand out copies (as a database does) rather than the stored arrays. */
  copies = true;
  readonly filed: boolean[] = [];

  override async loadSession(address: string): Promise<Uint8Array | undefined> {
    const record = await super.loadSession(address);
    return record && this.copies ? new Uint8Array(record) : record;
  }

  override async storeSession(address: string, record: Uint8Array): Promise<void> {
    // Reading an array back tells whether it was filed (and decodes it when it was not).
    this.filed.push(readSessionRecord(record).known);
    return super.storeSession(address, record);
  }
}

/** A cipher to Bob whose session store is `store`, watching it, with a session built. */
async function cipherOver(copies: boolean): Promise<{ store: WatchedStore; cipher: SessionCipher }> {
  const alice = await createParty('alice', crypto);
  const bob = await createParty('bob', crypto);
  const store = new WatchedStore(alice.identity, alice.registrationId);
  store.copies = copies;
  await new SessionBuilder(store, bob.address, { crypto }).processPreKeyBundle(bob.bundle());
  return { store, cipher: new SessionCipher(store, bob.address, { crypto }) };
}

const count = (values: boolean[]) => values.filter(Boolean).length;

describe('records to and from a store', () => {
  it('files every write to a store that hands back what it was given', async () => {
    const { store, cipher } = await cipherOver(false);
    for (let i = 0; i < 200; i++) await cipher.encrypt(utf8(`m${i}`));
    expect(store.filed).toHaveLength(201);
    expect(count(store.filed)).toBe(201);
  });

  it('files only a probe in 64 writes once a store has handed back copies 8 times in a row', async () => {
    const { store, cipher } = await cipherOver(true);
    for (let i = 0; i < 8 + 256; i++) await cipher.encrypt(utf8(`m${i}`));
    // The builder's write and those after the first 7 loads are filed; then one in 64.
    expect(store.filed.slice(0, 8)).toEqual(Array(8).fill(true));
    const steady = store.filed.slice(8, 8 + 256);
    expect(count(steady)).toBe(256 / 64);
    expect(steady.findIndex(Boolean)).toBe(0);
  });

  it('files every write again once the store hands back a probe it was given', async () => {
    const { store, cipher } = await cipherOver(true);
    for (let i = 0; i < 100; i++) await cipher.encrypt(utf8(`m${i}`));
    store.copies = false;
    for (let i = 0; i < 64; i++) await cipher.encrypt(utf8(`n${i}`));
    store.filed.length = 0;
    for (let i = 0; i < 50; i++) await cipher.encrypt(utf8(`o${i}`));
    expect(count(store.filed)).toBe(50);
  });
});
