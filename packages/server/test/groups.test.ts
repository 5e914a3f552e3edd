/** `w:g2` IQs and their `w:gp2` notifications, asked through the IQ router (docs/protocol.md §10.5). */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  A,
  B,
  C,
  CAROL,
  clearAll,
  createGroup,
  errorOf,
  type GroupWorld,
  groupIq,
  groupWorld,
  kids,
  LA,
  LB,
  LC,
  n,
  STRANGER,
  takeNotifications,
} from './group-fixtures';
import { ALICE, BOB, NOW_T } from './messaging-fixtures';

let world: GroupWorld;
beforeEach(async () => {
  world = await groupWorld();
});

const ask = (device: keyof GroupWorld['dev'], to: string, type: 'get' | 'set', content: BinaryNode[]) =>
  groupIq(world.state, world.dev[device], to, type, content);
const metadata = async (group: string, device: keyof GroupWorld['dev'] = 'a1') =>
  kids(await ask(device, group, 'get', [n('query', { request: 'interactive' })]))[0]!;
const text = (node: BinaryNode | undefined) => new TextDecoder().decode(node?.content as Uint8Array);

describe('create', () => {
  it('answers the <group> node whatsmeow and Baileys parse, the creator superadmin, LID-addressed', async () => {
    const reply = await ask('a1', '@g.us', 'set', [
      n('create', { subject: 'Team', key: 'K1' }, [
        n('participant', { jid: B }),
        n('participant', { jid: LC }),
      ]),
    ]);
    expect(reply.attrs).toMatchObject({ type: 'result', from: '@g.us', id: 'g1' });
    const group = kids(reply)[0]!;
    expect(group.attrs).toEqual({
      id: expect.stringMatching(/^120363\d{12}$/),
      subject: 'Team',
      s_t: NOW_T,
      s_o: LA,
      s_o_pn: A,
      creation: NOW_T,
      creator: LA,
      creator_pn: A,
      addressing_mode: 'lid',
      size: '3',
    });
    expect(kids(group).map((c) => [c.tag, c.attrs])).toEqual([
      ['participant', { jid: LA, phone_number: A, type: 'superadmin' }],
      ['participant', { jid: LB, phone_number: B }],
      ['participant', { jid: LC, phone_number: C }],
      ['member_add_mode', {}],
    ]);
    expect(text(kids(group)[3])).toBe('admin_add');
    const stored = world.state.groups.get(`${group.attrs.id}@g.us`)!;
    expect(stored.participants.map((p) => [p.jid, p.lid, p.admin])).toEqual([
      [A, LA, 'superadmin'],
      [B, LB, undefined],
      [C, LC, undefined],
    ]);
    expect(stored.settings).toEqual({
      announcement: false,
      locked: false,
      ephemeral: 0,
      membershipApproval: false,
      memberAddMode: 'admin_add',
    });
    expect(stored.inviteCode).toMatch(/^[A-Za-z0-9]{22}$/);
  });

  it('lists a participant the server does not know with error 404 and leaves it out', async () => {
    const reply = await ask('a1', '@g.us', 'set', [
      n('create', { subject: 'Team' }, [n('participant', { jid: B }), n('participant', { jid: STRANGER })]),
    ]);
    const group = kids(reply)[0]!;
    expect(group.attrs.size).toBe('2');
    expect(
      kids(group)
        .filter((c) => c.tag === 'participant')
        .map((c) => c.attrs),
    ).toEqual([
      { jid: LA, phone_number: A, type: 'superadmin' },
      { jid: LB, phone_number: B },
      { jid: STRANGER, error: '404' },
    ]);
  });

  it('refuses a participant whose groupadd privacy is none with 403 and an add_request', async () => {
    world.state.accounts.get(CAROL.phone).privacy.settings.set('groupadd', 'none');
    const reply = await ask('a1', '@g.us', 'set', [
      n('create', { subject: 'Team' }, [n('participant', { jid: C })]),
    ]);
    const refused = kids(kids(reply)[0]).find((c) => c.attrs.jid === C)!;
    expect(refused.attrs.error).toBe('403');
    expect(kids(refused)[0]!.attrs).toEqual({
      code: expect.any(String),
      expiration: String(Number(NOW_T) + 259_200),
    });
    expect(world.state.groups.get(`${kids(reply)[0]!.attrs.id}@g.us`)!.participants).toHaveLength(1);
  });

  it('tells every device of every member, the creator included, with <create type="new" key>', async () => {
    await ask('a1', '@g.us', 'set', [
      n('create', { subject: 'Team', key: 'K1' }, [n('participant', { jid: B })]),
    ]);
    for (const device of ['a0', 'a1', 'b0', 'b3'] as const) {
      const [note] = takeNotifications(world.at[device]);
      expect(note!.attrs).toMatchObject({ type: 'w:gp2', participant: LA, participant_pn: A, t: NOW_T });
      expect(note!.attrs.from).toMatch(/^120363\d{12}@g\.us$/);
      const create = kids(note)[0]!;
      expect(create.attrs).toEqual({ type: 'new', key: 'K1' });
      expect(kids(create)[0]!.tag).toBe('group');
    }
    expect(takeNotifications(world.at.c0)).toEqual([]);
  });

  it('queues the notification for an offline member device, pending until acked', async () => {
    world.state.live.delete(world.dev.b3.jid);
    await ask('a1', '@g.us', 'set', [n('create', { subject: 'Team' }, [n('participant', { jid: B })])]);
    const [queued] = world.state.outbox.pending(world.dev.b3.jid);
    expect(queued!.attrs.type).toBe('w:gp2');
    world.state.stanzas.receive(
      world.dev.b3,
      n('ack', { class: 'notification', id: queued!.attrs.id!, type: 'w:gp2' }),
    );
    expect(world.state.outbox.pending(world.dev.b3.jid)).toEqual([]);
  });

  it('refuses a create without a subject or with one over 100 characters (400)', async () => {
    expect(errorOf(await ask('a1', '@g.us', 'set', [n('create', {}, [n('participant', { jid: B })])]))).toBe(
      '400',
    );
    expect(errorOf(await ask('a1', '@g.us', 'set', [n('create', { subject: 'x'.repeat(101) })]))).toBe('400');
    expect(world.state.groups.list()).toEqual([]);
  });
});

