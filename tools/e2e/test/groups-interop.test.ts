/**
 * Groups (issue 13) between the `wakit` facade's client and Baileys 7 (baileys@7.0.0-rc14) through
 * @wakit/server over loopback WebSockets. Four accounts: A and D on Baileys, B and C on wakit.
 * - G1, made by Baileys A with wakit B and Baileys D: wakit's `group-created` agrees with Baileys'
 *   `groups.upsert`; messages both ways, each library decrypting the other's sender key.
 * - G2, made by wakit B with Baileys A and wakit C: the same the other way round.
 * - Changes made with either library (subject, description, add, promote, demote, announcement,
 *   locked, leave, remove) are seen as events by both, and Baileys' `groups.update` /
 *   `group-participants.update` say what wakit's `group-updated` / `group-participants` say about
 *   the same change (same participants, actor, values).
 * - A member removed by either library gets nothing of what is sent after: the server relays it no
 *   more, and wakit, as the sender, gives the remaining devices a new sender key (Baileys D reads it).
 * - Invite links: each library joins by the other's code, a member an admin removed is refused, and
 *   Baileys' invite info is the metadata wakit holds.
 */
import { getChild, getChildren, isSameUser } from '@wakit/binary-node';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GroupCreatedEvent,
  GroupParticipantsEvent,
  GroupUpdatedEvent,
  MessageInfo,
  WakitClient,
} from 'wakit';
import { linkBaileys, textOf } from '../../../packages/server/test/baileys-harness';
import { linkFacade } from './_facade';
import {
  baileysMembers,
  baileysView,
  byId,
  type Member,
  type Recorded,
  recordBaileys,
  recordWakit,
  wakitMembers,
  wakitView,
} from './_groups';
import { DEADLINE_MS } from './_harness';

type Socket = ReturnType<typeof makeWASocket>;

/** Where statuses go. */
const STATUS = 'status@broadcast';

/** One account's device under test, with everything it reports. */
interface Device {
  phone: VirtualPhone;
  /** The group messages it read: text, chat and sender. */
  texts: { text: string | undefined; chat: string; sender: string }[];
}
interface BaileysDevice extends Device {
  sock: Socket;
  log: string[];
  upserts: ReturnType<typeof recordBaileys<'groups.upsert'>>;
  updates: ReturnType<typeof recordBaileys<'groups.update'>>;
  changes: ReturnType<typeof recordBaileys<'group-participants.update'>>;
}
interface WakitDevice extends Device {
  client: WakitClient;
  created: Recorded<GroupCreatedEvent>;
  updated: Recorded<GroupUpdatedEvent>;
  changes: Recorded<GroupParticipantsEvent>;
  infos: MessageInfo[];
  undecryptable: string[];
}

