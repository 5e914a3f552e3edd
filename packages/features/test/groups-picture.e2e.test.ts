/**
 * Group pictures on the embedded server: an admin sets one, every member's contacts module tells
 * `picture-changed` (with the author), members read it with `getProfilePicture` and download it,
 * a non-member is refused, a locked group refuses a non-admin, and a removal is told too.
 */
import { IqError } from '@wakit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../client/test/_wait';
import {
  contactsModule,
  groupsModule,
  type PictureChangedEvent,
  ProfilePictureNotAuthorizedError,
} from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const BOB_PN = '15550002222@s.whatsapp.net';
/** Enough of a JPEG for the server (SOI, APP0, EOI). */
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 2, 0xff, 0xd9);

describe('group pictures on the embedded server', () => {
  it('set by an admin, told to the members, read and downloaded by them; refused to a non-member; removed', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = linked.client;
    const bob = await linked.linkAccount('15550002222');
    const carol = await linked.linkAccount('15550003333');
    const seen: PictureChangedEvent[] = [];
    bob.use(contactsModule);
    bob.on('picture-changed', (event) => seen.push(event as PictureChangedEvent));
    const { jid } = await alice.use(groupsModule).createGroup({ subject: 'Team', participants: [BOB_PN] });

    const id = await alice.use(groupsModule).setPicture(jid, JPEG);
    await until(() => seen.length === 1, 'Bob told of the picture');
    const aliceLid = alice.credentials!.account!.lid!.replace(/:\d+@/, '@');
    expect(seen[0]).toMatchObject({ jid, id, removed: false, author: aliceLid });
    const picture = await bob.use(contactsModule).getProfilePicture(jid);
    expect(picture?.id).toBe(id);
    const download = await fetch(picture!.url);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(JPEG);
    await expect(carol.use(contactsModule).getProfilePicture(jid)).rejects.toThrow(
      ProfilePictureNotAuthorizedError,
    );

    await alice.use(groupsModule).setLocked(jid, true);
    const refused = await bob
      .use(groupsModule)
      .setPicture(jid, JPEG)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IqError);
    expect((refused as IqError).errorCode).toBe(403);
    await expect(bob.use(groupsModule).setPicture(jid, Uint8Array.of(1, 2, 3, 4))).rejects.toThrow(
      RangeError,
    );

    await alice.use(groupsModule).removePicture(jid);
    await until(() => seen.length === 2, 'Bob told of the removal');
    expect(seen[1]).toMatchObject({ jid, removed: true, author: aliceLid });
    expect(seen[1]!.id).toBeUndefined();
    expect(await bob.use(contactsModule).getProfilePicture(jid)).toBeUndefined();
  });
});
