import { type BinaryNode, fromXml, getChild, getChildren } from '@wakit/binary-node';
import {
  IqError,
  MemoryStore,
  ModuleData,
  type ModuleHost,
  type Stanza,
  type StanzaHandler,
} from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { until } from '../../client/test/_wait';
import {
  GroupDescriptionConflictError,
  GroupInviteRefusedError,
  GroupNotAdminError,
  GroupNotFoundError,
  groupsModule,
  InvalidGroupJidError,
  InvalidGroupSubjectError,
  NotGroupMemberError,
} from '../src/index';

const G = '120363000000000001@g.us';
const ME = { jid: '15550001:2@s.whatsapp.net', lid: '100:2@lid' };
const GROUP = (subject = 'Team', extra = '') =>
  `<group id="120363000000000001" subject="${subject}" creation="1700000000" creator="100@lid" addressing_mode="lid">` +
  '<participant jid="100@lid" type="superadmin" phone_number="15550001@s.whatsapp.net"/>' +
  `<participant jid="101@lid" phone_number="15550002@s.whatsapp.net"/>${extra}</group>`;

const iqError = (code: number) =>
  new IqError(code, 'refused', fromXml(`<iq type="error"><error code="${code}" text="refused"/></iq>`));

type Answer = (iq: BinaryNode) => BinaryNode | Error | Promise<BinaryNode | Error>;

/** The module on a host whose server answers with `answer`; records queries, handlers and events. */
function mounted(
  answer: Answer = () => fromXml(`<iq type="result">${GROUP()}</iq>`),
  store = new MemoryStore(),
  tokens = new Map<string, Uint8Array>(),
) {
  const queries: BinaryNode[] = [];
  const handlers: StanzaHandler[] = [];
  const events: [string, unknown][] = [];
  const background: Promise<unknown>[] = [];
  const failures: unknown[] = [];
  const forgotten = { count: 0 };
  const host = {
    query: async (iq: BinaryNode) => {
      queries.push(iq);
      const reply = await answer(iq);
      if (reply instanceof Error) throw reply;
      return reply;
    },
    handle: (handler: StanzaHandler) => {
      handlers.push(handler);
      return () => {};
    },
    data: new ModuleData(store.kv, 'groups'),
    store: { lids: store.lids, loadCredentials: async () => ({ account: ME }) },
    crypto: { randomBytes: (length: number) => new Uint8Array(length).fill(0xab) },
    logger: {},
    emit: (event: string, payload: unknown) => events.push([event, payload]),
    // The tcToken module, as the groups module uses it: the tokens people issued to us.
    use: () => ({
      getToken: async (jid: string) => {
        const token = tokens.get(jid);
        return token === undefined ? undefined : { token, t: 1700000000 };
      },
    }),
    forgetGroupParticipants: async () => {
      forgotten.count++;
    },
    background: (_context: string, work: () => Promise<unknown>) => {
      background.push(work().catch((error: unknown) => failures.push(error)));
    },
  } as unknown as ModuleHost;
  const notify = (children: string, actor = '101@lid') =>
    handlers
      .find((h) => h.name === 'groups:w:gp2')!
      .handle({
        node: fromXml(
          `<notification from="${G}" type="w:gp2" participant="${actor}" id="n" t="1700000100">${children}</notification>`,
        ),
      } as Stanza);
  /** Offers `<ib>` with `children` to the dirty-bit handler; resolves with its result once its work is done. */
  const ib = async (children: string) => {
    const result = await handlers
      .find((h) => h.name === 'groups:dirty')!
      .handle({ node: fromXml(`<ib from="s.whatsapp.net">${children}</ib>`) } as Stanza);
    await Promise.all(background.splice(0));
    return result;
  };
  return { api: groupsModule.setup(host), queries, events, notify, ib, failures, forgotten, store };
}

const kinds = (queries: BinaryNode[]) =>
  queries.map((q) => `${q.attrs.type}:${(q.content as BinaryNode[])[0]!.tag}`);

