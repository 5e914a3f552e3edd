import { describe, expect, test } from 'vitest';
import { MalformedStanzaError } from '../src/errors';
import { isPersonJid, parseJid, signalName } from '../src/messaging/jids';
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

  test('a pair that names no person (an empty user, or one with a ".") is not learnt, and throws nothing', async () => {
    const { store, peers: p } = peers();
    // Found by the fuzzer: a w:gp2 <add> whose phone_number was "s.whatsapp.net@s.whatsapp.net"
    // reached the store's Signal-name check as a TypeError.
    await p.learn(LID, 's.whatsapp.net@s.whatsapp.net');
    await p.learn('a.b@lid', PN);
    await p.learn(LID, '@s.whatsapp.net');
    expect(await store.lids.getLid('s.whatsapp.net@s.whatsapp.net')).toBeUndefined();
    expect(await store.lids.getPn('a.b@lid')).toBeUndefined();
    expect(await store.lids.getPn(LID)).toBeUndefined();
    expect(await p.canonical(PN)).toBe(PN);
  });
});

describe('JIDs that name no person', () => {
  test('is a PN or LID JID whose user can name a Signal address', () => {
    for (const jid of [PN, LID, '15551230001:3@s.whatsapp.net', '99887766554433:2@lid'])
      expect(isPersonJid(parseJid(jid))).toBe(true);
    for (const jid of [
      'a.b@s.whatsapp.net',
      'x.y:2@lid',
      '@s.whatsapp.net',
      '120363000000000001@g.us',
      'status@broadcast',
    ])
      expect(isPersonJid(parseJid(jid))).toBe(false);
  });

  test('cannot name a Signal address: a typed error of the stanza, not a TypeError', () => {
    expect(signalName(PN)).toBe('15551230001');
    expect(signalName(LID)).toBe('99887766554433_1');
    for (const jid of ['a.b@s.whatsapp.net', '12.-56:3@lid', '@s.whatsapp.net'])
      expect(() => signalName(jid), jid).toThrow(MalformedStanzaError);
  });
});
