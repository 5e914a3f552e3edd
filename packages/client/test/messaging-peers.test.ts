import { describe, expect, test } from 'vitest';
import { Peers } from '../src/messaging/peers';
import { Mutex } from '../src/pipeline/mutex';
import { MemoryStore } from '../src/store/memory-store';

const PN = '15551230001@s.whatsapp.net';
const OTHER_PN = '15551230002@s.whatsapp.net';
const LID = '99887766554433@lid';

function peers(store = new MemoryStore()) {
  return { store, peers: new Peers(store, new Mutex()) };
}

describe('Peers', () => {
  test('a LID, or a PN with no known LID, is its own canonical user; devices fold to the user', async () => {
    const { peers: p } = peers();
    expect(p.resolve('99887766554433:3@lid')).toBe(LID);
    expect(await p.canonical('15551230001:7@s.whatsapp.net')).toBe(PN);
  });

  test('a learned LID is the PN peer canonical form, known at once (no store read)', async () => {
    const { peers: p } = peers();
    await p.learn(LID, PN);
    expect(p.resolve('15551230001:2@s.whatsapp.net')).toBe(LID);
  });

  test('a mapping read from the store is kept, so the next lookup is synchronous', async () => {
    const { store, peers: p } = peers();
    await store.lids.put(LID, PN);
    const first = p.resolve(PN);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe(LID);
    expect(p.resolve(PN)).toBe(LID);
  });

  test('when a LID moves to another PN, the PN it had is no longer mapped to it', async () => {
    const { store, peers: p } = peers();
    await p.learn(LID, PN);
    await p.learn(LID, OTHER_PN);
    expect(p.resolve(OTHER_PN)).toBe(LID);
    // As the store says: the LID's entry was rewritten.
    expect(await store.lids.getLid(PN)).toBeUndefined();
    expect(await p.canonical(PN)).toBe(PN);
  });

  test('a PN the store has no LID for is read once, and learning its LID replaces that answer', async () => {
    const { store, peers: p } = peers();
    let reads = 0;
    const getLid = store.lids.getLid.bind(store.lids);
    store.lids.getLid = async (pn) => {
      reads++;
      return getLid(pn);
    };
    expect(await p.resolve(PN)).toBe(PN);
    expect(p.resolve(PN)).toBe(PN); // synchronous now: no promise, no store read
    expect(reads).toBe(1);
    await p.learn(LID, PN);
    expect(p.resolve(PN)).toBe(LID);
  });
});
