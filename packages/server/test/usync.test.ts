/** usync through the IQ router with plain nodes: devices, lid, contact, unknown users, subscribers. */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { ADVKeyIndexListSchema, ADVSignedKeyIndexListSchema, fromBinary } from '@wakit/proto';
import { beforeEach, describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8 } from '../src/_bytes';
import { routeIq } from '../src/iq-router';
import { ADV_KEY_INDEX_LIST_SIGNATURE_PREFIX } from '../src/key-index-list';
import { child, children, contentBytes } from '../src/nodes';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { ALICE, addAccount, addCompanion, BOB, NOW_T, newState } from './messaging-fixtures';

let state: ServerState;
let asker: DeviceRecord;

beforeEach(async () => {
  state = newState();
  await addAccount(state, ALICE);
  asker = addCompanion(state, ALICE, 1);
});

function ask(node: BinaryNode): Promise<BinaryNode> {
  return routeIq(
    {
      state,
      connection: { id: 1, deviceJid: asker.jid },
      device: asker,
      target: { noiseKey: undefined, send: () => {}, pair: async () => '' },
      send: () => {},
      after: () => {},
      setPassive: () => {},
    },
    node,
  );
}

function usync(
  protocols: string[],
  users: BinaryNode[],
  contactAttrs: Record<string, string> = {},
): BinaryNode {
  return {
    tag: 'iq',
    attrs: { id: 'u1', to: '@s.whatsapp.net', type: 'get', xmlns: 'usync' },
    content: [
      {
        tag: 'usync',
        attrs: { sid: 'sid-7', mode: 'query', last: 'true', index: '0', context: 'message' },
        content: [
          {
            tag: 'query',
            attrs: {},
            content: protocols.map((tag) => ({
              tag,
              attrs: tag === 'devices' ? { version: '2' } : tag === 'contact' ? contactAttrs : {},
            })),
          },
          { tag: 'list', attrs: {}, content: users },
        ],
      },
    ],
  };
}

const user = (jid: string): BinaryNode => ({ tag: 'user', attrs: { jid } });
const phoneUser = (phone: string): BinaryNode => ({
  tag: 'user',
  attrs: {},
  content: [{ tag: 'contact', attrs: {}, content: phone }],
});
const users = (reply: BinaryNode) => children(child(child(reply, 'usync'), 'list'), 'user');
const deviceList = (u: BinaryNode | undefined) =>
  children(child(child(u, 'devices'), 'device-list'), 'device').map((d) => d.attrs);

