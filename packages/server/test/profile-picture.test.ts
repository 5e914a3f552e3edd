/** Profile pictures (docs/protocol.md §10.7): set, remove, get with privacy, 304, notifications, HTTP. */
import type { BinaryNode } from '@wakit/binary-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { child } from '../src/nodes';
import { PROFILE_PICTURE_XMLNS } from '../src/profile-picture-iqs';
import { pictureHash } from '../src/profile-state';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { startServer, type WaServer } from '../src/start-server';
import { iq, linkedClient } from './linked-client';
import {
  ALICE,
  addAccount,
  addCompanion,
  BOB,
  type Endpoint,
  NOW_T,
  newState,
  online,
} from './messaging-fixtures';
import { CAROL } from './presence-fixtures';
import { ask, category, errorCode, privacyNode } from './privacy-fixtures';
import { JPEG, PREVIEW, pictureQuery, pictureSet } from './profile-fixtures';

const A = `${ALICE.phone}@s.whatsapp.net`;
const A_LID = `${ALICE.lid}@lid`;

let state: ServerState;
let a1: DeviceRecord;
let b1: DeviceRecord;
let c1: DeviceRecord;
let at: Record<'a0' | 'a2', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  await addAccount(state, BOB);
  await addAccount(state, CAROL);
  a1 = addCompanion(state, ALICE, 1);
  const a2 = addCompanion(state, ALICE, 2);
  b1 = addCompanion(state, BOB, 1);
  c1 = addCompanion(state, CAROL, 1);
  at = { a0: online(state, alice), a2: online(state, a2) };
});

const setPicture = (device: DeviceRecord, content?: BinaryNode[], attrs?: Record<string, string>) =>
  ask(state, device, PROFILE_PICTURE_XMLNS, 'set', content, attrs);
const getPicture = (device: DeviceRecord, target: string, type = 'image', id?: string) =>
  ask(state, device, PROFILE_PICTURE_XMLNS, 'get', [pictureQuery(type, id)], { target });

describe('setting and removing the own picture', () => {
  it('answers <picture id>, stores image and preview, and tells the other devices with <set jid id>', async () => {
    const reply = await setPicture(a1, [pictureSet(JPEG), pictureSet(PREVIEW, 'preview')]);
    expect(reply).toEqual({
      tag: 'iq',
      attrs: { from: '@s.whatsapp.net', type: 'result', id: 'q1' },
      content: [{ tag: 'picture', attrs: { id: '1' } }],
    });
    expect(state.profiles.picture(ALICE.phone)).toEqual({ id: '1', image: JPEG, preview: PREVIEW, t: NOW_T });
    for (const endpoint of [at.a0, at.a2]) {
      expect(endpoint.tagged('notification')).toEqual([
        {
          tag: 'notification',
          attrs: { from: A, type: 'picture', id: expect.any(String), t: NOW_T },
          content: [{ tag: 'set', attrs: { jid: A, id: '1' } }],
        },
      ]);
    }
    expect(state.outbox.pending(a1.jid)).toEqual([]);
  });

  it('gives every change a higher id, uses the image as preview when none is sent, and removes with an empty set', async () => {
    await setPicture(a1, [pictureSet(JPEG)], { target: A });
    expect(state.profiles.picture(ALICE.phone)?.preview).toEqual(JPEG);
    await setPicture(b1, [pictureSet(JPEG)]);
    const third = await setPicture(a1, [pictureSet(JPEG)]);
    expect(child(third, 'picture')?.attrs.id).toBe('3');
    const removed = await setPicture(a1);
    expect(removed).toEqual({ tag: 'iq', attrs: { from: '@s.whatsapp.net', type: 'result', id: 'q1' } });
    expect(state.profiles.picture(ALICE.phone)).toBeUndefined();
    expect(at.a2.tagged('notification').map((n) => (n.content as BinaryNode[])[0])).toEqual([
      { tag: 'set', attrs: { jid: A, id: '1' } },
      { tag: 'set', attrs: { jid: A, id: '3' } },
      { tag: 'delete', attrs: { jid: A } },
    ]);
    // Removing again changes nothing and tells nobody.
    expect((await setPicture(a1)).attrs.type).toBe('result');
    expect(at.a2.tagged('notification')).toHaveLength(3);
  });

  it('refuses what is not a JPEG image (400), another user’s picture (401) and an unknown group’s (404), changing nothing', async () => {
    const bad: BinaryNode[][] = [
      [pictureSet(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))],
      [pictureSet(new Uint8Array(0))],
      [pictureSet(JPEG, 'preview')],
      [pictureSet(JPEG), pictureSet(new Uint8Array([1, 2, 3, 4]), 'preview')],
      [pictureSet(JPEG), pictureSet(JPEG)],
      [pictureSet(JPEG, 'thumbnail')],
    ];
    for (const content of bad) expect(errorCode(await setPicture(a1, content))).toBe('400');
    expect(
      errorCode(await setPicture(a1, [pictureSet(JPEG)], { target: `${BOB.phone}@s.whatsapp.net` })),
    ).toBe('401');
    expect(errorCode(await setPicture(a1, [pictureSet(JPEG)], { target: '120363025918861132@g.us' }))).toBe(
      '404',
    );
    expect(errorCode(await setPicture(a1, [{ tag: 'whatever', attrs: {} }]))).toBe('501');
    expect(state.profiles.picture(ALICE.phone)).toBeUndefined();
    expect(at.a2.tagged('notification')).toEqual([]);
  });
});