describe('metadata and participating', () => {
  it('answers members with the group node from the group JID; 403 to others, 404 for no group', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    const reply = await ask('b3', group, 'get', [n('query', { request: 'interactive' })]);
    expect(reply.attrs.from).toBe(group);
    expect(kids(reply)[0]!.attrs.id).toBe(group.split('@')[0]);
    expect(kids(kids(reply)[0]).filter((c) => c.tag === 'participant')).toHaveLength(2);
    expect(errorOf(await ask('c0', group, 'get', [n('query', { request: 'interactive' })]))).toBe('403');
    expect(errorOf(await ask('c0', '120363000000000000@g.us', 'get', [n('query')]))).toBe('404');
  });

  it('lists the groups the asker is in under <groups>', async () => {
    const one = await createGroup(world, world.dev.a1, [B], 'One');
    await createGroup(world, world.dev.c0, [], 'Other');
    const two = await createGroup(world, world.dev.b0, [A], 'Two');
    const reply = await ask('a0', '@g.us', 'get', [
      n('participating', {}, [n('participants'), n('description')]),
    ]);
    const groups = kids(kids(reply)[0]);
    expect(kids(reply)[0]!.tag).toBe('groups');
    expect(groups.map((g) => [`${g.attrs.id}@g.us`, g.attrs.subject])).toEqual([
      [one, 'One'],
      [two, 'Two'],
    ]);
  });
});