describe('usync devices and lid', () => {
  it('lists device 0 and the companions not removed, each companion with its key-index, in a signed key-index list', async () => {
    const { identity } = await addAccount(state, BOB);
    addCompanion(state, BOB, 2);
    addCompanion(state, BOB, 3);
    addCompanion(state, BOB, 5).removed = true;
    const reply = await ask(usync(['devices', 'lid'], [user(`${BOB.phone}@s.whatsapp.net`)]));
    expect(reply.attrs).toMatchObject({ type: 'result', id: 'u1' });
    expect(child(reply, 'usync')?.attrs).toMatchObject({ sid: 'sid-7', mode: 'query', context: 'message' });
    const [bob] = users(reply);
    expect(bob?.attrs).toEqual({ jid: `${BOB.phone}@s.whatsapp.net` });
    expect(deviceList(bob)).toEqual([
      { id: '0' },
      { id: '2', 'key-index': '2' },
      { id: '3', 'key-index': '3' },
    ]);
    expect(child(bob, 'lid')?.attrs).toEqual({ val: `${BOB.lid}@lid` });

    const keyIndex = child(child(bob, 'devices'), 'key-index-list')!;
    expect(keyIndex.attrs.ts).toBe(NOW_T);
    const signed = fromBinary(ADVSignedKeyIndexListSchema, contentBytes(keyIndex)!);
    const details = fromBinary(ADVKeyIndexListSchema, signed.details!);
    expect(details.validIndexes).toEqual([2, 3]);
    expect(details.currentIndex).toBe(5);
    expect(details.rawId).toBe(state.accounts.get(BOB.phone).rawId);
    expect(String(details.timestamp)).toBe(NOW_T);
    expect(signed.accountSignatureKey).toEqual(identity.publicKey);
    const message = concatBytes(ADV_KEY_INDEX_LIST_SIGNATURE_PREFIX, signed.details!);
    expect(await crypto.verify(identity.publicKey, message, signed.accountSignature!)).toBe(true);
  });

  it('answers a LID query in the LID namespace, echoing the jid, without a <lid> child', async () => {
    await addAccount(state, BOB);
    addCompanion(state, BOB, 4);
    const reply = await ask(usync(['devices', 'lid'], [user(`${BOB.lid}@lid`)]));
    const [bob] = users(reply);
    expect(bob?.attrs.jid).toBe(`${BOB.lid}@lid`);
    expect(deviceList(bob)).toEqual([{ id: '0' }, { id: '4', 'key-index': '4' }]);
    expect(child(bob, 'lid')).toBeUndefined();
  });

  it('echoes every requested jid exactly, for a lid-only query of several users', async () => {
    await addAccount(state, BOB);
    const reply = await ask(
      usync(['lid'], [user(`${BOB.phone}@s.whatsapp.net`), user(`${ALICE.phone}@s.whatsapp.net`)]),
    );
    expect(users(reply).map((u) => [u.attrs.jid, child(u, 'lid')?.attrs.val])).toEqual([
      [`${BOB.phone}@s.whatsapp.net`, `${BOB.lid}@lid`],
      [`${ALICE.phone}@s.whatsapp.net`, `${ALICE.lid}@lid`],
    ]);
  });

  it('answers a user it does not know with an empty device list, no lid and contact out', async () => {
    const reply = await ask(usync(['devices', 'lid', 'contact'], [user('19990000000@s.whatsapp.net')]));
    const [nobody] = users(reply);
    expect(nobody?.attrs.jid).toBe('19990000000@s.whatsapp.net');
    expect(deviceList(nobody)).toEqual([]);
    expect(child(nobody, 'lid')).toBeUndefined();
    expect(child(nobody, 'contact')?.attrs.type).toBe('out');
  });

  it('subscribes the asking device to the account it asked about, in the namespace it asked in', async () => {
    await addAccount(state, BOB);
    await ask(usync(['devices'], [user(`${BOB.lid}@lid`)]));
    expect([...state.accounts.get(BOB.phone).subscribers]).toEqual([[asker.jid, 'lid']]);
    await ask(usync(['lid'], [user(`${ALICE.phone}@s.whatsapp.net`)]));
    expect(state.accounts.get(ALICE.phone).subscribers.size).toBe(0);
  });
});

describe('usync contact', () => {
  it('fills in the jid of a phone-number query and says in or out', async () => {
    await addAccount(state, BOB);
    const reply = await ask(usync(['contact'], [phoneUser(`+${BOB.phone}`), phoneUser('+19990000000')]));
    const [bob, nobody] = users(reply);
    expect(bob?.attrs).toEqual({ jid: `${BOB.phone}@s.whatsapp.net` });
    expect(child(bob, 'contact')?.attrs).toEqual({ type: 'in' });
    expect(fromUtf8(contentBytes(child(bob, 'contact'))!)).toBe(`+${BOB.phone}`);
    expect(nobody?.attrs).toEqual({ jid: '19990000000@s.whatsapp.net' });
    expect(child(nobody, 'contact')?.attrs.type).toBe('out');
  });

  it('answers addressing_mode="lid" with the LID as jid and the number as pn_jid', async () => {
    await addAccount(state, BOB);
    const reply = await ask(usync(['contact'], [phoneUser(`${BOB.phone}@c.us`)], { addressing_mode: 'lid' }));
    expect(users(reply)[0]?.attrs).toEqual({ jid: `${BOB.lid}@lid`, pn_jid: `${BOB.phone}@s.whatsapp.net` });
  });

  it('refuses usync before login', async () => {
    const reply = await routeIq(
      {
        state,
        connection: { id: 2, deviceJid: undefined },
        device: undefined,
        target: { noiseKey: undefined, send: () => {}, pair: async () => '' },
        send: () => {},
        after: () => {},
        setPassive: () => {},
      },
      usync(['devices'], [user(`${ALICE.phone}@s.whatsapp.net`)]),
    );
    expect(child(reply, 'error')?.attrs.code).toBe('401');
  });
});
