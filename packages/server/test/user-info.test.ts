/** Status text (xmlns status) and usync user info (status, picture, disappearing_mode, business). */
import type { BinaryNode } from '@wakit/binary-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { utf8 } from '../src/_bytes';
import { child, children } from '../src/nodes';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { startServer, type WaServer } from '../src/start-server';
import { iq, linkedClient } from './linked-client';
import { ALICE, addAccount, addCompanion, BOB, NOW_T, newState } from './messaging-fixtures';
import { CAROL } from './presence-fixtures';
import { ask, category, errorCode, privacyNode } from './privacy-fixtures';
import { JPEG } from './profile-fixtures';

const A = `${ALICE.phone}@s.whatsapp.net`;

/** The usync whatsmeow's GetUserInfo sends, for `jids`. */
function userInfoQuery(jids: string[]): BinaryNode[] {
  return [
    {
      tag: 'usync',
      attrs: { sid: 's1', mode: 'full', last: 'true', index: '0', context: 'background' },
      content: [
        {
          tag: 'query',
          attrs: {},
          content: [
            { tag: 'business', attrs: {}, content: [{ tag: 'verified_name', attrs: {} }] },
            { tag: 'status', attrs: {} },
            { tag: 'picture', attrs: {} },
            { tag: 'disappearing_mode', attrs: {} },
          ],
        },
        { tag: 'list', attrs: {}, content: jids.map((jid) => ({ tag: 'user', attrs: { jid } })) },
      ],
    },
  ];
}

const statusSet = (content: string | Uint8Array | BinaryNode[]): BinaryNode[] => [
  { tag: 'status', attrs: {}, content },
];