describe('subject and description', () => {
  it('renames the group and tells every member <subject subject s_t s_o s_o_pn>', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    clearAll(world);
    expect(errorOf(await ask('b3', group, 'set', [n('subject', {}, 'Renamed')]))).toBeUndefined();
    expect(world.state.groups.get(group)!).toMatchObject({ subject: 'Renamed', subjectOwner: BOB.phone });
    for (const device of ['a0', 'a1', 'b0', 'b3'] as const) {
      const [note] = takeNotifications(world.at[device]);
      expect(note!.attrs).toMatchObject({ from: group, participant: LB, participant_pn: B });
      expect(kids(note)).toEqual([n('subject', { subject: 'Renamed', s_t: NOW_T, s_o: LB, s_o_pn: B })]);
    }
    expect(errorOf(await ask('b3', group, 'set', [n('subject', {}, '')]))).toBe('400');
  });

  it('lets only admins change subject and description of a locked group (401)', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    await ask('a1', group, 'set', [n('locked')]);
    expect(errorOf(await ask('b3', group, 'set', [n('subject', {}, 'Mine')]))).toBe('401');
    expect(
      errorOf(await ask('b3', group, 'set', [n('description', { id: 'D1' }, [n('body', {}, 'x')])])),
    ).toBe('401');
    expect(errorOf(await ask('a0', group, 'set', [n('subject', {}, 'Admin')]))).toBeUndefined();
    expect(world.state.groups.get(group)!.subject).toBe('Admin');
  });

  it('sets a description only against the current id (409 on a stale prev) and deletes it', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    clearAll(world);
    expect(
      errorOf(
        await ask('b3', group, 'set', [n('description', { id: 'D1', prev: 'X' }, [n('body', {}, 'one')])]),
      ),
    ).toBe('409');
    expect(
      errorOf(await ask('b3', group, 'set', [n('description', { id: 'D1' }, [n('body', {}, 'one')])])),
    ).toBeUndefined();
    expect(world.state.groups.get(group)!.description).toEqual({
      id: 'D1',
      text: 'one',
      t: Number(NOW_T),
      by: BOB.phone,
    });
    expect(
      errorOf(await ask('a1', group, 'set', [n('description', { id: 'D2' }, [n('body', {}, 'two')])])),
    ).toBe('409');
    expect(
      errorOf(
        await ask('a1', group, 'set', [n('description', { id: 'D2', prev: 'D1' }, [n('body', {}, 'two')])]),
      ),
    ).toBeUndefined();
    const described = kids(await metadata(group)).find((c) => c.tag === 'description')!;
    expect(described.attrs).toEqual({ id: 'D2', participant: LA, participant_pn: A, t: NOW_T });
    expect(text(kids(described)[0])).toBe('two');
    expect(
      errorOf(await ask('a1', group, 'set', [n('description', { id: 'D3', prev: 'D2', delete: 'true' })])),
    ).toBeUndefined();
    expect(world.state.groups.get(group)!.description).toBeUndefined();
    const notes = takeNotifications(world.at.b0).map((note) => kids(note)[0]!);
    expect(notes.map((d) => [d.attrs.id, kids(d)[0]!.tag])).toEqual([
      ['D1', 'body'],
      ['D2', 'body'],
      ['D3', 'delete'],
    ]);
    expect(text(kids(notes[1])[0])).toBe('two');
  });
});

