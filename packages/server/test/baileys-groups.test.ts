/**
 * Three Baileys accounts (baileys@7.0.0-rc14) use a group through the server with Baileys' own
 * calls: groupCreate, groupMetadata, groupUpdateSubject/Description, groupParticipantsUpdate (add,
 * remove, promote, demote), groupLeave, groupInviteCode/groupAcceptInvite, groupSettingUpdate and
 * groupFetchAllParticipating, each change seen by the others as `groups.upsert`, `groups.update`
 * or `group-participants.update`; a group message from one is decrypted by the two others.
 */
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualPhone } from '../src/phone';
import { startServer, type WaServer } from '../src/start-server';
import { linkBaileys, nextEvent, nextUpsert, textOf } from './baileys-harness';
import { DEADLINE_MS } from './until';

type Socket = ReturnType<typeof makeWASocket>;

describe('three Baileys accounts share a group through @wakit/server', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  type Member = { sock: Socket; log: string[]; phone: VirtualPhone };
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let group: string;

  async function link(phone: VirtualPhone, name: string): Promise<Member> {
    const log: string[] = [];
    const named = server.waitFor('node', (e) => e.node.attrs.name === name, DEADLINE_MS);
    const { sock } = await linkBaileys({
      url: server.url,
      phone,
      log,
      sockets,
      name,
      markOnlineOnConnect: true,
    });
    await named;
    return { sock, log, phone };
  }

  beforeAll(async () => {
    server = await startServer();
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    alice = await link(await server.phones.create('15550006666'), 'Alice');
    bob = await link(await server.phones.create('15550007777'), 'Bob');
    carol = await link(await server.phones.create('15550008888'), 'Carol');
  }, 180_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server.close();
  });

  it('groupCreate makes the group, the others see groups.upsert, groupMetadata reads it', async () => {
    const upserts = [bob, carol].map((m) => nextEvent(m.sock, 'groups.upsert', () => true, m.log));
    const created = await alice.sock.groupCreate('Team', [bob.phone.jid, carol.phone.jid]);
    group = created.id;
    expect(group).toMatch(/^120363\d{12}@g\.us$/);
    expect(created).toMatchObject({ subject: 'Team', owner: alice.phone.lid, ownerPn: alice.phone.jid });
    expect(created.addressingMode).toBe('lid');
    for (const [upsert] of await Promise.all(upserts)) {
      expect(upsert).toMatchObject({ id: group, subject: 'Team', author: alice.phone.lid });
    }
    const metadata = await bob.sock.groupMetadata(group);
    expect(metadata.participants.map((p) => [p.id, p.phoneNumber, p.admin])).toEqual([
      [alice.phone.lid, alice.phone.jid, 'superadmin'],
      [bob.phone.lid, bob.phone.jid, null],
      [carol.phone.lid, carol.phone.jid, null],
    ]);
  });

  it('a group message from Alice is decrypted by Bob and Carol', async () => {
    const received = [bob, carol].map((m) =>
      nextUpsert(m.sock, (msg) => msg.key.remoteJid === group && textOf(msg) === 'hello team', m.log),
    );
    await alice.sock.sendMessage(group, { text: 'hello team' });
    for (const message of await Promise.all(received)) {
      // Baileys keeps the sender's user (the device part dropped) as the participant.
      expect(message.key.participant).toBe(alice.phone.lid);
    }
  });

  it('subject and description changes reach the others as groups.update', async () => {
    const subject = nextEvent(bob.sock, 'groups.update', (u) => u[0]?.subject === 'Renamed', bob.log);
    await alice.sock.groupUpdateSubject(group, 'Renamed');
    expect((await subject)[0]).toMatchObject({ id: group, subject: 'Renamed', author: alice.phone.lid });
    const desc = nextEvent(carol.sock, 'groups.update', (u) => u[0]?.desc === 'About us', carol.log);
    await bob.sock.groupUpdateDescription(group, 'About us');
    expect((await desc)[0]).toMatchObject({ id: group, author: bob.phone.lid });
    expect((await carol.sock.groupMetadata(group)).desc).toBe('About us');
  });

  it('promote, demote, remove and add reach the others as group-participants.update', async () => {
    const seen = (member: Member, action: string) =>
      nextEvent(
        member.sock,
        'group-participants.update',
        (u) => u.id === group && u.action === action,
        member.log,
      );
    const promoted = seen(carol, 'promote');
    expect(await alice.sock.groupParticipantsUpdate(group, [bob.phone.lid], 'promote')).toMatchObject([
      { status: '200', jid: bob.phone.lid },
    ]);
    expect((await promoted).participants).toMatchObject([{ id: bob.phone.lid, phoneNumber: bob.phone.jid }]);
    const demoted = seen(carol, 'demote');
    await alice.sock.groupParticipantsUpdate(group, [bob.phone.lid], 'demote');
    await demoted;
    const removed = seen(bob, 'remove');
    expect(await alice.sock.groupParticipantsUpdate(group, [carol.phone.lid], 'remove')).toMatchObject([
      { status: '200' },
    ]);
    expect((await removed).participants).toMatchObject([{ id: carol.phone.lid }]);
    const added = seen(bob, 'add');
    const back = nextEvent(carol.sock, 'groups.upsert', (g) => g[0]?.id === group, carol.log);
    await alice.sock.groupParticipantsUpdate(group, [carol.phone.lid], 'add');
    expect((await added).participants).toMatchObject([{ id: carol.phone.lid }]);
    await back;
    // A member already in is refused per participant, not the whole request.
    expect(await alice.sock.groupParticipantsUpdate(group, [carol.phone.lid], 'add')).toMatchObject([
      { status: '409' },
    ]);
  });

  it('groupLeave, then groupAcceptInvite with the code from groupInviteCode', async () => {
    const left = nextEvent(bob.sock, 'group-participants.update', (u) => u.action === 'remove', bob.log);
    await carol.sock.groupLeave(group);
    expect((await left).participants).toMatchObject([{ id: carol.phone.lid }]);
    const code = await alice.sock.groupInviteCode(group);
    expect(code).toBe(server.groups.get(group)!.inviteCode);
    const joined = nextEvent(bob.sock, 'group-participants.update', (u) => u.action === 'add', bob.log);
    expect(await carol.sock.groupAcceptInvite(code!)).toBe(group);
    expect((await joined).participants).toMatchObject([{ id: carol.phone.lid }]);
    expect(server.groups.get(group)!.participants.map((p) => p.phoneNumber)).toContain(
      carol.phone.jid.split('@')[0],
    );
  });

  it('groupSettingUpdate reaches the others; groupFetchAllParticipating lists the group', async () => {
    const announce = nextEvent(bob.sock, 'groups.update', (u) => u[0]?.announce === true, bob.log);
    await alice.sock.groupSettingUpdate(group, 'announcement');
    expect((await announce)[0]).toMatchObject({ id: group });
    const restrict = nextEvent(carol.sock, 'groups.update', (u) => u[0]?.restrict === true, carol.log);
    await alice.sock.groupSettingUpdate(group, 'locked');
    await restrict;
    expect(server.groups.get(group)!.settings).toMatchObject({ announcement: true, locked: true });
    await expect(bob.sock.groupUpdateSubject(group, 'Mine')).rejects.toMatchObject({ data: 401 });
    const all = await carol.sock.groupFetchAllParticipating();
    expect(all[group]).toMatchObject({ subject: 'Renamed', announce: true, restrict: true });
  });

  it('logged no errors on any device', () => {
    for (const member of [alice, bob, carol]) {
      expect(member.log.filter((line) => !line.startsWith('warn') && !line.includes('"515"'))).toEqual([]);
    }
  });
});
