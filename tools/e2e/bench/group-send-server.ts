/**
 * The group send benchmark's server child (`group-send.bench.ts` forks it): `@wakit/server` and the
 * benchmark's `GroupSendWorld` on it, driven over `group-send-ipc.ts`. Its CPU time and memory (the
 * members' phones decrypting distributions included) are not counted against the senders.
 */
import { startServer } from '@wakit/server';
import { serveParent } from './group-send-ipc';
import { GroupSendWorld, type SenderReport } from './group-send-world';

/** The server child's operations. */
export type ServerOperations = {
  /** Where the server listens and the root to trust (hex). */
  hello: { args: undefined; value: { url: string; rootPublicKey: string } };
  /** A new phone for `phoneNumber` scans a sender's QR; resolves with the linked device's JID. */
  scan: { args: { phoneNumber: string; qr: string }; value: string };
  addMembers: { args: { firstNumber: number; count: number }; value: string[] };
  acknowledgeSessions: { args: { phoneNumber: string; members: string[] }; value: null };
  /** Watches the account's sender device and holds its receipts; resolves with its JID. */
  watch: { args: { phoneNumber: string }; value: string };
  takeReport: { args: { phoneNumber: string }; value: SenderReport };
  /** Delivers the held receipts and holds again: the sender handles them between cases. */
  releaseReceipts: { args: { phoneNumber: string }; value: null };
  /** CPU milliseconds (user + system) this process has used so far. */
  usage: { args: undefined; value: number };
  close: { args: undefined; value: null };
};

const server = await startServer();
const world = new GroupSendWorld(server);
const ready = { url: server.url, rootPublicKey: Buffer.from(server.rootPublicKey).toString('hex') };

serveParent<ServerOperations>({
  hello: async () => ready,
  scan: async ({ phoneNumber, qr }) => (await server.phones.create(phoneNumber)).scanQr(qr),
  addMembers: ({ firstNumber, count }) => world.addMembers(firstNumber, count),
  acknowledgeSessions: async ({ phoneNumber, members }) => {
    await world.acknowledgeSessions(phoneNumber, members);
    return null;
  },
  watch: async ({ phoneNumber }) => {
    const jid = world.companionOf(phoneNumber);
    world.watch(jid);
    world.holdReceipts(jid);
    return jid;
  },
  takeReport: async ({ phoneNumber }) => world.takeReport(world.companionOf(phoneNumber)),
  releaseReceipts: async ({ phoneNumber }) => {
    const jid = world.companionOf(phoneNumber);
    world.releaseReceipts(jid);
    world.holdReceipts(jid);
    return null;
  },
  usage: async () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
  close: async () => {
    world.close();
    await server.close();
    return null;
  },
});