describe('participants', () => {
  it('answers per participant: 200 with the other name, 409 member, 404 unknown, 403 privacy', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    world.state.accounts.get(CAROL.phone).privacy.settings.set('groupadd', 'none');
    const reply = await ask('a1', group, 'set', [
      n('add', {}, [
        n('participant', { jid: B }),
        n('participant', { jid: STRANGER }),
        n('participant', { jid: LC }),
      ]),
    ]);
    const results = kids(kids(reply)[0]);
    expect(kids(reply)[0]!.tag).toBe('add');
    expect(results.map((p) => [p.attrs.jid, p.attrs.error])).toEqual([
      [B, '409'],
      [STRANGER, '404'],
      [LC, '403'],
    ]);
    world.state.accounts.get(CAROL.phone).privacy.settings.set('groupadd', 'all');
    const added = kids(
      kids(await ask('a1', group, 'set', [n('add', {}, [n('participant', { jid: LC })])]))[0],
    );
    expect(added.map((p) => p.attrs)).toEqual([{ jid: LC, type: '200', phone_number: C }]);
    expect(world.state.groups.get(group)!.participants.map((p) => p.phoneNumber)).toEqual([
      ALICE.phone,
      BOB.phone,
      CAROL.phone,
    ]);
  });

  it('tells existing members <add> and the added one the whole group in <create>', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    clearAll(world);
    await ask('a1', group, 'set', [n('add', {}, [n('participant', { jid: C })])]);
    for (const device of ['a0', 'a1', 'b0', 'b3'] as const) {
      const [note] = takeNotifications(world.at[device]);
      expect(kids(note)).toEqual([n('add', {}, [n('participant', { jid: LC, phone_number: C })])]);
    }
    const [create] = takeNotifications(world.at.c0);
    expect(kids(create)[0]!.tag).toBe('create');
    expect(kids(kids(create)[0])[0]!.attrs).toMatchObject({ id: group.split('@')[0], size: '3' });
  });

  it('lets only admins change participants (401) and promotes, demotes and removes', async () => {
    const group = await createGroup(world, world.dev.a1, [B, C]);
    expect(errorOf(await ask('b3', group, 'set', [n('remove', {}, [n('participant', { jid: C })])]))).toBe(
      '401',
    );
    const promoted = await ask('a1', group, 'set', [n('promote', {}, [n('participant', { jid: LB })])]);
    expect(kids(kids(promoted)[0]).map((p) => p.attrs)).toEqual([{ jid: LB, type: '200', phone_number: B }]);
    expect(world.state.groups.get(group)!.participants[1]!.admin).toBe('admin');
    // Now an admin, Bob may remove; the superadmin stays (406), a non-member is 404.
    clearAll(world);
    const removed = await ask('b3', group, 'set', [
      n('remove', {}, [
        n('participant', { jid: C }),
        n('participant', { jid: A }),
        n('participant', { jid: STRANGER }),
      ]),
    ]);
    expect(kids(kids(removed)[0]).map((p) => [p.attrs.jid, p.attrs.error ?? p.attrs.type])).toEqual([
      [C, '200'],
      [A, '406'],
      [STRANGER, '404'],
    ]);
    for (const device of ['a0', 'b3', 'c0'] as const) {
      expect(kids(takeNotifications(world.at[device])[0])).toEqual([
        n('remove', {}, [n('participant', { jid: LC, phone_number: C })]),
      ]);
    }
    expect(errorOf(await ask('c0', group, 'get', [n('query', { request: 'interactive' })]))).toBe('403');
    const demoted = await ask('a1', group, 'set', [n('demote', {}, [n('participant', { jid: B })])]);
    expect(kids(kids(demoted)[0])[0]!.attrs.type).toBe('200');
    expect(world.state.groups.get(group)!.participants[1]!.admin).toBeUndefined();
    expect(kids(takeNotifications(world.at.b0).at(-1))[0]!.tag).toBe('demote');
  });

  it('a leave is a <remove> naming the leaver as actor, to those who stay and to the leaver', async () => {
    const group = await createGroup(world, world.dev.a1, [B, C]);
    clearAll(world);
    const reply = await ask('b3', '@g.us', 'set', [n('leave', {}, [n('group', { id: group })])]);
    expect(errorOf(reply)).toBeUndefined();
    for (const device of ['a1', 'b0', 'b3', 'c0'] as const) {
      const [note] = takeNotifications(world.at[device]);
      expect(note!.attrs).toMatchObject({ participant: LB, participant_pn: B });
      expect(kids(note)).toEqual([n('remove', {}, [n('participant', { jid: LB, phone_number: B })])]);
    }
    expect(world.state.groups.get(group)!.participants.map((p) => p.phoneNumber)).toEqual([
      ALICE.phone,
      CAROL.phone,
    ]);
    expect(errorOf(await ask('b3', '@g.us', 'set', [n('leave', {}, [n('group', { id: group })])]))).toBe(
      '403',
    );
  });
});

