import type { BinaryNode } from '@wakit/binary-node';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../../client/test/_wait';
import {
  contactsModule,
  ProfilePictureNotAuthorizedError,
  privacyModule,
  type TcTokenEvent,
  tcTokenModule,
} from '../src/index';
import { DEADLINE_MS, linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ANA = '15550001111@s.whatsapp.net';
const BEN = '15550002222@s.whatsapp.net';
/** Enough of a JPEG for the server (SOI, APP0, EOI). */
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 2, 0xff, 0xd9);

async function twoAccounts() {
  const linked = await linkedOnServer('15550001111');
  cleanups.push(linked.close);
  const ben = await linked.linkAccount('15550002222');
  return { ...linked, ana: linked.client, ben, anaContacts: linked.client.use(contactsModule) };
}

describe('profile pictures on the embedded server', () => {
  /** Ben sets a picture (the profile-picture set IQ); resolves with its id. */
  async function benSetsPicture(ben: Awaited<ReturnType<typeof twoAccounts>>['ben']) {
    const reply = await ben.query({
      tag: 'iq',
      attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'w:profile:picture' },
      content: [{ tag: 'picture', attrs: { type: 'image' }, content: JPEG }],
    });
    return (reply.content as BinaryNode[])[0]!.attrs.id!;
  }

  it('none, then the picture with its URL (and its id and the status in the user info), then unchanged for its id, and refused once hidden', async () => {
    const { server, ben, anaContacts } = await twoAccounts();
    expect(await anaContacts.getProfilePicture(BEN)).toBeUndefined();
    const id = await benSetsPicture(ben);
    const picture = await anaContacts.getProfilePicture(BEN, { preview: true });
    expect(picture).toMatchObject({ id, type: 'preview' });
    expect(picture?.url).toMatch(/^http/);
    expect(await anaContacts.getProfilePicture(BEN, { id })).toEqual({ id, unchanged: true });
    // The user info names the same picture, and Ben's about text with its time.
    server.profiles.setAbout('15550002222', 'At the gym');
    const info = (await anaContacts.getUserInfo([BEN])).get(BEN);
    expect(info).toMatchObject({ pictureId: id, status: 'At the gym' });
    expect(info?.statusSetAt).toBeTypeOf('number');
    await ben.use(privacyModule).setPrivacySetting('profile', 'none');
    await expect(anaContacts.getProfilePicture(BEN)).rejects.toThrow(ProfilePictureNotAuthorizedError);
  });

  it("carries the target's trusted-contact token once one is stored, and never for our own picture", async () => {
    const { server, ana, ben, anaContacts } = await twoAccounts();
    ben.use(tcTokenModule);
    const stored = nextEvent(ana, 'tc-token') as Promise<TcTokenEvent>;
    await ben.sendMessage(ANA, { conversation: 'hi' }); // Ben's client issues his token to Ana
    await stored;
    const asked = (target: string) =>
      server.waitFor(
        'iq',
        (e) => e.node.attrs.xmlns === 'w:profile:picture' && e.node.attrs.target === target,
        DEADLINE_MS,
      );
    const tokenIn = (node: BinaryNode) =>
      ((node.content as BinaryNode[])[0]!.content as BinaryNode[] | undefined)?.find(
        (c) => c.tag === 'tctoken',
      );
    const toBen = asked(BEN);
    await anaContacts.getProfilePicture(BEN);
    expect(tokenIn((await toBen).node)?.content).toEqual((await ana.use(tcTokenModule).getToken(BEN))?.token);
    const toSelf = asked(ANA);
    await anaContacts.getProfilePicture(ANA);
    expect(tokenIn((await toSelf).node)).toBeUndefined();
  });
});