describe('groupsModule: the groups dirty bit', () => {
  const G2 = '120363000000000002@g.us';
  const G2_NODE = GROUP('Old').replace('120363000000000001', '120363000000000002');
  /** A server: metadata by group, the participating list (G only), cleans answered empty. */
  const server: Answer = (iq) => {
    const child = (iq.content as BinaryNode[])[0]!.tag;
    if (child === 'participating') return fromXml(`<iq type="result"><groups>${GROUP('Now')}</groups></iq>`);
    if (child === 'clean') return fromXml('<iq type="result"/>');
    return fromXml(`<iq type="result">${iq.attrs.to === G2 ? G2_NODE : GROUP()}</iq>`);
  };

  it('refetches the participating groups, drops a held group they leave out, emits groups-refreshed, then cleans the bit, unclaimed', async () => {
    const { api, queries, events, ib, failures, forgotten } = mounted(server);
    await api.queryInfo(G);
    await api.queryInfo(G2);
    queries.length = 0;
    expect(await ib('<dirty type="groups" timestamp="1700000200"/>')).toBe(false);
    expect(failures).toEqual([]);
    expect(kinds(queries)).toEqual(['get:participating', 'set:clean']);
    // Messaging's members for sending are dropped as well.
    expect(forgotten.count).toBe(1);
    const clean = (queries[1]!.content as BinaryNode[])[0]!;
    expect(queries[1]!.attrs.xmlns).toBe('urn:xmpp:whatsapp:dirty');
    expect(clean.attrs).toEqual({ type: 'groups', timestamp: '1700000200' });
    const refreshed = events.filter(([name]) => name === 'groups-refreshed');
    expect(refreshed).toHaveLength(1);
    expect((refreshed[0]![1] as { groups: { jid: string; subject: string }[] }).groups).toMatchObject([
      { jid: G, subject: 'Now' },
    ]);
    // G is held as listed (no query); G2, which the list left out, was dropped (asked again).
    queries.length = 0;
    expect((await api.queryInfo(G)).subject).toBe('Now');
    expect(queries).toEqual([]);
    expect((await api.queryInfo(G2)).subject).toBe('Old');
    expect(kinds(queries)).toEqual(['get:query']);
  });

  it('leaves other dirty types alone, and cleans nothing when the refetch fails', async () => {
    const failing = new Error('offline');
    let fail = false;
    const { queries, ib, failures, forgotten } = mounted((iq) => (fail ? failing : server(iq)));
    expect(await ib('<dirty type="account_sync" timestamp="1700000200"/>')).toBe(false);
    expect(queries).toEqual([]);
    fail = true;
    await ib('<dirty type="groups" timestamp="1700000200"/>');
    expect(kinds(queries)).toEqual(['get:participating']);
    expect(failures).toEqual([failing]);
    expect(forgotten.count).toBe(0);
  });

  it('keeps a held group the list leaves out when a notification about it came after the query went', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let hold = false;
    const { api, queries, notify } = mounted(async (iq) => {
      const child = (iq.content as BinaryNode[])[0]!.tag;
      if (child === 'participating' && hold) {
        await held;
        return fromXml('<iq type="result"><groups/></iq>');
      }
      return server(iq);
    });
    await api.queryInfo(G);
    hold = true;
    const listing = api.getParticipating();
    await until(() => queries.length === 2, 'the participating query');
    await notify('<subject subject="Renamed"/>');
    release();
    expect(await listing).toEqual([]);
    queries.length = 0;
    expect((await api.queryInfo(G)).subject).toBe('Renamed');
    expect(queries).toEqual([]);
  });
});