describe('invite links', () => {
  it('gives admins the code, resets it, and joins by it: 406 unknown, 410 reset, 304 member, 405 removed', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    expect(errorOf(await ask('b3', group, 'get', [n('invite')]))).toBe('401');
    const old = kids(await ask('a1', group, 'get', [n('invite')]))[0]!.attrs.code!;
    expect(old).toBe(world.state.groups.get(group)!.inviteCode);
    const fresh = kids(await ask('a1', group, 'set', [n('invite')]))[0]!.attrs.code!;
    expect(fresh).not.toBe(old);
    expect(errorOf(await ask('c0', '@g.us', 'set', [n('invite', { code: 'nope' })]))).toBe('406');
    expect(errorOf(await ask('c0', '@g.us', 'set', [n('invite', { code: old })]))).toBe('410');
    expect(errorOf(await ask('b3', '@g.us', 'set', [n('invite', { code: fresh })]))).toBe('304');
    clearAll(world);
    const joined = await ask('c0', '@g.us', 'set', [n('invite', { code: fresh })]);
    expect(kids(joined)).toEqual([n('group', { jid: group })]);
    const [told] = takeNotifications(world.at.b3);
    expect(told!.attrs).toMatchObject({ participant: LC, participant_pn: C });
    expect(kids(told)).toEqual([
      n('add', { reason: 'invite' }, [n('participant', { jid: LC, phone_number: C })]),
    ]);
    const [own] = takeNotifications(world.at.c0);
    expect(kids(own)[0]!.attrs).toEqual({ reason: 'invite' });
    await ask('a1', group, 'set', [n('remove', {}, [n('participant', { jid: C })])]);
    expect(errorOf(await ask('c0', '@g.us', 'set', [n('invite', { code: fresh })]))).toBe('405');
  });
});

describe('add requests', () => {
  /** Carol refuses adds; Alice (a1) tries to add her to a new group: the group and Carol's invite. */
  const refusedAdd = async () => {
    world.state.accounts.get(CAROL.phone).privacy.settings.set('groupadd', 'none');
    const group = await createGroup(world, world.dev.a1, [B]);
    const reply = await ask('a1', group, 'set', [n('add', {}, [n('participant', { jid: C })])]);
    const invite = kids(kids(kids(reply)[0])[0])[0]!;
    expect(invite.tag).toBe('add_request');
    return { group, code: invite.attrs.code!, expiration: invite.attrs.expiration! };
  };
  const accept = (device: 'b3' | 'c0', group: string, code: string, expiration: string) =>
    ask(device, group, 'set', [n('accept', { code, expiration, admin: A })]);

  it('lets the invitee join with the code once: <add> from the inviter to the members, <create> to it', async () => {
    const { group, code, expiration } = await refusedAdd();
    clearAll(world);
    const reply = await accept('c0', group, code, expiration);
    expect(errorOf(reply)).toBeUndefined();
    expect(reply.attrs).toMatchObject({ type: 'result', from: group });
    expect(world.state.groups.get(group)!.participants.map((p) => p.phoneNumber)).toEqual([
      ALICE.phone,
      BOB.phone,
      CAROL.phone,
    ]);
    const [told] = takeNotifications(world.at.b3);
    expect(told!.attrs).toMatchObject({ participant: LA, participant_pn: A });
    expect(kids(told)).toEqual([n('add', {}, [n('participant', { jid: LC, phone_number: C })])]);
    const [own] = takeNotifications(world.at.c0);
    expect(kids(own)[0]!.tag).toBe('create');
    // Once: the code is spent (406), also after Carol is removed again.
    expect(errorOf(await accept('c0', group, code, expiration))).toBe('406');
    await ask('a1', group, 'set', [n('remove', {}, [n('participant', { jid: C })])]);
    expect(errorOf(await accept('c0', group, code, expiration))).toBe('406');
  });

  it("refuses another account's code (406), an unknown one (406), a member's (304) and an expired one (410)", async () => {
    const { group, code, expiration } = await refusedAdd();
    expect(errorOf(await accept('b3', group, code, expiration))).toBe('406');
    expect(errorOf(await accept('c0', group, 'nope', expiration))).toBe('406');
    const link = kids(await ask('a1', group, 'get', [n('invite')]))[0]!.attrs.code!;
    await ask('c0', '@g.us', 'set', [n('invite', { code: link })]);
    expect(errorOf(await accept('c0', group, code, expiration))).toBe('304');
    await ask('a1', group, 'set', [n('remove', {}, [n('participant', { jid: C })])]);
    Object.assign(world.state.options, { now: () => (Number(expiration) + 1) * 1000 });
    expect(errorOf(await accept('c0', group, code, expiration))).toBe('410');
    expect(world.state.groups.get(group)!.participants).toHaveLength(2);
  });
});