describe('getting a picture', () => {
  beforeEach(() => {
    state.profiles.origin = 'http://127.0.0.1:4321';
    state.profiles.setPicture(ALICE.phone, JPEG, PREVIEW);
  });

  it('answers id, url, direct_path, type and hash for image and preview, by PN or LID', async () => {
    for (const target of [A, A_LID]) {
      expect((await getPicture(b1, target, 'image')).content).toEqual([
        {
          tag: 'picture',
          attrs: {
            id: '1',
            url: 'http://127.0.0.1:4321/pp/1/image.jpg',
            direct_path: '/pp/1/image.jpg',
            type: 'image',
            hash: pictureHash(JPEG),
          },
        },
      ]);
    }
    expect(child(await getPicture(b1, A, 'preview'), 'picture')?.attrs).toMatchObject({
      direct_path: '/pp/1/preview.jpg',
      type: 'preview',
      hash: pictureHash(PREVIEW),
    });
    expect(state.profiles.serve('/pp/1/preview.jpg')).toEqual(PREVIEW);
    expect(state.profiles.serve('/pp/1/image.jpg?ccb=1')).toEqual(JPEG);
  });

  it('answers the current id with status 304 and an old one with the new picture', async () => {
    expect((await getPicture(b1, A, 'image', '1')).content).toEqual([
      { tag: 'picture', attrs: { id: '1', type: 'image', status: '304' } },
    ]);
    state.profiles.setPicture(ALICE.phone, JPEG);
    expect(child(await getPicture(b1, A, 'image', '1'), 'picture')?.attrs).toMatchObject({ id: '2' });
    // The replaced picture is no longer served.
    expect(state.profiles.serve('/pp/1/image.jpg')).toBeUndefined();
  });

  it('is 404 for no picture, no such user or group, 400 without target or with another type', async () => {
    expect(errorCode(await getPicture(a1, `${BOB.phone}@s.whatsapp.net`))).toBe('404');
    expect(errorCode(await getPicture(a1, '15559999999@s.whatsapp.net'))).toBe('404');
    expect(errorCode(await ask(state, b1, PROFILE_PICTURE_XMLNS, 'get', [pictureQuery('image')]))).toBe(
      '400',
    );
    expect(errorCode(await getPicture(b1, A, 'full'))).toBe('400');
    expect(errorCode(await getPicture(b1, '120363025918861132@g.us'))).toBe('404');
    expect(errorCode(await ask(state, b1, PROFILE_PICTURE_XMLNS, 'get', [], { target: A }))).toBe('501');
  });

  it('follows the owner’s profile privacy and blocklist (401), always showing the owner its own', async () => {
    const aliceSets = (categories: BinaryNode[]) =>
      ask(state, a1, 'privacy', 'set', [privacyNode(categories)]);
    await aliceSets([category('profile', 'contacts')]);
    expect(child(await getPicture(b1, A), 'picture')?.attrs.id).toBe('1');
    await aliceSets([
      category('profile', 'contact_blacklist', {
        dhash: '0',
        users: [{ action: 'add', jid: `${BOB.lid}@lid` }],
      }),
    ]);
    expect(errorCode(await getPicture(b1, A))).toBe('401');
    expect(child(await getPicture(c1, A), 'picture')?.attrs.id).toBe('1');
    await aliceSets([category('profile', 'none')]);
    expect(errorCode(await getPicture(c1, A))).toBe('401');
    expect(child(await getPicture(a1, A), 'picture')?.attrs.id).toBe('1');
    await aliceSets([category('profile', 'all')]);
    await ask(state, a1, 'blocklist', 'set', [
      { tag: 'item', attrs: { action: 'block', jid: `${CAROL.lid}@lid` } },
    ]);
    expect(errorCode(await getPicture(c1, A))).toBe('401');
    expect(child(await getPicture(b1, A), 'picture')?.attrs.id).toBe('1');
  });
});

