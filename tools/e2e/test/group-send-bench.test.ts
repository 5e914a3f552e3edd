/**
 * Keeps the group send benchmark (bench/group-send.bench.ts) from rotting: its two libraries, its
 * server-side world and its warm and cold sends, on a group of three devices against an in-process
 * server. Nothing about time is asserted; what is checked is what the server saw, the premise of
 * each case: the first send distributes by pkmsg, a warm send distributes nothing, a cold send
 * distributes to every device by msg (sessions acknowledged), each send one skmsg.
 */
import { WA_CERT_DETAILS } from 'baileys';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { coldSends, warmSends } from '../bench/group-send-measure';
import { baileysGroupSend, wakitGroupSend } from '../bench/group-send-peers';
import { GroupSendWorld, type SenderReport } from '../bench/group-send-world';
import type { Linker } from '../bench/messaging-peers';
import { DEADLINE_MS, serverFor } from './_harness';

const cleanups: (() => Promise<void>)[] = [];
const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(() => {
  WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
});

/** Every message's SKDMs to other devices, by type. */
const distributions = (report: SenderReport) =>
  report.messages.map((m) => (m.skmsg ? m.pairwise : 'no skmsg'));

describe('the group send benchmark', () => {
  let phone = 15550500000;
  for (const peer of [wakitGroupSend, baileysGroupSend]) {
    test(
      `${peer.name}: first, warm and cold sends reach the server as each case means`,
      async () => {
        const server = await serverFor((fn) => cleanups.push(fn));
        const world = new GroupSendWorld(server);
        cleanups.push(async () => world.close());
        const linker: Linker = {
          url: server.url,
          rootPublicKey: server.rootPublicKey,
          scan: async (phoneNumber, qr) => (await server.phones.create(phoneNumber)).scanQr(qr),
        };
        const phoneNumber = String(phone);
        phone += 10;
        const sender = await peer.link(linker, phoneNumber);
        cleanups.push(() => sender.close());
        const members = await world.addMembers(phone, 2);
        phone += 10;
        const device = world.companionOf(phoneNumber);
        world.watch(device);
        world.holdReceipts(device);

        // Three devices: the two members' phones and the sender's own phone.
        const group = await sender.createGroup('warm', members);
        await sender.send(group, 'first');
        expect(distributions(world.takeReport(device))).toEqual([{ pkmsg: 3 }]);
        await world.acknowledgeSessions(phoneNumber, members);
        await sender.received(members.length + 1);

        expect(await warmSends(sender, group, 2)).toHaveLength(2);
        const warm = world.takeReport(device);
        expect(distributions(warm)).toEqual([{}, {}]);
        expect(warm.iqs).toEqual({});

        expect(await coldSends(sender, members, 2)).toHaveLength(2);
        const cold = world.takeReport(device);
        expect(distributions(cold)).toEqual([{ msg: 3 }, { msg: 3 }]);
        // Only the two groups' creations.
        expect(cold.iqs).toEqual({ 'w:g2': 2 });
      },
      DEADLINE_MS * 3,
    );
  }
});