describe('groups between wakit and Baileys through @wakit/server', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  const wakitErrors: string[] = [];
  let a: BaileysDevice;
  let b: WakitDevice;
  let c: WakitDevice;
  let d: BaileysDevice;
  let g1: string;
  let g2: string;

  async function baileys(number: string, name: string): Promise<BaileysDevice> {
    const phone = await server.phones.create(number);
    const log: string[] = [];
    const { sock } = await linkBaileys({ url: server.url, phone, log, sockets, name });
    const device: BaileysDevice = {
      phone,
      sock,
      log,
      texts: [],
      upserts: recordBaileys(sock, 'groups.upsert'),
      updates: recordBaileys(sock, 'groups.update'),
      changes: recordBaileys(sock, 'group-participants.update'),
    };
    sock.ev.on('messages.upsert', ({ messages }) => {
      for (const m of messages) {
        const chat = m.key.remoteJid ?? '';
        if (!(chat.endsWith('@g.us') || chat === STATUS) || m.key.fromMe) continue;
        const text = textOf(m);
        if (text !== undefined) device.texts.push({ text, chat, sender: m.key.participant ?? '' });
      }
    });
    return device;
  }

  async function wakit(number: string): Promise<WakitDevice> {
    const phone = await server.phones.create(number);
    const client = await linkFacade(server, phone, wakitErrors);
    const device: WakitDevice = {
      phone,
      client,
      texts: [],
      infos: [],
      undecryptable: [],
      created: recordWakit(client, 'group-created'),
      updated: recordWakit(client, 'group-updated'),
      changes: recordWakit(client, 'group-participants'),
    };
    client.on('message', ({ message, info }) => {
      if (!info.isGroup) return;
      device.infos.push(info);
      device.texts.push({ text: textOf(message), chat: info.chat, sender: info.sender });
    });
    client.on('undecryptable', ({ info, reason }) => device.undecryptable.push(`${info.id}: ${reason}`));
    return device;
  }

  /** Waits until `device` read `text` in `group`; returns who sent it, as the library names them. */
  async function reads(device: Device, group: string, text: string): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const seen = device.texts.find((t) => t.chat === group && t.text === text);
      if (seen !== undefined) return seen.sender;
      if (Date.now() > deadline)
        throw new Error(`${device.phone.phoneNumber} never read "${text}" in ${group}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The PN of the account whose LID is `lid`. */
  const pnOf = (lid: string) => [a, b, c, d].find((device) => device.phone.lid === lid)?.phone.jid;

  /** The devices (user part) a stanza the sender wrote gives a pairwise `<enc>` (an SKDM). */
  const skdmTargets = (node: Parameters<typeof getChild>[0]): string[] => {
    const list = getChild(node, 'participants');
    return list === undefined ? [] : getChildren(list, 'to').map((to) => to.attrs.jid ?? '');
  };

  beforeAll(async () => {
    server = await startServer();
    // Baileys checks the certificate chain against this constant: trust the test root instead.
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    a = await baileys('15550013001', 'Ana');
    b = await wakit('15550013002');
    c = await wakit('15550013003');
    d = await baileys('15550013004', 'Dan');
  }, 120_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    for (const device of [b, c]) await device?.client.disconnect();
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server?.close();
  });

  it('Baileys creates a group with wakit and Baileys members: both see the same group, messages go both ways', async () => {
    const created = b.created.after();
    const upserted = d.upserts.after();
    const made = await a.sock.groupCreate('Made by Baileys', [b.phone.jid, d.phone.jid]);
    g1 = made.id;
    const ours = await created((e) => e.jid === g1, 'wakit B told of G1');
    const theirs = (await upserted((e) => e.some((g) => g.id === g1), 'Baileys D told of G1')).find(
      (g) => g.id === g1,
    )!;
    expect(wakitView(ours)).toEqual({
      jid: g1,
      subject: 'Made by Baileys',
      owner: a.phone.lid,
      members: (
        [
          [a.phone.lid, a.phone.jid, 'superadmin'],
          [b.phone.lid, b.phone.jid, undefined],
          [d.phone.lid, d.phone.jid, undefined],
        ] satisfies Member[]
      ).sort(byId),
      announcement: false,
      locked: false,
    });
    expect(ours.actor).toBe(a.phone.lid);
    expect(ours.settings.addressingMode).toBe('lid');
    expect(baileysView(theirs)).toEqual(wakitView(ours));
    expect(baileysView(made)).toEqual(wakitView(ours));
    // wakit's cache was filled from the notification and agrees with the server.
    expect(wakitView(await b.client.groups.getMetadata(g1))).toEqual(wakitView(ours));

    const sent = await a.sock.sendMessage(g1, { text: 'hello from Baileys' });
    expect(isSameUser(await reads(b, g1, 'hello from Baileys'), a.phone.lid)).toBe(true);
    await reads(d, g1, 'hello from Baileys');
    const info = b.infos.find((i) => i.id === sent!.key.id)!;
    expect(info).toMatchObject({ isGroup: true, chat: g1, fromMe: false });
    // The sending device in the group's namespace (Baileys' LID device), its PN device beside it.
    expect(info.sender).toBe(a.sock.user!.lid);
    expect(isSameUser(info.senderAlt ?? '', a.phone.jid)).toBe(true);

    await b.client.sendMessage(g1, { conversation: 'hello from wakit' });
    // Each Baileys device decrypts wakit's sender key; Baileys names the sender by its LID user.
    expect(await reads(a, g1, 'hello from wakit')).toBe(b.phone.lid);
    expect(await reads(d, g1, 'hello from wakit')).toBe(b.phone.lid);
  });

  it('wakit creates a group with Baileys and wakit members: both see the same group, messages go both ways', async () => {
    const upserted = a.upserts.after();
    const created = c.created.after();
    const made = await b.client.groups.createGroup({
      subject: 'Made by wakit',
      participants: [a.phone.jid, c.phone.jid],
    });
    g2 = made.jid;
    const theirs = (await upserted((e) => e.some((g) => g.id === g2), 'Baileys A told of G2')).find(
      (g) => g.id === g2,
    )!;
    const ours = await created((e) => e.jid === g2, 'wakit C told of G2');
    expect(wakitView(made)).toMatchObject({
      subject: 'Made by wakit',
      owner: b.phone.lid,
      members: expect.arrayContaining([[b.phone.lid, b.phone.jid, 'superadmin']]),
    });
    expect(wakitView(ours)).toEqual(wakitView(made));
    expect(baileysView(theirs)).toEqual(wakitView(made));
    expect(baileysView(await a.sock.groupMetadata(g2))).toEqual(wakitView(made));

    await a.sock.sendMessage(g2, { text: 'Baileys in G2' });
    for (const reader of [b, c])
      expect(isSameUser(await reads(reader, g2, 'Baileys in G2'), a.phone.lid)).toBe(true);
    await c.client.sendMessage(g2, { conversation: 'wakit C in G2' });
    expect(await reads(a, g2, 'wakit C in G2')).toBe(c.phone.lid);
    expect(isSameUser(await reads(b, g2, 'wakit C in G2'), c.phone.lid)).toBe(true);
  });

  /**
   * Baileys' view and wakit's view of one subject/description/settings change: `groups.update`
   * seen by `theirs`, `group-updated` seen by `ours`.
   */
  async function sameUpdate(
    group: string,
    theirs: BaileysDevice,
    ours: WakitDevice,
    actor: string,
    change: () => Promise<unknown>,
    baileysMatch: (u: Record<string, unknown>) => boolean,
    wakitMatch: (u: GroupUpdatedEvent) => boolean,
  ) {
    const baileysSeen = theirs.updates.after();
    const wakitSeen = ours.updated.after();
    await change();
    const [update] = (
      await baileysSeen(
        (e) => e.some((u) => u.id === group && baileysMatch(u as Record<string, unknown>)),
        `Baileys ${theirs.phone.phoneNumber}'s groups.update`,
      )
    ).filter((u) => u.id === group);
    const event = await wakitSeen(
      (e) => e.jid === group && wakitMatch(e),
      `wakit ${ours.phone.phoneNumber}'s group-updated`,
    );
    expect(update!.author).toBe(actor);
    expect(event.actor).toBe(actor);
    // wakit gives the actor's PN too (the notification's participant_pn). Baileys reads it into
    // its key's participantAlt, which the proto WebMessageInfo it builds has no field for.
    expect(event.actorPn).toBe(pnOf(actor));
    return { update: update!, event };
  }

  /** The same for a participants change: `group-participants.update` against `group-participants`. */
  async function sameParticipants(
    group: string,
    theirs: BaileysDevice,
    ours: WakitDevice,
    action: GroupParticipantsEvent['action'],
    actor: string,
    change: () => Promise<unknown>,
  ) {
    // Baileys reports a leave (a <remove> naming its actor) as a remove; wakit as a leave.
    const baileysAction = action === 'leave' ? 'remove' : action;
    const baileysSeen = theirs.changes.after();
    const wakitSeen = ours.changes.after();
    await change();
    const update = await baileysSeen(
      (e) => e.id === group && e.action === baileysAction,
      `Baileys ${theirs.phone.phoneNumber}'s ${baileysAction}`,
    );
    const event = await wakitSeen(
      (e) => e.jid === group && e.action === action,
      `wakit ${ours.phone.phoneNumber}'s ${action}`,
    );
    expect(update.author).toBe(actor);
    expect(event.actor).toBe(actor);
    expect(baileysMembers(update.participants)).toEqual(wakitMembers(event.participants));
    return wakitMembers(event.participants);
  }

  it('changes made with Baileys reach wakit and Baileys alike', async () => {
    const actor = a.phone.lid;
    const subject = await sameUpdate(
      g1,
      d,
      b,
      actor,
      () => a.sock.groupUpdateSubject(g1, 'Renamed by Baileys'),
      (u) => u.subject !== undefined,
      (e) => e.subject !== undefined,
    );
    expect([subject.update.subject, subject.event.subject]).toEqual([
      'Renamed by Baileys',
      'Renamed by Baileys',
    ]);
    const desc = await sameUpdate(
      g1,
      d,
      b,
      actor,
      () => a.sock.groupUpdateDescription(g1, 'Described by Baileys'),
      (u) => u.desc !== undefined,
      (e) => e.description !== undefined,
    );
    expect([desc.update.desc, desc.event.description]).toEqual([
      'Described by Baileys',
      'Described by Baileys',
    ]);

    const joined = c.created.after();
    expect(
      await sameParticipants(g1, d, b, 'add', actor, () =>
        a.sock.groupParticipantsUpdate(g1, [c.phone.jid], 'add'),
      ),
    ).toEqual([[c.phone.lid, c.phone.jid, undefined]]);
    expect((await joined((e) => e.jid === g1, 'wakit C told it was added to G1')).subject).toBe(
      'Renamed by Baileys',
    );

    // Promoted and demoted: Baileys D and wakit C both watch wakit B's role change.
    expect(
      await sameParticipants(g1, d, c, 'promote', actor, () =>
        a.sock.groupParticipantsUpdate(g1, [b.phone.lid], 'promote'),
      ),
    ).toEqual([[b.phone.lid, b.phone.jid, 'admin']]);
    expect((await c.client.groups.queryInfo(g1)).participants.find((p) => p.jid === b.phone.lid)?.admin).toBe(
      'admin',
    );
    await sameParticipants(g1, d, c, 'demote', actor, () =>
      a.sock.groupParticipantsUpdate(g1, [b.phone.lid], 'demote'),
    );
    expect(
      (await c.client.groups.queryInfo(g1)).participants.find((p) => p.jid === b.phone.lid)?.admin,
    ).toBeUndefined();

    for (const [setting, on, baileysKey, wakitKey] of [
      ['announcement', true, 'announce', 'announcement'],
      ['not_announcement', false, 'announce', 'announcement'],
      ['locked', true, 'restrict', 'locked'],
      ['unlocked', false, 'restrict', 'locked'],
    ] as const) {
      const seen = await sameUpdate(
        g1,
        d,
        b,
        actor,
        () => a.sock.groupSettingUpdate(g1, setting),
        (u) => u[baileysKey] !== undefined,
        (e) => e.settings?.[wakitKey] !== undefined,
      );
      expect([seen.update[baileysKey], seen.event.settings?.[wakitKey]]).toEqual([on, on]);
    }
    // wakit's cache followed every change, and agrees with a fresh fetch by Baileys.
    expect(wakitView(await b.client.groups.queryInfo(g1))).toEqual(
      baileysView(await d.sock.groupMetadata(g1)),
    );
  });

  it('changes made with wakit reach Baileys and wakit alike', async () => {
    const actor = b.phone.lid;
    const subject = await sameUpdate(
      g2,
      a,
      c,
      actor,
      () => b.client.groups.setSubject(g2, 'Renamed by wakit'),
      (u) => u.subject !== undefined,
      (e) => e.subject !== undefined,
    );
    expect([subject.update.subject, subject.event.subject]).toEqual(['Renamed by wakit', 'Renamed by wakit']);
    const desc = await sameUpdate(
      g2,
      a,
      c,
      actor,
      () => b.client.groups.setDescription(g2, 'Described by wakit'),
      (u) => u.desc !== undefined,
      (e) => e.description !== undefined,
    );
    expect([desc.update.desc, desc.event.description]).toEqual(['Described by wakit', 'Described by wakit']);

    const joined = d.upserts.after();
    expect(
      await sameParticipants(g2, a, c, 'add', actor, () =>
        b.client.groups.addParticipants(g2, [d.phone.jid]),
      ),
    ).toEqual([[d.phone.lid, d.phone.jid, undefined]]);
    const upsert = await joined((e) => e.some((g) => g.id === g2), 'Baileys D told it was added to G2');
    expect(upsert.find((g) => g.id === g2)?.subject).toBe('Renamed by wakit');

    // Baileys A's own promotion and demotion, as A (Baileys) and C (wakit) see them.
    expect(
      await sameParticipants(g2, a, c, 'promote', actor, () =>
        b.client.groups.promoteParticipants(g2, [a.phone.jid]),
      ),
    ).toEqual([[a.phone.lid, a.phone.jid, 'admin']]);
    // Now an admin, Baileys A may change the settings; wakit then demotes it again.
    await sameUpdate(
      g2,
      d,
      c,
      a.phone.lid,
      () => a.sock.groupSettingUpdate(g2, 'locked'),
      (u) => u.restrict !== undefined,
      (e) => e.settings?.locked !== undefined,
    );
    await sameParticipants(g2, a, c, 'demote', actor, () =>
      b.client.groups.demoteParticipants(g2, [a.phone.jid]),
    );
    await expect(a.sock.groupUpdateSubject(g2, 'Not allowed')).rejects.toMatchObject({ data: 401 });

    for (const [apply, on, baileysKey, wakitKey] of [
      [() => b.client.groups.setAnnouncement(g2, true), true, 'announce', 'announcement'],
      [() => b.client.groups.setAnnouncement(g2, false), false, 'announce', 'announcement'],
      [() => b.client.groups.setLocked(g2, false), false, 'restrict', 'locked'],
    ] as const) {
      const seen = await sameUpdate(
        g2,
        a,
        c,
        actor,
        apply,
        (u) => u[baileysKey] !== undefined,
        (e) => e.settings?.[wakitKey] !== undefined,
      );
      expect([seen.update[baileysKey], seen.event.settings?.[wakitKey]]).toEqual([on, on]);
    }
    expect(wakitView(await c.client.groups.queryInfo(g2))).toEqual(
      baileysView(await a.sock.groupMetadata(g2)),
    );
  });

  it('a leave made with either library is the same change to both (Baileys says remove, wakit leave)', async () => {
    // Baileys D leaves G1: Baileys A and wakit B watch.
    expect(await sameParticipants(g1, a, b, 'leave', d.phone.lid, () => d.sock.groupLeave(g1))).toEqual([
      [d.phone.lid, d.phone.jid, undefined],
    ]);
    // wakit C leaves G2: Baileys A and wakit B watch.
    expect(await sameParticipants(g2, a, b, 'leave', c.phone.lid, () => c.client.groups.leave(g2))).toEqual([
      [c.phone.lid, c.phone.jid, undefined],
    ]);
    expect((await b.client.groups.queryInfo(g1)).participants.map((p) => p.jid)).not.toContain(d.phone.lid);
    expect((await a.sock.groupMetadata(g2)).participants.map((p) => p.id)).not.toContain(c.phone.lid);
  });

  it('wakit removes a Baileys member: the remaining get a new sender key, the removed one nothing', async () => {
    // G2 now: wakit B (superadmin), Baileys A and Baileys D. D holds B's key once it read this.
    await b.client.sendMessage(g2, { conversation: 'before the removal' });
    await reads(a, g2, 'before the removal');
    await reads(d, g2, 'before the removal');

    await sameParticipants(g2, d, b, 'remove', b.phone.lid, () =>
      b.client.groups.removeParticipants(g2, [a.phone.lid]),
    );
    const relayed = server.waitFor(
      'message',
      (e) => e.node.attrs.to === g2 && isSameUser(e.from, b.phone.lid),
    );
    await b.client.sendMessage(g2, { conversation: 'after the removal' });
    const { to, node } = await relayed;
    // The server gives it to no device of A's ...
    expect(to.filter((jid) => isSameUser(jid, a.phone.jid))).toEqual([]);
    expect(to.some((jid) => isSameUser(jid, d.phone.jid))).toBe(true);
    // ... and B sent a new sender key pairwise to D's devices, which held the old one: the key rotated.
    expect(skdmTargets(node).some((jid) => isSameUser(jid, d.phone.lid))).toBe(true);
    expect(skdmTargets(node).some((jid) => isSameUser(jid, a.phone.lid))).toBe(false);
    // Baileys D reads it with the new key; A read nothing after the removal.
    await reads(d, g2, 'after the removal');
    expect(a.texts.filter((t) => t.chat === g2).map((t) => t.text)).toEqual([
      'wakit C in G2',
      'before the removal',
    ]);
  });

  it('Baileys removes a wakit member: the server relays it nothing more', async () => {
    // G1 now: Baileys A (superadmin), wakit B and wakit C. C holds A's key once it read this.
    const isC = (jid: string) => isSameUser(jid, c.phone.lid) || isSameUser(jid, c.phone.jid);
    const first = server.waitFor('message', (e) => e.node.attrs.to === g1 && isSameUser(e.from, a.phone.lid));
    await a.sock.sendMessage(g1, { text: 'before wakit B is removed' });
    // C joined after A's last message: this one gives C's devices A's key.
    expect(skdmTargets((await first).node).some(isC)).toBe(true);
    for (const reader of [b, c]) await reads(reader, g1, 'before wakit B is removed');
    const removed = b.changes.after();
    await sameParticipants(g1, a, c, 'remove', a.phone.lid, () =>
      a.sock.groupParticipantsUpdate(g1, [b.phone.lid], 'remove'),
    );
    // The removed member is told too.
    await removed((e) => e.jid === g1 && e.action === 'remove', 'wakit B told of its removal');
    const relayed = server.waitFor(
      'message',
      (e) => e.node.attrs.to === g1 && isSameUser(e.from, a.phone.lid),
    );
    await a.sock.sendMessage(g1, { text: 'after wakit B left' });
    const { to, node } = await relayed;
    expect(to.filter((jid) => isSameUser(jid, b.phone.jid))).toEqual([]);
    // Baileys 7 keeps its sender key when a member goes (no new distribution message for C, who
    // holds the old one): only the server keeps B from reading this. wakit rotates (test above).
    expect(skdmTargets(node).filter(isC)).toEqual([]);
    expect(isSameUser(await reads(c, g1, 'after wakit B left'), a.phone.lid)).toBe(true);
    expect(b.texts.filter((t) => t.chat === g1).map((t) => t.text)).toEqual([
      'hello from Baileys',
      'before wakit B is removed',
    ]);
    await expect(b.client.groups.getMetadata(g1)).rejects.toMatchObject({ name: 'NotGroupMemberError' });
  });

  it("invite links work across the libraries: each joins by the other's code, each refuses a removed member", async () => {
    // G1 (Baileys A's): its code lets Baileys D, who left, back in; wakit B, removed by A, is refused.
    const code1 = (await a.sock.groupInviteCode(g1))!;
    await expect(b.client.groups.joinWithInvite(code1)).rejects.toMatchObject({
      name: 'GroupInviteRefusedError',
      reason: 'removed',
    });
    expect(
      await sameParticipants(g1, a, c, 'add', d.phone.lid, () => d.sock.groupAcceptInvite(code1)),
    ).toEqual([[d.phone.lid, d.phone.jid, undefined]]);

    // G2 (wakit B's): Baileys reads the group behind wakit's link as wakit holds it; wakit C, who
    // left, joins by it; Baileys A, removed by B, is refused.
    const link = await b.client.groups.getInviteLink(g2);
    const code2 = link.slice(link.lastIndexOf('/') + 1);
    expect(baileysView(await d.sock.groupGetInviteInfo(code2))).toEqual(
      wakitView(await b.client.groups.queryInfo(g2)),
    );
    await expect(a.sock.groupAcceptInvite(code2)).rejects.toMatchObject({ data: 405 });
    expect(
      await sameParticipants(g2, d, b, 'add', c.phone.lid, () => c.client.groups.joinWithInvite(link)),
    ).toEqual([[c.phone.lid, c.phone.jid, undefined]]);
    // Back in, C reads what B sends next (B's key is given to C's devices again).
    await b.client.sendMessage(g2, { conversation: 'welcome back' });
    for (const reader of [c, d]) await reads(reader, g2, 'welcome back');
  });

  it('statuses go both ways: each library posts to people on both, and only they read it', async () => {
    // The server names a status's sender by PN (status-relay.ts); both libraries read it so.
    await b.client.sendMessage(
      STATUS,
      { conversation: 'status from wakit' },
      { recipients: [a.phone.jid, c.phone.jid] },
    );
    expect(isSameUser(await reads(a, STATUS, 'status from wakit'), b.phone.jid)).toBe(true);
    expect(isSameUser(await reads(c, STATUS, 'status from wakit'), b.phone.jid)).toBe(true);
    await a.sock.sendMessage(
      STATUS,
      { text: 'status from Baileys' },
      { statusJidList: [b.phone.jid, d.phone.jid] },
    );
    expect(isSameUser(await reads(b, STATUS, 'status from Baileys'), a.phone.jid)).toBe(true);
    expect(isSameUser(await reads(d, STATUS, 'status from Baileys'), a.phone.jid)).toBe(true);
    // Not named, so not delivered: D had nothing from wakit, C nothing from Baileys.
    expect(d.texts.filter((t) => t.chat === STATUS).map((t) => t.text)).toEqual(['status from Baileys']);
    expect(c.texts.filter((t) => t.chat === STATUS).map((t) => t.text)).toEqual(['status from wakit']);
  });

  it('logged no errors on either side', () => {
    for (const device of [a, d]) {
      // The 515 is the restart after pairing, as in baileys-messaging.test.ts.
      expect(device.log.filter((line) => !line.startsWith('warn') && !line.includes('"515"'))).toEqual([]);
    }
    expect(wakitErrors).toEqual([]);
    expect([...b.undecryptable, ...c.undecryptable]).toEqual([]);
  });
});