describe('groupsModule: the cache', () => {
  it('queryInfo asks once, then answers from the cache, also for a new instance on the same store', async () => {
    const { api, queries, store } = mounted();
    const first = await api.queryInfo(G);
    expect(first.subject).toBe('Team');
    expect(await api.queryInfo(G)).toEqual(first);
    expect(queries).toHaveLength(1);
    const again = mounted(undefined, store);
    expect(await again.api.queryInfo(G)).toEqual(first);
    expect(again.queries).toHaveLength(0);
  });

  it('applies notifications in place (no query), emits typed events and claims them', async () => {
    const { api, queries, events, notify } = mounted();
    await api.queryInfo(G);
    const claimed = await notify(
      '<add><participant jid="102@lid" phone_number="15550003@s.whatsapp.net"/></add><promote><participant jid="102@lid"/></promote>' +
        '<subject subject="Renamed"/><description id="D9"><body>New text</body></description><announcement/>',
    );
    expect(claimed).not.toBe(false);
    const info = await api.queryInfo(G);
    expect(queries).toHaveLength(1);
    expect(info.subject).toBe('Renamed');
    expect(info).toMatchObject({ description: 'New text', descriptionId: 'D9' });
    expect(info.settings.announcement).toBe(true);
    expect(info.participants.at(-1)).toEqual({
      jid: '102@lid',
      lid: '102@lid',
      phoneNumber: '15550003@s.whatsapp.net',
      admin: 'admin',
    });
    expect(events.map(([name, payload]) => [name, (payload as { action?: string }).action])).toEqual([
      ['group-participants', 'add'],
      ['group-participants', 'promote'],
      ['group-updated', undefined],
    ]);
    expect(events[2]![1]).toMatchObject({
      jid: G,
      actor: '101@lid',
      subject: 'Renamed',
      settings: { announcement: true },
    });
  });

  it('drops the held metadata on a change it cannot apply, and on our own removal', async () => {
    const { api, queries, notify } = mounted();
    await api.queryInfo(G);
    await notify('<modify><participant jid="101@lid"/></modify>');
    await api.queryInfo(G);
    expect(queries).toHaveLength(2);
    // We (100:2@lid's user) are removed: no more notifications will come, so nothing is kept.
    await notify('<remove><participant jid="100@lid"/></remove>');
    await api.queryInfo(G);
    expect(queries).toHaveLength(3);
  });

  it('keeps a created group from its notification and emits group-created', async () => {
    const { api, queries, events, notify } = mounted();
    await notify(`<create>${GROUP('Fresh')}</create>`, '100@lid');
    expect((await api.queryInfo(G)).subject).toBe('Fresh');
    expect(queries).toHaveLength(0);
    expect(events[0]).toEqual([
      'group-created',
      expect.objectContaining({ jid: G, subject: 'Fresh', actor: '100@lid' }),
    ]);
  });

  it('does not keep a fetched answer that a notification overtook', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { api, queries, notify } = mounted(async () => {
      await held;
      return fromXml(`<iq type="result">${GROUP('Before')}</iq>`);
    });
    const fetching = api.getMetadata(G);
    await notify('<subject subject="After"/>');
    release();
    expect((await fetching).subject).toBe('Before');
    await api.queryInfo(G);
    expect(queries).toHaveLength(2);
  });

  it('shares one query among concurrent queryInfo calls, but not across a change', async () => {
    let open = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { api, queries, notify } = mounted(async () => {
      if (!open) await gate;
      return fromXml(`<iq type="result">${GROUP()}</iq>`);
    });
    const [a, b] = await Promise.all([api.queryInfo(G), api.queryInfo(G)]);
    expect(a).toEqual(b);
    expect(queries).toHaveLength(1);
    // A query in flight, then a change to the group: a later caller must not take its answer.
    await notify('<modify><participant jid="101@lid"/></modify>');
    open = false;
    const first = api.queryInfo(G);
    await until(() => queries.length === 2, 'the first query sent');
    await notify('<modify><participant jid="101@lid"/></modify>');
    const second = api.queryInfo(G);
    await until(() => queries.length === 3, 'a second query sent');
    release();
    await Promise.all([first, second]);
  });

  it('drops the held metadata after a change made here', async () => {
    const { api, queries } = mounted((iq) =>
      getChild(iq, 'query') ? fromXml(`<iq type="result">${GROUP()}</iq>`) : fromXml('<iq type="result"/>'),
    );
    await api.queryInfo(G);
    await api.setSubject(G, 'Mine');
    await api.queryInfo(G);
    expect(kinds(queries)).toEqual(['get:query', 'set:subject', 'get:query']);
  });
});