describe('profile pictures over a WebSocket', () => {
  let server: WaServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server.close());

  it('sets a picture from one account, tells its other device, and another account gets its URL and downloads it', async () => {
    const alice = await linkedClient(server, '15550007005');
    const alice2 = await linkedClient(server, alice.phone);
    const bob = await linkedClient(server, '15550007006');
    const set = await alice.client.query(iq(PROFILE_PICTURE_XMLNS, 'set', [pictureSet(JPEG)]));
    const id = child(set, 'picture')?.attrs.id;
    expect(id).toMatch(/^\d+$/);
    const note = await alice2.client.next((n) => n.tag === 'notification' && n.attrs.type === 'picture');
    expect(note.content).toEqual([{ tag: 'set', attrs: { jid: '15550007005@s.whatsapp.net', id } }]);

    const got = await bob.client.query(
      iq(PROFILE_PICTURE_XMLNS, 'get', [pictureQuery('image')], { target: '15550007005@s.whatsapp.net' }),
    );
    const picture = child(got, 'picture')!;
    expect(picture.attrs.id).toBe(id);
    expect(picture.attrs.url).toBe(
      `${server.url.replace(/^ws/, 'http').replace(/\/ws\/chat$/, '')}${picture.attrs.direct_path}`,
    );
    const download = await fetch(picture.attrs.url!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(JPEG);

    // Removed: the URL is gone and the get is 404.
    await alice.client.query(iq(PROFILE_PICTURE_XMLNS, 'set'));
    expect((await fetch(picture.attrs.url!)).status).toBe(404);
    const none = await bob.client.query(
      iq(PROFILE_PICTURE_XMLNS, 'get', [pictureQuery('image')], { target: '15550007005@s.whatsapp.net' }),
    );
    expect(child(none, 'error')?.attrs).toEqual({ code: '404', text: 'item-not-found' });
    await Promise.all([alice.client.close(), alice2.client.close(), bob.client.close()]);
  });

  it('lets a test set a picture as the phone: every companion is told', async () => {
    const { client, phone } = await linkedClient(server, '15550007007');
    const picture = server.profiles.setPicture(phone.phoneNumber, JPEG);
    const note = await client.next((n) => n.tag === 'notification' && n.attrs.type === 'picture');
    expect(note.attrs.from).toBe('15550007007@s.whatsapp.net');
    expect(note.content).toEqual([
      { tag: 'set', attrs: { jid: '15550007007@s.whatsapp.net', id: picture.id } },
    ]);
    expect(() => server.profiles.setPicture('15550000000', JPEG)).toThrow(RangeError);
    await client.close();
  });
});