describe('join requests', () => {
  const approval = (state: 'on' | 'off') => n('membership_approval_mode', {}, [n('group_join', { state })]);

  it('turns approval on (admins only, told to all), makes a join by link a request the admins see, list and approve', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    expect(errorOf(await ask('b3', group, 'set', [approval('on')]))).toBe('401');
    clearAll(world);
    expect(errorOf(await ask('a1', group, 'set', [approval('on')]))).toBeUndefined();
    expect(takeNotifications(world.at.b3).map((note) => kids(note)[0]!)).toEqual([approval('on')]);
    expect(kids(await metadata(group)).map((c) => c.tag)).toContain('membership_approval_mode');
    expect(world.state.groups.get(group)!.settings.membershipApproval).toBe(true);

    const link = kids(await ask('a1', group, 'get', [n('invite')]))[0]!.attrs.code!;
    clearAll(world);
    const asked = await ask('c0', '@g.us', 'set', [n('invite', { code: link })]);
    expect(kids(asked)).toEqual([n('membership_approval_request', { jid: group })]);
    expect(world.state.groups.get(group)!.participants).toHaveLength(2);
    const [told] = takeNotifications(world.at.a0);
    expect(kids(told)).toEqual([
      n('created_membership_requests', { request_method: 'invite_link' }, [
        n('requested_user', { jid: LC, phone_number: C }),
      ]),
    ]);
    expect(takeNotifications(world.at.b3)).toEqual([]);

    expect(errorOf(await ask('b3', group, 'get', [n('membership_approval_requests')]))).toBe('401');
    const listed = kids(kids(await ask('a1', group, 'get', [n('membership_approval_requests')]))[0]);
    expect(listed).toEqual([n('membership_approval_request', { jid: LC, request_time: NOW_T })]);

    clearAll(world);
    const act = (verdict: string, jids: string[]) =>
      ask('a1', group, 'set', [
        n('membership_requests_action', {}, [
          n(
            verdict,
            {},
            jids.map((jid) => n('participant', { jid })),
          ),
        ]),
      ]);
    const approved = kids(kids(kids(await act('approve', [LC, B]))[0])[0]);
    expect(approved).toEqual([n('participant', { jid: LC }), n('participant', { jid: B, error: '404' })]);
    expect(world.state.groups.get(group)!.participants.map((p) => p.phoneNumber)).toContain(CAROL.phone);
    expect(kids(takeNotifications(world.at.b3)[0])).toEqual([
      n('add', {}, [n('participant', { jid: LC, phone_number: C })]),
    ]);
    expect(kids(takeNotifications(world.at.c0)[0])[0]!.tag).toBe('create');
    expect(kids(kids(await ask('a1', group, 'get', [n('membership_approval_requests')]))[0])).toEqual([]);
  });

  it('rejects: the request goes, the admins are told, nobody joins', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    await ask('a1', group, 'set', [approval('on')]);
    const link = kids(await ask('a1', group, 'get', [n('invite')]))[0]!.attrs.code!;
    await ask('c0', '@g.us', 'set', [n('invite', { code: link })]);
    clearAll(world);
    await ask('a1', group, 'set', [
      n('membership_requests_action', {}, [n('reject', {}, [n('participant', { jid: C })])]),
    ]);
    expect(kids(takeNotifications(world.at.a0)[0])).toEqual([
      n('revoked_membership_requests', {}, [n('participant', { jid: LC, phone_number: C })]),
    ]);
    expect(world.state.groups.get(group)!.participants).toHaveLength(2);
    expect(takeNotifications(world.at.c0)).toEqual([]);
    // Approval off again: a join by link joins.
    await ask('a1', group, 'set', [approval('off')]);
    expect(kids(await ask('c0', '@g.us', 'set', [n('invite', { code: link })]))).toEqual([
      n('group', { jid: group }),
    ]);
  });
});

describe('invite link reset', () => {
  it("tells the admins' devices the new code with <invite code>, and no other member", async () => {
    const group = await createGroup(world, world.dev.a1, [B, C]);
    await ask('a1', group, 'set', [n('promote', {}, [n('participant', { jid: C })])]);
    clearAll(world);
    const fresh = kids(await ask('a1', group, 'set', [n('invite')]))[0]!.attrs.code!;
    for (const admin of [world.at.a0, world.at.a1, world.at.c0]) {
      const [told, ...more] = takeNotifications(admin);
      expect(more).toEqual([]);
      expect(told!.attrs).toMatchObject({ from: group, type: 'w:gp2', participant: LA, participant_pn: A });
      expect(kids(told)).toEqual([n('invite', { code: fresh })]);
    }
    expect(takeNotifications(world.at.b0)).toEqual([]);
    expect(takeNotifications(world.at.b3)).toEqual([]);
  });
});

