import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { type Client, createClient, MemoryStore } from '@wakit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../client/test/_wait';
import {
  accountModule,
  type DirtyBitEvent,
  type GroupEvents,
  GroupInviteRefusedError,
  GroupNotAdminError,
  type GroupParticipantsEvent,
  groupsModule,
  NotGroupMemberError,
  privacyModule,
  tcTokenModule,
} from '../src/index';
import { DEADLINE_MS, linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const BOB_PN = '15550002222@s.whatsapp.net';
const CAROL_PN = '15550003333@s.whatsapp.net';

/** A member: its groups handle, the group events it saw, and how many metadata replies reached it. */
function member(client: Client) {
  const events: { [K in keyof GroupEvents]: GroupEvents[K][] } = {
    'group-created': [],
    'group-participants': [],
    'group-updated': [],
    'groups-refreshed': [],
    'group-join-requests': [],
  };
  for (const name of Object.keys(events) as (keyof GroupEvents)[]) {
    client.on(name, (payload) => (events[name] as unknown[]).push(payload));
  }
  const fetched = { count: 0 };
  client.on('node', (node: BinaryNode) => {
    if (node.tag === 'iq' && node.attrs.type === 'result' && getChild(node, 'group') !== undefined)
      fetched.count++;
  });
  // Background failures (a handler that threw, an ack): none may happen on this path.
  const errors: unknown[] = [];
  client.on('error', (error) => errors.push(error));
  return { groups: client.use(groupsModule), events, fetched, errors };
}

/** Waits until `who` saw a participants change `action` naming `phoneNumber`. */
const sawChange = (
  who: ReturnType<typeof member>,
  action: GroupParticipantsEvent['action'],
  phoneNumber: string,
  what: string,
) =>
  until(
    () =>
      who.events['group-participants'].some(
        (e) => e.action === action && e.participants.some((p) => p.phoneNumber === phoneNumber),
      ),
    what,
  );

describe('groups on the embedded server', () => {
  it('create, rename, describe, promote, demote, remove, add, leave, invite and join, seen by the others; caches kept current', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const bob = member(await linked.linkAccount('15550002222'));
    const carol = member(await linked.linkAccount('15550003333'));

    // Create: the others are told with <create>.
    const created = await alice.groups.createGroup({ subject: 'Team', participants: [BOB_PN, CAROL_PN] });
    const jid = created.jid;
    expect(created.failedParticipants).toBeUndefined();
    expect(created.participants.map((p) => [p.phoneNumber, p.admin])).toEqual([
      ['15550001111@s.whatsapp.net', 'superadmin'],
      [BOB_PN, undefined],
      [CAROL_PN, undefined],
    ]);
    await until(() => bob.events['group-created'].length === 1, 'Bob told of the new group');
    expect(bob.events['group-created'][0]).toMatchObject({ jid, subject: 'Team' });
    // Bob's cache holds the group from its notification: queryInfo asks nothing.
    expect((await bob.groups.queryInfo(jid)).subject).toBe('Team');
    await carol.groups.queryInfo(jid);
    expect(bob.fetched.count).toBe(0);

    // Rename and describe: each member sees the update and its cache follows without a query.
    await alice.groups.setSubject(jid, 'Team 2');
    await until(() => bob.events['group-updated'].some((e) => e.subject === 'Team 2'), 'Bob sees the rename');
    expect(bob.events['group-updated'].at(-1)).toMatchObject({ jid, subject: 'Team 2' });
    expect((await bob.groups.queryInfo(jid)).subject).toBe('Team 2');
    const descriptionId = await alice.groups.setDescription(jid, 'What we do');
    await until(
      () => carol.events['group-updated'].some((e) => e.description === 'What we do'),
      'Carol sees it',
    );
    expect(await carol.groups.queryInfo(jid)).toMatchObject({ description: 'What we do', descriptionId });

    // Promote and demote Bob, seen by Carol; her cache follows.
    const promoted = await alice.groups.promoteParticipants(jid, [BOB_PN]);
    expect(promoted.map((r) => [r.phoneNumber ?? r.jid, r.status])).toEqual([[BOB_PN, 'ok']]);
    await sawChange(carol, 'promote', BOB_PN, 'Carol sees Bob promoted');
    const bobFor = async (who: ReturnType<typeof member>) =>
      (await who.groups.queryInfo(jid)).participants.find((p) => p.phoneNumber === BOB_PN);
    expect((await bobFor(carol))?.admin).toBe('admin');
    await alice.groups.demoteParticipants(jid, [BOB_PN]);
    await sawChange(carol, 'demote', BOB_PN, 'Carol sees Bob demoted');
    expect((await bobFor(carol))?.admin).toBeUndefined();

    // Remove Carol: Bob sees it and his cache drops her; Carol is told too and stops following.
    await alice.groups.removeParticipants(jid, [CAROL_PN]);
    await sawChange(bob, 'remove', CAROL_PN, 'Bob sees Carol removed');
    await sawChange(carol, 'remove', CAROL_PN, 'Carol told she was removed');
    const carolIn = async () =>
      (await bob.groups.queryInfo(jid)).participants.some((p) => p.phoneNumber === CAROL_PN);
    expect(await carolIn()).toBe(false);
    await expect(carol.groups.queryInfo(jid)).rejects.toBeInstanceOf(NotGroupMemberError);

    // Add her back: Bob sees the add; per-participant results.
    const added = await alice.groups.addParticipants(jid, [CAROL_PN, '15559999999@s.whatsapp.net']);
    expect(added.map((r) => r.status)).toEqual(['ok', 'failed']);
    expect(added[1]!.error).toBe(404);
    await sawChange(bob, 'add', CAROL_PN, 'Bob sees Carol added');
    expect(await carolIn()).toBe(true);

    // A member who is not an admin is refused an admin's change.
    await expect(carol.groups.removeParticipants(jid, [BOB_PN])).rejects.toBeInstanceOf(GroupNotAdminError);

    // Bob leaves: the others see `leave`, not a removal.
    await bob.groups.leave(jid);
    await sawChange(carol, 'leave', BOB_PN, 'Carol sees Bob leave');
    expect((await carol.groups.queryInfo(jid)).participants.some((p) => p.phoneNumber === BOB_PN)).toBe(
      false,
    );
    await expect(bob.groups.getMetadata(jid)).rejects.toBeInstanceOf(NotGroupMemberError);

    // Invite link and join: Dave joins, the others see him added.
    const link = await alice.groups.getInviteLink(jid);
    expect(link).toMatch(/^https:\/\/chat\.whatsapp\.com\/[A-Za-z0-9_-]+$/);
    const dave = member(await linked.linkAccount('15550004444'));
    // Dave looks first, then joins.
    const preview = await dave.groups.getInviteInfo(link);
    expect(preview.jid).toBe(jid);
    expect(preview.participants.map((p) => p.phoneNumber)).not.toContain('15550004444@s.whatsapp.net');
    expect(await dave.groups.joinWithInvite(link)).toEqual({ jid, pendingApproval: false });
    await sawChange(carol, 'add', '15550004444@s.whatsapp.net', 'Carol sees Dave join');
    expect((await dave.groups.queryInfo(jid)).participants.map((p) => p.phoneNumber).sort()).toEqual(
      ['15550001111@s.whatsapp.net', CAROL_PN, '15550004444@s.whatsapp.net'].sort(),
    );
    // A reset: the admins (here Alice's own device) are told the new link.
    const reset = await alice.groups.getInviteLink(jid, true);
    expect(reset).not.toBe(link);
    await until(
      () => alice.events['group-updated'].some((e) => e.jid === jid && e.inviteLink === reset),
      'Alice told of the new link',
    );
    expect([alice, bob, carol, dave].flatMap((m) => m.errors)).toEqual([]);
  });

  it('settings: announcement, locked, ephemeral and member add mode reach the members and their caches', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const bob = member(await linked.linkAccount('15550002222'));
    await linked.linkAccount('15550003333');
    const { jid, settings } = await alice.groups.createGroup({ subject: 'Settings', participants: [BOB_PN] });
    await until(() => bob.events['group-created'].length === 1, 'Bob told of the new group');
    // Created as the references create: every member may add, and Bob, no admin, does.
    expect(settings.memberAddMode).toBe('all_member_add');
    expect(await bob.groups.addParticipants(jid, [CAROL_PN])).toMatchObject([{ status: 'ok' }]);
    await sawChange(alice, 'add', CAROL_PN, 'Alice sees Bob add Carol');
    // His own change dropped his cached copy (the notification tells what it did): fetched once more.
    await sawChange(bob, 'add', CAROL_PN, 'Bob sees his add');
    await bob.groups.queryInfo(jid);
    const fetched = bob.fetched.count;

    await alice.groups.setAnnouncement(jid, true);
    await alice.groups.setLocked(jid, true);
    await alice.groups.setEphemeral(jid, 86_400);
    await alice.groups.setMemberAddMode(jid, 'admin_add');
    await until(() => bob.events['group-updated'].length === 4, 'Bob sees four setting changes');
    expect(bob.events['group-updated'].map((e) => e.settings)).toEqual([
      { announcement: true },
      { locked: true },
      { ephemeral: 86_400 },
      { memberAddMode: 'admin_add' },
    ]);
    expect((await bob.groups.queryInfo(jid)).settings).toMatchObject({
      announcement: true,
      locked: true,
      ephemeral: 86_400,
      memberAddMode: 'admin_add',
    });
    // Admins add now.
    await expect(bob.groups.removeParticipants(jid, [CAROL_PN])).rejects.toBeInstanceOf(GroupNotAdminError);
    await expect(bob.groups.addParticipants(jid, ['15550004444@s.whatsapp.net'])).rejects.toBeInstanceOf(
      GroupNotAdminError,
    );
    // Locked: only admins rename.
    await expect(bob.groups.setSubject(jid, 'Mine')).rejects.toBeInstanceOf(GroupNotAdminError);
    expect(bob.fetched.count).toBe(fetched);
    // Fetched from the server, the settings are the ones the cache followed to.
    expect((await bob.groups.getMetadata(jid)).settings).toEqual(
      (await alice.groups.getMetadata(jid)).settings,
    );
  });

  it("a member offline during changes catches up at login from its stored cache, without a query; the actor's other device follows too", async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const aliceToo = member(await linked.link());
    const bobStore = new MemoryStore();
    const bobClient = await linked.linkAccount('15550002222', { store: bobStore });
    const bob = member(bobClient);
    const { jid } = await alice.groups.createGroup({ subject: 'Team', participants: [BOB_PN] });
    await until(() => bob.events['group-created'].length === 1, 'Bob told of the new group');
    expect((await aliceToo.groups.queryInfo(jid)).subject).toBe('Team');
    const aliceTooFetched = aliceToo.fetched.count;

    await bobClient.disconnect();
    await alice.groups.setSubject(jid, 'While away');
    await alice.groups.promoteParticipants(jid, [BOB_PN]);
    await until(
      () => aliceToo.events['group-participants'].some((e) => e.action === 'promote'),
      "Alice's other device sees her changes",
    );
    expect((await aliceToo.groups.queryInfo(jid)).subject).toBe('While away');
    expect(aliceToo.fetched.count).toBe(aliceTooFetched);

    // Bob's device again, on its store: the offline queue brings the notifications, applied to
    // the metadata kept in the store.
    const again = createClient({
      url: linked.server.url,
      rootPublicKey: linked.server.rootPublicKey,
      store: bobStore,
    });
    cleanups.unshift(() => again.disconnect());
    const back = member(again);
    await again.connect();
    await again.waitForConnected(DEADLINE_MS);
    await sawChange(back, 'promote', BOB_PN, 'Bob, back, told he was promoted');
    const info = await back.groups.queryInfo(jid);
    expect(info.subject).toBe('While away');
    expect(info.participants.find((p) => p.phoneNumber === BOB_PN)?.admin).toBe('admin');
    expect(back.fetched.count).toBe(0);
    expect([...alice.errors, ...aliceToo.errors, ...back.errors]).toEqual([]);
  });

  it('join requests: with approval on, a join by link is a request the admin sees, lists, approves or rejects', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const bob = member(await linked.linkAccount('15550002222'));
    const carol = member(await linked.linkAccount('15550003333'));
    const dave = member(await linked.linkAccount('15550004444'));
    const { jid } = await alice.groups.createGroup({ subject: 'Closed', participants: [BOB_PN] });
    await alice.groups.setMembershipApproval(jid, true);
    await until(
      () => bob.events['group-updated'].some((e) => e.settings?.membershipApproval === true),
      'Bob told approval is on',
    );
    const link = await alice.groups.getInviteLink(jid);

    expect(await dave.groups.joinWithInvite(link)).toEqual({ jid, pendingApproval: true });
    expect(await carol.groups.joinWithInvite(link)).toEqual({ jid, pendingApproval: true });
    await until(() => alice.events['group-join-requests'].length === 2, 'Alice told of two requests');
    expect(alice.events['group-join-requests'].map((e) => [e.action, e.people[0]?.phoneNumber])).toEqual([
      ['created', '15550004444@s.whatsapp.net'],
      ['created', CAROL_PN],
    ]);
    expect(bob.events['group-join-requests']).toEqual([]);
    const requests = await alice.groups.getJoinRequests(jid);
    expect(requests).toHaveLength(2);
    await expect(bob.groups.getJoinRequests(jid)).rejects.toBeInstanceOf(GroupNotAdminError);

    const dalid = alice.events['group-join-requests'][0]!.people[0]!.jid;
    expect(await alice.groups.approveJoinRequests(jid, [dalid])).toMatchObject([{ status: 'ok' }]);
    await until(() => dave.events['group-created'].some((g) => g.jid === jid), 'Dave told he is in');
    await sawChange(bob, 'add', '15550004444@s.whatsapp.net', 'Bob sees Dave join');
    expect(await alice.groups.rejectJoinRequests(jid, [CAROL_PN])).toMatchObject([{ status: 'ok' }]);
    await until(
      () => alice.events['group-join-requests'].some((e) => e.action === 'revoked'),
      'Alice told the request is gone',
    );
    expect(await alice.groups.getJoinRequests(jid)).toEqual([]);
    const members = (await alice.groups.getMetadata(jid)).participants.map((p) => p.phoneNumber);
    expect(members).toContain('15550004444@s.whatsapp.net');
    expect(members).not.toContain(CAROL_PN);
    expect([alice, bob, carol, dave].flatMap((m) => m.errors)).toEqual([]);
  });

  it('names a person it creates a group with, or adds, with the token that person issued us', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const bobClient = await linked.linkAccount('15550002222');
    member(bobClient);
    const carolClient = await linked.linkAccount('15550003333');
    member(carolClient);
    // Bob and Carol message Alice: each issues its token to her, which she keeps.
    const aliceTokens = linked.client.use(tcTokenModule);
    for (const [peer, pn] of [
      [bobClient, BOB_PN],
      [carolClient, CAROL_PN],
    ] as const) {
      await peer.sendMessage('15550001111@s.whatsapp.net', { conversation: 'hi' });
      await until(async () => (await aliceTokens.getToken(pn)) !== undefined, `the token of ${pn} kept`);
    }
    const privacyOf = (iq: BinaryNode, action: string, pn: string) => {
      const participant = getChildren(getChild(iq, action)!, 'participant').find((p) => p.attrs.jid === pn);
      return participant === undefined ? undefined : getChild(participant, 'privacy')?.content;
    };
    const create = linked.server.waitFor('iq', (e) => getChild(e.node, 'create') !== undefined, DEADLINE_MS);
    const { jid } = await alice.groups.createGroup({ subject: 'Team', participants: [BOB_PN] });
    expect(privacyOf((await create).node, 'create', BOB_PN)).toEqual(
      (await aliceTokens.getToken(BOB_PN))!.token,
    );
    const add = linked.server.waitFor('iq', (e) => getChild(e.node, 'add') !== undefined, DEADLINE_MS);
    await alice.groups.addParticipants(jid, [CAROL_PN]);
    expect(privacyOf((await add).node, 'add', CAROL_PN)).toEqual(
      (await aliceTokens.getToken(CAROL_PN))!.token,
    );
    expect(linked.server.groups.get(jid)?.participants.map((p) => p.phoneNumber)).toHaveLength(3);
    expect(alice.errors).toEqual([]);
  });

  it('a groups dirty bit has the member refetch its groups and clean the bit, with the account module mounted first', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const bobClient = await linked.linkAccount('15550002222');
    // Mounted before the groups module: its dirty handler must leave the bit to the groups one too.
    bobClient.use(accountModule);
    const dirty: DirtyBitEvent[] = [];
    bobClient.on('dirty', (bit) => dirty.push(bit as DirtyBitEvent));
    const bob = member(bobClient);
    const { jid } = await alice.groups.createGroup({ subject: 'Team', participants: [BOB_PN] });
    await until(() => bob.events['group-created'].length === 1, 'Bob told of the new group');
    // Bob's messaging keeps the members the <create> named, and sends from them without asking.
    const membersAsked: BinaryNode[] = [];
    linked.server.on('iq', ({ node }) => {
      if (node.attrs.to === jid && getChild(node, 'query') !== undefined) membersAsked.push(node);
    });
    await bobClient.sendMessage(jid, { conversation: 'one' });
    await bobClient.sendMessage(jid, { conversation: 'two' });
    expect(membersAsked).toHaveLength(0);

    const marked = linked.server.markDirty('15550002222', 'groups');
    await until(() => linked.server.dirtyBits('15550002222').length === 0, 'the groups bit cleaned by Bob');
    expect(linked.server.dirtyCleans().at(-1)).toMatchObject({
      phoneNumber: '15550002222',
      type: 'groups',
      timestamp: marked.timestamp,
      cleared: true,
    });
    expect(bob.events['groups-refreshed']).toHaveLength(1);
    expect(bob.events['groups-refreshed'][0]!.groups.map((g) => [g.jid, g.subject])).toEqual([[jid, 'Team']]);
    expect(dirty).toEqual([{ type: 'groups', timestamp: Number(marked.timestamp) }]);
    // The refresh dropped what messaging kept: the next send asks for the members again.
    await bobClient.sendMessage(jid, { conversation: 'three' });
    expect(membersAsked).toHaveLength(1);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it('a person whose groupadd privacy refuses is reported failed with 403 and an invite, on add and at creation; the invite lets him join', async () => {
    const linked = await linkedOnServer('15550001111');
    cleanups.push(linked.close);
    const alice = member(linked.client);
    const bobClient = await linked.linkAccount('15550002222');
    const bob = member(bobClient);
    await bobClient.use(privacyModule).setPrivacySetting('groupadd', 'none');
    await linked.linkAccount('15550003333');
    const created = await alice.groups.createGroup({ subject: 'Team', participants: [CAROL_PN] });
    const [refused] = await alice.groups.addParticipants(created.jid, [BOB_PN]);
    expect(refused).toMatchObject({ status: 'failed', error: 403, phoneNumber: BOB_PN });
    expect(refused!.addRequest?.code).toMatch(/.+/);
    expect(refused!.addRequest!.expiration).toBeGreaterThan(created.creation);
    // At creation too: the group is made without him, his refusal beside it.
    const again = await alice.groups.createGroup({ subject: 'Again', participants: [BOB_PN, CAROL_PN] });
    expect(again.participants.map((p) => p.phoneNumber)).toEqual(['15550001111@s.whatsapp.net', CAROL_PN]);
    expect(again.failedParticipants).toMatchObject([{ status: 'failed', error: 403 }]);

    // The invite (sent to Bob in a GroupInviteMessage, in an application) lets him in, once.
    const invite = {
      jid: created.jid,
      inviter: '15550001111@s.whatsapp.net',
      code: refused!.addRequest!.code,
      expiration: refused!.addRequest!.expiration,
    };
    await bob.groups.acceptInvite(invite);
    await until(() => bob.events['group-created'].some((g) => g.jid === created.jid), 'Bob told he is in');
    await sawChange(alice, 'add', BOB_PN, 'Alice sees Bob join');
    expect((await bob.groups.queryInfo(created.jid)).participants.map((p) => p.phoneNumber)).toContain(
      BOB_PN,
    );
    const spent = await bob.groups.acceptInvite(invite).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(spent).toBeInstanceOf(GroupInviteRefusedError);
    expect(spent).toMatchObject({ reason: 'invalid' });
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });
});
