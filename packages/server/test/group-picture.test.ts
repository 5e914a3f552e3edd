/** Group pictures (src/group-pictures.ts, src/profile-picture-iqs.ts): set, get, remove, who may, who is told. */
import { beforeEach, describe, expect, it } from 'vitest';
import { PROFILE_PICTURE_XMLNS } from '../src/profile-picture-iqs';
import type { DeviceRecord } from '../src/server-state';
import { B, clearAll, createGroup, type GroupWorld, groupWorld, LA, LB } from './group-fixtures';
import { NOW_T } from './messaging-fixtures';
import { ask, errorCode } from './privacy-fixtures';
import { JPEG, PREVIEW, pictureQuery, pictureSet } from './profile-fixtures';

let world: GroupWorld;
let group: string;
beforeEach(async () => {
  world = await groupWorld();
  world.state.profiles.origin = 'http://127.0.0.1:4321';
  group = await createGroup(world, world.dev.a1, [B]);
  clearAll(world);
});

const setPicture = (
  device: DeviceRecord,
  target: string,
  content = [pictureSet(JPEG), pictureSet(PREVIEW, 'preview')],
) => ask(world.state, device, PROFILE_PICTURE_XMLNS, 'set', content, { target });
const getPicture = (device: DeviceRecord, target: string, type = 'image') =>
  ask(world.state, device, PROFILE_PICTURE_XMLNS, 'get', [pictureQuery(type)], { target });
const pictureNotes = (device: keyof GroupWorld['at']) =>
  world.at[device].tagged('notification').filter((n) => n.attrs.type === 'picture');

describe('group pictures', () => {
  it('a member sets one: every member device is told <set jid id author>, members get it, others are refused', async () => {
    const reply = await setPicture(world.dev.b3, group);
    expect(reply.attrs.type).toBe('result');
    const id = world.state.groups.find(group)!.picture!.id;
    expect(reply.content).toEqual([{ tag: 'picture', attrs: { id } }]);
    for (const device of ['a0', 'a1', 'b0', 'b3'] as const) {
      expect(pictureNotes(device)).toEqual([
        {
          tag: 'notification',
          attrs: { from: group, type: 'picture', id: expect.any(String), t: NOW_T },
          content: [{ tag: 'set', attrs: { jid: group, id, author: LB } }],
        },
      ]);
    }
    expect(pictureNotes('c0')).toEqual([]);
    const got = await getPicture(world.dev.a1, group, 'preview');
    expect(got.content).toEqual([
      {
        tag: 'picture',
        attrs: {
          id,
          url: `http://127.0.0.1:4321/pp/${id}/preview.jpg`,
          direct_path: `/pp/${id}/preview.jpg`,
          type: 'preview',
          hash: expect.any(String),
        },
      },
    ]);
    expect(world.state.profiles.serve(`/pp/${id}/image.jpg`)).toEqual(JPEG);
    expect(errorCode(await getPicture(world.dev.c0, group))).toBe('401');
    // The account's own picture is untouched.
    expect(world.state.profiles.picture(world.dev.b3.phoneNumber)).toBeUndefined();
  });

  it('in a locked group only admins set or remove it (403); a non-member is 401, an unknown group 404', async () => {
    world.state.groups.find(group)!.locked = true;
    expect(errorCode(await setPicture(world.dev.b3, group))).toBe('403');
    expect(errorCode(await setPicture(world.dev.b3, group, []))).toBe('403');
    expect(errorCode(await setPicture(world.dev.c0, group))).toBe('401');
    expect(errorCode(await setPicture(world.dev.a1, '120363999999999999@g.us'))).toBe('404');
    expect(world.state.groups.find(group)!.picture).toBeUndefined();
    expect(pictureNotes('a0')).toEqual([]);
    expect((await setPicture(world.dev.a1, group)).attrs.type).toBe('result');
    expect(pictureNotes('b0')[0]!.content).toEqual([
      { tag: 'set', attrs: { jid: group, id: world.state.groups.find(group)!.picture!.id, author: LA } },
    ]);
  });

  it('a remove tells <delete jid author>, after which the get is 404 and the old URL serves nothing', async () => {
    await setPicture(world.dev.a1, group);
    const id = world.state.groups.find(group)!.picture!.id;
    clearAll(world);
    expect((await setPicture(world.dev.b3, group, [])).attrs.type).toBe('result');
    expect(pictureNotes('a1').map((n) => n.content)).toEqual([
      [{ tag: 'delete', attrs: { jid: group, author: LB } }],
    ]);
    expect(errorCode(await getPicture(world.dev.b0, group))).toBe('404');
    expect(world.state.profiles.serve(`/pp/${id}/image.jpg`)).toBeUndefined();
    // Nothing to remove: nobody told again.
    clearAll(world);
    expect((await setPicture(world.dev.b3, group, [])).attrs.type).toBe('result');
    expect(pictureNotes('a1')).toEqual([]);
  });
});