describe('status text and user info through the router', () => {
  let state: ServerState;
  let a1: DeviceRecord;
  let b1: DeviceRecord;
  let c1: DeviceRecord;

  beforeEach(async () => {
    state = newState();
    await addAccount(state, ALICE);
    await addAccount(state, BOB);
    await addAccount(state, CAROL);
    a1 = addCompanion(state, ALICE, 1);
    b1 = addCompanion(state, BOB, 1);
    c1 = addCompanion(state, CAROL, 1);
  });

  const infoOf = async (asker: DeviceRecord, jid: string) => {
    const reply = await ask(state, asker, 'usync', 'get', userInfoQuery([jid]));
    return children(child(child(reply, 'usync'), 'list'), 'user')[0];
  };

  it('stores the text (string or bytes) with its time; 139 characters pass, 140 are 400', async () => {
    expect(await ask(state, a1, 'status', 'set', statusSet('Busy 🚀'))).toEqual({
      tag: 'iq',
      attrs: { from: '@s.whatsapp.net', type: 'result', id: 'q1' },
    });
    expect(state.profiles.about(ALICE.phone)).toEqual({ text: 'Busy 🚀', t: NOW_T });
    await ask(state, a1, 'status', 'set', statusSet(utf8('from bytes')));
    expect(state.profiles.about(ALICE.phone)?.text).toBe('from bytes');
    expect((await ask(state, a1, 'status', 'set', statusSet('🚀'.repeat(139)))).attrs.type).toBe('result');
    expect(errorCode(await ask(state, a1, 'status', 'set', statusSet('x'.repeat(140))))).toBe('400');
    expect(errorCode(await ask(state, a1, 'status', 'set', statusSet([{ tag: 'x', attrs: {} }])))).toBe(
      '400',
    );
    expect(state.profiles.about(ALICE.phone)?.text).toBe('🚀'.repeat(139));
    expect(errorCode(await ask(state, a1, 'status', 'set'))).toBe('501');
    expect(errorCode(await ask(state, a1, 'status', 'get', statusSet('x')))).toBe('501');
  });

  it('answers status, picture and disappearing_mode, and no business node', async () => {
    await ask(state, a1, 'status', 'set', statusSet('Hello'));
    const picture = state.profiles.setPicture(ALICE.phone, JPEG);
    await ask(state, a1, 'disappearing_mode', 'set', [
      { tag: 'disappearing_mode', attrs: { duration: '86400' } },
    ]);
    expect(await infoOf(b1, A)).toEqual({
      tag: 'user',
      attrs: { jid: A },
      content: [
        { tag: 'status', attrs: { t: NOW_T }, content: utf8('Hello') },
        { tag: 'picture', attrs: { id: picture.id } },
        { tag: 'disappearing_mode', attrs: { duration: '86400', t: NOW_T } },
      ],
    });
  });

  it('answers an account with nothing set with an empty status, a 404 picture and the default mode; an unknown user with none of them', async () => {
    expect((await infoOf(b1, A))?.content).toEqual([
      { tag: 'status', attrs: {} },
      {
        tag: 'picture',
        attrs: {},
        content: [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }],
      },
      { tag: 'disappearing_mode', attrs: { duration: '0', t: '0' } },
    ]);
    expect(await infoOf(b1, '15559999999@s.whatsapp.net')).toEqual({
      tag: 'user',
      attrs: { jid: '15559999999@s.whatsapp.net' },
      content: [],
    });
  });

  it('hides status (code 401) and picture (error 401) as the owner’s status/profile privacy and blocklist say', async () => {
    await ask(state, a1, 'status', 'set', statusSet('Hello'));
    state.profiles.setPicture(ALICE.phone, JPEG);
    await ask(state, a1, 'privacy', 'set', [
      privacyNode([
        category('status', 'contact_blacklist', {
          dhash: '0',
          users: [{ action: 'add', jid: `${BOB.lid}@lid` }],
        }),
        category('profile', 'none'),
      ]),
    ]);
    const hiddenPicture = {
      tag: 'picture',
      attrs: {},
      content: [{ tag: 'error', attrs: { code: '401', text: 'not-authorized' } }],
    };
    expect((await infoOf(b1, A))?.content?.slice(0, 2)).toEqual([
      { tag: 'status', attrs: { code: '401' } },
      hiddenPicture,
    ]);
    expect(child(await infoOf(c1, A), 'status')?.content).toEqual(utf8('Hello'));
    expect(child(await infoOf(a1, A), 'picture')?.attrs.id).toBeDefined();
    await ask(state, a1, 'blocklist', 'set', [
      { tag: 'item', attrs: { action: 'block', jid: `${CAROL.lid}@lid` } },
    ]);
    expect(child(await infoOf(c1, A), 'status')?.attrs).toEqual({ code: '401' });
  });

  it('keeps the devices, lid and contact answers as they were', async () => {
    const reply = await ask(state, b1, 'usync', 'get', [
      {
        tag: 'usync',
        attrs: { sid: 's2', mode: 'query', last: 'true', index: '0', context: 'interactive' },
        content: [
          {
            tag: 'query',
            attrs: {},
            content: [
              { tag: 'contact', attrs: {} },
              { tag: 'lid', attrs: {} },
            ],
          },
          {
            tag: 'list',
            attrs: {},
            content: [
              {
                tag: 'user',
                attrs: {},
                content: [{ tag: 'contact', attrs: {}, content: `+${ALICE.phone}` }],
              },
            ],
          },
        ],
      },
    ]);
    expect(children(child(child(reply, 'usync'), 'list'), 'user')).toEqual([
      {
        tag: 'user',
        attrs: { jid: A },
        content: [
          { tag: 'lid', attrs: { val: `${ALICE.lid}@lid` } },
          { tag: 'contact', attrs: { type: 'in' }, content: `+${ALICE.phone}` },
        ],
      },
    ]);
  });
});

describe('user info over a WebSocket', () => {
  let server: WaServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server.close());

  it('a status set by one account is what another reads in usync, with the picture id', async () => {
    const alice = await linkedClient(server, '15550007008');
    const bob = await linkedClient(server, '15550007009');
    expect((await alice.client.query(iq('status', 'set', statusSet('At the gym')))).attrs.type).toBe(
      'result',
    );
    const picture = server.profiles.setPicture('15550007008', JPEG);
    const reply = await bob.client.query(iq('usync', 'get', userInfoQuery(['15550007008@s.whatsapp.net'])));
    const user = children(child(child(reply, 'usync'), 'list'), 'user')[0];
    expect(child(user, 'status')?.content).toEqual(utf8('At the gym'));
    expect(child(user, 'status')?.attrs.t).toMatch(/^\d+$/);
    expect(child(user, 'picture')?.attrs).toEqual({ id: picture.id });
    expect(child(user, 'business')).toBeUndefined();
    await Promise.all([alice.client.close(), bob.client.close()]);
  });
});