describe('groupsModule: requests', () => {
  it('refuses bad arguments before anything is sent', async () => {
    const { api, queries } = mounted();
    await expect(api.setSubject(G, '')).rejects.toBeInstanceOf(InvalidGroupSubjectError);
    await expect(api.setSubject(G, 'x'.repeat(101))).rejects.toBeInstanceOf(InvalidGroupSubjectError);
    await expect(api.createGroup({ subject: ' ', participants: [] })).rejects.toBeInstanceOf(
      InvalidGroupSubjectError,
    );
    await expect(api.setSubject('15550002@s.whatsapp.net', 'x')).rejects.toBeInstanceOf(InvalidGroupJidError);
    await expect(api.addParticipants(G, ['nonsense'])).rejects.toBeInstanceOf(InvalidGroupJidError);
    await expect(api.createGroup({ subject: 'T', participants: ['1@g.us'] })).rejects.toBeInstanceOf(
      InvalidGroupJidError,
    );
    await expect(api.setEphemeral(G, -1)).rejects.toBeInstanceOf(RangeError);
    expect(queries).toEqual([]);
  });

  it('turns refusals into typed errors: 401 not admin, 403 not a member, 404 no group, 409 stale prev, 410 revoked', async () => {
    const codes: Record<string, number> = {
      subject: 401,
      query: 403,
      locked: 404,
      description: 409,
      invite: 410,
    };
    const { api } = mounted((iq) => iqError(codes[(iq.content as BinaryNode[])[0]!.tag]!));
    await expect(api.setSubject(G, 'x')).rejects.toBeInstanceOf(GroupNotAdminError);
    await expect(api.getMetadata(G)).rejects.toBeInstanceOf(NotGroupMemberError);
    await expect(api.setLocked(G, true)).rejects.toBeInstanceOf(GroupNotFoundError);
    const conflict = await api.setDescription(G, 'x', 'OLD').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(GroupDescriptionConflictError);
    expect(conflict).toMatchObject({ jid: G, prev: 'OLD' });
    await expect(api.joinWithInvite('https://chat.whatsapp.com/Abc')).rejects.toMatchObject({
      constructor: GroupInviteRefusedError,
      reason: 'revoked',
      inviteCode: 'Abc',
    });
  });

  it('getInviteInfo reads the group a link leads to without keeping it, and types the refusals', async () => {
    let refuse: number | undefined;
    const { api, queries } = mounted(() =>
      refuse === undefined ? fromXml(`<iq type="result">${GROUP('Linked')}</iq>`) : iqError(refuse),
    );
    const info = await api.getInviteInfo('https://chat.whatsapp.com/Abc123');
    expect(info).toMatchObject({ jid: G, subject: 'Linked' });
    expect(queries[0]!.attrs).toMatchObject({ to: '@g.us', type: 'get' });
    expect(getChild(queries[0]!, 'invite')!.attrs).toEqual({ code: 'Abc123' });
    // Not kept: queryInfo asks the group itself.
    await api.queryInfo(G);
    expect(kinds(queries)).toEqual(['get:invite', 'get:query']);
    for (const [code, reason] of [
      [406, 'invalid'],
      [410, 'revoked'],
    ] as const) {
      refuse = code;
      await expect(api.getInviteInfo('Abc123')).rejects.toMatchObject({
        constructor: GroupInviteRefusedError,
        reason,
      });
    }
  });

  it('acceptInvite sends <accept> to the group, drops its held metadata, and types the refusals', async () => {
    let refuse: number | undefined;
    const { api, queries } = mounted((iq) =>
      refuse !== undefined && getChild(iq, 'accept')
        ? iqError(refuse)
        : fromXml(`<iq type="result">${GROUP()}</iq>`),
    );
    await api.queryInfo(G);
    const invite = { jid: G, inviter: '15550001@s.whatsapp.net', code: 'Inv', expiration: 1_700_009_999 };
    await api.acceptInvite(invite);
    expect(kinds(queries)).toEqual(['get:query', 'set:accept']);
    expect(getChild(queries[1]!, 'accept')!.attrs).toEqual({
      code: 'Inv',
      expiration: '1700009999',
      admin: '15550001@s.whatsapp.net',
    });
    await api.queryInfo(G);
    expect(kinds(queries).at(-1)).toBe('get:query');
    for (const [code, reason] of [
      [406, 'invalid'],
      [410, 'revoked'],
      [304, 'already-member'],
    ] as const) {
      refuse = code;
      await expect(api.acceptInvite(invite)).rejects.toMatchObject({
        constructor: GroupInviteRefusedError,
        reason,
        inviteCode: 'Inv',
      });
    }
  });

  it('setDescription reads the current id first when no prev is given, and gives the new id', async () => {
    const { api, queries } = mounted((iq) =>
      getChild(iq, 'query')
        ? fromXml(
            `<iq type="result">${GROUP('Team', '<description id="CUR1"><body>old</body></description>')}</iq>`,
          )
        : fromXml('<iq type="result"/>'),
    );
    expect(await api.setDescription(G, 'new text')).toBe('ABABABAB');
    expect(kinds(queries)).toEqual(['get:query', 'set:description']);
    expect(getChild(queries[1]!, 'description')!.attrs).toEqual({ id: 'ABABABAB', prev: 'CUR1' });
    expect(await api.setDescription(G, undefined, 'ABABABAB')).toBeUndefined();
    expect(getChild(queries[2]!, 'description')!.attrs).toEqual({
      id: 'ABABABAB',
      delete: 'true',
      prev: 'ABABABAB',
    });
  });

  it('adds a LID with its PN from the client mapping and a person with the token it issued us, and gives each participant its own result', async () => {
    const token = Uint8Array.of(9, 8, 7);
    const { api, queries, store } = mounted(
      () =>
        fromXml(
          '<iq type="result"><add><participant jid="102@lid"/><participant jid="15550009@s.whatsapp.net" error="403"/></add></iq>',
        ),
      new MemoryStore(),
      new Map([['15550009@s.whatsapp.net', token]]),
    );
    await store.lids.put('102@lid', '15550003@s.whatsapp.net');
    const results = await api.addParticipants(G, ['102:1@lid', '15550009@s.whatsapp.net']);
    expect(results.map((r) => [r.jid, r.status, r.error])).toEqual([
      ['102@lid', 'ok', undefined],
      ['15550009@s.whatsapp.net', 'failed', 403],
    ]);
    expect(getChild(queries[0]!, 'add')!.content).toEqual([
      { tag: 'participant', attrs: { jid: '102@lid', phone_number: '15550003@s.whatsapp.net' } },
      {
        tag: 'participant',
        attrs: { jid: '15550009@s.whatsapp.net' },
        content: [{ tag: 'privacy', attrs: {}, content: token }],
      },
    ]);
  });

  it('createGroup keeps the answered group, and reports whom it could not add apart from the members', async () => {
    const failure =
      '<participant jid="15550009@s.whatsapp.net" error="403"><add_request code="Inv" expiration="1700009999"/></participant>';
    const token = Uint8Array.of(4, 5, 6);
    const { api, queries } = mounted(
      () => fromXml(`<iq type="result">${GROUP('Team', failure)}</iq>`),
      new MemoryStore(),
      new Map([['15550002@s.whatsapp.net', token]]),
    );
    const created = await api.createGroup({
      subject: 'Team',
      participants: ['15550002@s.whatsapp.net', '15550009@s.whatsapp.net'],
    });
    // The token a person issued us goes with it; one without a token goes bare.
    expect(getChildren(getChild(queries[0]!, 'create')!, 'participant')).toEqual([
      {
        tag: 'participant',
        attrs: { jid: '15550002@s.whatsapp.net' },
        content: [{ tag: 'privacy', attrs: {}, content: token }],
      },
      { tag: 'participant', attrs: { jid: '15550009@s.whatsapp.net' } },
    ]);
    expect(created.jid).toBe(G);
    expect(created.participants.map((p) => p.jid)).toEqual(['100@lid', '101@lid']);
    expect(created.failedParticipants).toEqual([
      {
        jid: '15550009@s.whatsapp.net',
        status: 'failed',
        error: 403,
        phoneNumber: '15550009@s.whatsapp.net',
        addRequest: { code: 'Inv', expiration: 1_700_009_999 },
      },
    ]);
    const { failedParticipants: _failed, ...metadata } = created;
    expect(await api.queryInfo(G)).toEqual(metadata);
    expect(kinds(queries)).toEqual(['set:create']);
  });
});