describe('member add mode', () => {
  const mode = (value: string) => n('member_add_mode', {}, value);
  const addCarol = (device: 'b3' | 'a1', group: string) =>
    ask(device, group, 'set', [n('add', {}, [n('participant', { jid: C })])]);

  it('takes the mode a create asks for, admin_add without one', async () => {
    const created = async (content: BinaryNode[]) =>
      kids(
        await ask('a1', '@g.us', 'set', [
          n('create', { subject: 'T' }, [n('participant', { jid: B }), ...content]),
        ]),
      )[0]!;
    const asked = await created([mode('all_member_add')]);
    expect(world.state.groups.get(`${asked.attrs.id}@g.us`)!.settings.memberAddMode).toBe('all_member_add');
    expect(text(kids(asked).find((c) => c.tag === 'member_add_mode'))).toBe('all_member_add');
    const plain = await created([]);
    expect(world.state.groups.get(`${plain.attrs.id}@g.us`)!.settings.memberAddMode).toBe('admin_add');
  });

  it('lets admins change it (told to every member), and with all_member_add any member add', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    expect(errorOf(await addCarol('b3', group))).toBe('401');
    expect(errorOf(await ask('b3', group, 'set', [mode('all_member_add')]))).toBe('401');
    expect(errorOf(await ask('a1', group, 'set', [mode('everyone')]))).toBe('400');
    clearAll(world);
    expect(errorOf(await ask('a1', group, 'set', [mode('all_member_add')]))).toBeUndefined();
    expect(takeNotifications(world.at.b3).map((note) => kids(note)[0]!)).toEqual([mode('all_member_add')]);
    expect(text(kids(await metadata(group, 'b3')).find((c) => c.tag === 'member_add_mode'))).toBe(
      'all_member_add',
    );
    // Bob, not an admin, adds Carol now; removing stays the admins'.
    expect(kids(kids(await addCarol('b3', group))[0])[0]!.attrs.type).toBe('200');
    expect(errorOf(await ask('b3', group, 'set', [n('remove', {}, [n('participant', { jid: C })])]))).toBe(
      '401',
    );
  });
});

describe('settings', () => {
  it('sets announcement (with v_id), locked and ephemeral as admin, each told; 401 for others', async () => {
    const group = await createGroup(world, world.dev.a1, [B]);
    expect(errorOf(await ask('b3', group, 'set', [n('announcement')]))).toBe('401');
    clearAll(world);
    for (const setting of [n('announcement'), n('locked'), n('ephemeral', { expiration: '604800' })]) {
      expect(errorOf(await ask('a1', group, 'set', [setting]))).toBeUndefined();
    }
    expect(world.state.groups.get(group)!.settings).toEqual({
      announcement: true,
      locked: true,
      ephemeral: 604_800,
      membershipApproval: false,
      memberAddMode: 'admin_add',
    });
    expect(kids(await metadata(group, 'b3')).map((c) => [c.tag, c.attrs])).toContainEqual([
      'ephemeral',
      { expiration: '604800' },
    ]);
    expect(takeNotifications(world.at.b3).map((note) => kids(note)[0]!)).toEqual([
      n('announcement', { v_id: String(1_767_225_600_000) }),
      n('locked'),
      n('ephemeral', { expiration: '604800' }),
    ]);
    expect(errorOf(await ask('a1', group, 'set', [n('ephemeral', { expiration: '5' })]))).toBe('400');
    for (const setting of [n('not_announcement'), n('unlocked'), n('not_ephemeral')]) {
      await ask('a1', group, 'set', [setting]);
    }
    expect(world.state.groups.get(group)!.settings).toMatchObject({
      announcement: false,
      locked: false,
      ephemeral: 0,
    });
    expect(
      takeNotifications(world.at.b0)
        .slice(-3)
        .map((note) => kids(note)[0]!.tag),
    ).toEqual(['not_announcement', 'unlocked', 'not_ephemeral']);
  });
});
