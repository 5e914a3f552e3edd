/**
 * The server side of the group send benchmark, on a running `@wakit/server` (the benchmark's server
 * child, or the smoke test's in-process server): the members, whose devices are virtual phones, and
 * what the server saw of each sender.
 *
 * - Members are accounts with one device each, their virtual phone (device 0): it publishes prekeys
 *   the sender fetches, decrypts the pairwise SKDMs it gets (and answers them with a delivery
 *   receipt) and only acks an `skmsg` (a phone keeps no sender keys). So nothing a member does is
 *   timed on the sender's side, and no member needs a client process.
 * - `acknowledgeSessions`: every member phone, and the sender's own phone, sends the sender one 1:1
 *   text over the session the sender's first (X3DH) distribution started, so the sessions are
 *   acknowledged and later distributions are `msg`, not `pkmsg`: the steady state of a group whose
 *   members have talked, and the same for both libraries.
 * - `holdReceipts`: receipts for the sender device are held by the server (`server.faults`) while it
 *   is timed, so the 256 delivery receipts of a distribution do not land in the next send's interval;
 *   `releaseReceipts` delivers them between cases.
 * - `takeReport`: what the sender sent since the last call, read on the server: per group
 *   `<message>`, the pairwise `<enc>` types it carried, and the IQs by namespace. The benchmark
 *   checks from it that a warm send distributed nothing, a cold one distributed to every device by
 *   `msg`, and that no timed send asked the server anything.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { WaServer } from '@wakit/server';

/** One group `<message>` a sender wrote. */
export interface SentGroupMessage {
  id: string;
  /** Pairwise `<enc>`s in `<participants>`, by type (`msg`, `pkmsg`): the SKDMs. */
  pairwise: Record<string, number>;
  /**
   * Pairwise `<enc>`s addressed to the sending device itself (Baileys lists its own LID device in a
   * LID group; the server delivers nothing to it), apart from `pairwise`.
   */
  toSelf: number;
  /** Whether the stanza held the `skmsg`. */
  skmsg: boolean;
}

/** What the server saw of one sender device since the last report. */
export interface SenderReport {
  messages: SentGroupMessage[];
  /** IQs the device sent, by `xmlns`. */
  iqs: Record<string, number>;
}

const children = (node: BinaryNode | undefined): BinaryNode[] =>
  Array.isArray(node?.content) ? node.content : [];

/** The members, the watched senders and the held receipts of one benchmark server. */
export class GroupSendWorld {
  readonly #server: WaServer;
  readonly #reports = new Map<string, SenderReport>();
  readonly #released = new Map<string, () => void>();
  readonly #off: (() => void)[] = [];

  constructor(server: WaServer) {
    this.#server = server;
    this.#off.push(
      server.on('node', ({ connection, node }) => {
        const report = this.#reports.get(connection.deviceJid ?? '');
        if (report === undefined || node.tag !== 'message' || !node.attrs.to?.endsWith('@g.us')) return;
        const pairwise: Record<string, number> = {};
        const device = server.devices.get(connection.deviceJid ?? '');
        const self = [device?.jid, device?.lid];
        let toSelf = 0;
        const top = children(node);
        for (const to of children(top.find((c) => c.tag === 'participants'))) {
          for (const enc of children(to)) {
            if (self.includes(to.attrs.jid ?? '')) toSelf += 1;
            else {
              const type = enc.attrs.type ?? '?';
              pairwise[type] = (pairwise[type] ?? 0) + 1;
            }
          }
        }
        const skmsg = top.some((c) => c.tag === 'enc' && c.attrs.type === 'skmsg');
        report.messages.push({ id: node.attrs.id ?? '', pairwise, toSelf, skmsg });
      }),
      server.on('iq', ({ connection, node }) => {
        const report = this.#reports.get(connection.deviceJid ?? '');
        if (report === undefined) return;
        const xmlns = node.attrs.xmlns ?? '?';
        report.iqs[xmlns] = (report.iqs[xmlns] ?? 0) + 1;
      }),
    );
  }

  /**
   * `count` new member accounts numbered from `firstNumber`, each only its phone; resolves with
   * their PN user JIDs.
   */
  async addMembers(firstNumber: number, count: number): Promise<string[]> {
    const jids: string[] = [];
    for (let i = 0; i < count; i++)
      jids.push((await this.#server.phones.create(String(firstNumber + i))).jid);
    return jids;
  }

  /**
   * Every member phone, then the sender's own phone (through its companion copy of a text to the
   * first member), sends the sender one text, so each of the sender's sessions with them has been
   * answered. Resolves once every phone's send was acked by the server; the sender decrypting them
   * is the caller's to wait for.
   */
  async acknowledgeSessions(senderPhoneNumber: string, members: readonly string[]): Promise<void> {
    const own = this.#phone(senderPhoneNumber);
    const senderLid = own.lid;
    for (const member of members) {
      await this.#phone(member.split('@')[0]!).sendMessage(senderLid, { conversation: 'session ack' });
    }
    await own.sendMessage(members[0]!, { conversation: 'own session ack' });
  }

  /** Starts recording what the device `deviceJid` (PN form) sends; see `takeReport`. */
  watch(deviceJid: string): void {
    this.#reports.set(deviceJid, { messages: [], iqs: {} });
  }

  /** What `deviceJid` sent since `watch` or the last report. */
  takeReport(deviceJid: string): SenderReport {
    const report = this.#reports.get(deviceJid);
    if (report === undefined) throw new Error(`${deviceJid} is not watched`);
    this.#reports.set(deviceJid, { messages: [], iqs: {} });
    return report;
  }

  /** Holds the receipts for `deviceJid` (PN form) until `releaseReceipts`. */
  holdReceipts(deviceJid: string): void {
    if (!this.#released.has(deviceJid))
      this.#released.set(deviceJid, this.#server.faults.holdReceipts(deviceJid));
  }

  /** Delivers the receipts held for `deviceJid`, in order, and stops holding them. */
  releaseReceipts(deviceJid: string): void {
    this.#released.get(deviceJid)?.();
    this.#released.delete(deviceJid);
  }

  /** The PN JID of the sender's companion of account `phoneNumber` (its only one). */
  companionOf(phoneNumber: string): string {
    const [device, ...more] = this.#phone(phoneNumber).devices;
    if (device === undefined || more.length > 0)
      throw new Error(`account ${phoneNumber} has ${more.length + (device ? 1 : 0)} companions, expected 1`);
    return device.jid;
  }

  /** Stops listening to the server (releasing every held receipt). */
  close(): void {
    for (const jid of [...this.#released.keys()]) this.releaseReceipts(jid);
    for (const off of this.#off) off();
  }

  #phone(phoneNumber: string) {
    const phone = this.#server.phones.get(phoneNumber);
    if (phone === undefined) throw new Error(`no phone ${phoneNumber}`);
    return phone;
  }
}
