/**
 * The crash test's runner. One server in this process, two accounts (phones A and B), a wakit
 * receiver linked to B in this process, and a sender linked to A once, on a SQLite file. Then round
 * after round a child process opens that file, logs in and sends to B (or, with `target: 'group'`,
 * to a group of A and B: sender-key messages) until it is SIGKILLed (by the
 * parent at a random moment, or by itself at a chosen point: `crash-plan.ts`); the next round
 * starts once the server saw the connection drop. The receiver replies now and then, so the
 * sender's sessions advance both ways and the child decrypts too. A last child sends one message
 * and gets a reply: the conversation continues. `crash-checks.ts` judges what was observed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient, MemoryStore } from '@wakit/client';
import { openSqliteStore } from '@wakit/client/sqlite';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
import { DEADLINE_MS, nextEvent, until } from './_harness';
import {
  type CrashObservations,
  crashViolations,
  missingDeliveries,
  type ReceivingDevice,
  reusingMessages,
  sameDevice,
} from './crash-checks';
import { usedKeys } from './crash-keys';
import { describePlan, planRounds, type RoundPlan } from './crash-plan';
import { type CrashChild, startCrashChild } from './crash-process';
import { type ChildConfig, crashMessageId, type Sabotage, type SendMode } from './crash-protocol';

/** Options of a run. */
export interface CrashRunOptions {
  /** Killed rounds before the final one. */
  rounds: number;
  seed: number;
  /** Messages each child sends. */
  count: number;
  /** Plans to run instead of the seed's (the self-check picks its own). */
  plans?: RoundPlan[] | undefined;
  sabotage?: Sabotage | undefined;
  /**
   * `peer` (the default): 1:1 messages to B. `group`: messages to a group of A and B, so every
   * round also distributes and advances our sender key; the virtual phones, which keep no sender
   * keys, are then not among the devices that must decrypt (their SKDMs' keys are still checked).
   */
  target?: 'peer' | 'group' | undefined;
  /** Progress lines (one per round); silent by default. */
  log?: ((line: string) => void) | undefined;
}

/** What a run found. */
export interface CrashRunReport {
  seed: number;
  plans: RoundPlan[];
  /** Empty when the run passed. */
  violations: string[];
  /** Messages acked to a child / relayed by the server / decrypted by the wakit receiver; replies. */
  totals: { acked: number; relayed: number; received: number; replies: number; selfKills: number };
}

/** The first guess of a round's sending time, before one was measured. */
const INITIAL_PACE_MS = 400;

const SENDER_NUMBER = '15550009001';
const PEER_NUMBER = '15550009002';

/** Runs the crash test; throws only when the setup itself fails (server, linking). */
export async function runCrashTest(options: CrashRunOptions): Promise<CrashRunReport> {
  const log = options.log ?? (() => {});
  const plans = options.plans ?? planRounds(options.seed, options.rounds, options.count);
  const dir = mkdtempSync(join(tmpdir(), 'wakit-crash-'));
  const server = await startServer();
  const cleanups: (() => Promise<unknown>)[] = [() => server.close()];
  try {
    const phoneA = await server.phones.create(SENDER_NUMBER);
    const phoneB = await server.phones.create(PEER_NUMBER);
    const receiver = await linkReceiver(server, phoneB);
    cleanups.push(() => receiver.disconnect());
    const file = join(dir, 'sender.db');
    const sender = await linkSender(server, phoneA, file);
    const group =
      options.target === 'group'
        ? server.groups.create(SENDER_NUMBER, 'crash', [PEER_NUMBER]).jid
        : undefined;
    const run = new CrashRun(server, phoneA, phoneB, receiver, sender, group !== undefined, {
      file,
      url: server.url,
      rootPublicKey: Buffer.from(server.rootPublicKey).toString('hex'),
      to: group ?? phoneB.jid,
      sabotage: options.sabotage,
    });
    cleanups.push(() => run.killAll());
    for (const plan of plans) {
      log(describePlan(plan));
      log(`  ${await run.round(plan)}`);
    }
    log(`final round ${plans.length}: one message, one reply`);
    await run.finalRound(plans.length);
    const observed = await run.observations();
    const violations = crashViolations(observed);
    const receiverDevice = observed.devices[0]!;
    return {
      seed: options.seed,
      plans,
      violations,
      totals: {
        acked: observed.children.flatMap((c) => c.lines).filter((line) => line.kind === 'acked').length,
        relayed: observed.relayed.length,
        received: receiverDevice.decrypted.length,
        replies: observed.replies.length,
        selfKills: observed.children.flatMap((c) => c.lines).filter((line) => line.kind === 'killing').length,
      },
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The receiver: a wakit client on a memory store, linked to `phone`, staying up all run. */
async function linkReceiver(server: WaServer, phone: VirtualPhone): Promise<Client> {
  const client = createClient({
    url: server.url,
    rootPublicKey: server.rootPublicKey,
    store: new MemoryStore(),
  });
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return client;
}

/**
 * Links the sender on `file` and closes it again, once its prekeys are on the server (the
 * receiver's first reply may need a bundle). Returns its device JIDs, PN and LID.
 */
async function linkSender(server: WaServer, phone: VirtualPhone, file: string): Promise<string[]> {
  const store = openSqliteStore(file);
  const client = createClient({ url: server.url, rootPublicKey: server.rootPublicKey, store });
  const qr = nextEvent(client, 'qr');
  const uploaded = server.waitFor(
    'prekeys-uploaded',
    (event) => event.jid.startsWith(`${phone.phoneNumber}:`),
    DEADLINE_MS,
  );
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  await uploaded;
  const account = client.credentials?.account;
  await client.disconnect();
  await store.close();
  if (account?.lid === undefined) throw new Error('the sender was linked without a LID');
  return [account.jid, account.lid];
}

/** One run's state: the children, what the server relayed, the replies. */
class CrashRun {
  readonly #relayed: CrashObservations['relayed'] = [];
  readonly #children: { round: number; child: CrashChild }[] = [];
  readonly #replies: CrashObservations['replies'] = [];
  readonly #incidents: string[] = [];
  readonly #receiverGot: { id: string; text: string; sender: string }[] = [];
  readonly #receiverFailed: { id: string; reason: string }[] = [];
  /** How long the latest round of each mode took from `ready` to `done`, ms (first a guess). */
  readonly #pace: Record<SendMode, number> = { await: INITIAL_PACE_MS, burst: INITIAL_PACE_MS };
  /** Set by a `relayed` plan: kill `child` when the server relays message `id`. */
  #killOnRelay: { id: string; child: CrashChild; killed: () => void } | undefined;

  constructor(
    readonly server: WaServer,
    readonly phoneA: VirtualPhone,
    readonly phoneB: VirtualPhone,
    readonly receiver: Client,
    readonly sender: string[],
    /** Sending to a group: only the wakit receiver reads sender-key messages. */
    readonly inGroup: boolean,
    readonly base: Omit<ChildConfig, 'round' | 'count' | 'mode' | 'syncFirst'>,
  ) {
    server.on('message', (event) => {
      if (!sameDevice(event.from, sender)) return;
      const target = this.#killOnRelay;
      if (target?.id === event.id) {
        // Synchronously, before the server writes the ack: the child never sees it.
        target.child.process.kill('SIGKILL');
        target.killed();
      }
      try {
        this.#relayed.push({ id: event.id, to: event.to, keys: usedKeys(event.node) });
      } catch (error) {
        this.#incidents.push(`unreadable ciphertext in ${event.id}: ${(error as Error).message}`);
      }
    });
    receiver.on('message', ({ message, info }) =>
      this.#receiverGot.push({ id: info.id, text: message.conversation ?? '', sender: info.sender }),
    );
    receiver.on('undecryptable', ({ info, reason }) => this.#receiverFailed.push({ id: info.id, reason }));
  }

  /** Runs one killed round; resolves with a one-line summary. */
  async round(plan: RoundPlan): Promise<string> {
    if (plan.replyBefore) await this.#reply(`reply-${plan.round}`);
    const relayedBefore = this.#relayed.length;
    const child = this.#start({
      round: plan.round,
      count: plan.count,
      mode: plan.mode,
      syncFirst: plan.syncFirst,
      selfKill: plan.kill.kind === 'self' ? { point: plan.kill.point, n: plan.kill.n } : undefined,
    });
    const live = plan.replyLive
      ? child
          .waitFor((line) => line.kind === 'ready', '"ready"')
          .then(
            () => this.#reply(`live-${plan.round}`),
            () => {},
          )
      : Promise.resolve();
    const done = child.waitFor((line) => line.kind === 'done', '"done"');
    this.#measurePace(plan.mode, child, done);
    let hung: unknown;
    let over = false;
    // Whichever comes first: the plan's moment, the end of the sends, or the child's own death. A
    // trigger that fails after that (its line never came because the child is gone) means nothing.
    await Promise.race([
      this.#trigger(plan, child).catch((error: unknown) => {
        if (!over) hung = error;
      }),
      done.catch(() => {}),
      child.exited,
    ]);
    over = true;
    const exit = await child.kill();
    this.#killOnRelay = undefined;
    if (exit.signal !== 'SIGKILL') {
      this.#incidents.push(
        `round ${plan.round}: the child exited with code ${exit.code}, not by SIGKILL\n${child.stderr()}`,
      );
    } else if (hung !== undefined && child.lines.every((line) => line.kind !== 'killing')) {
      this.#incidents.push(`round ${plan.round}: ${(hung as Error).message}`);
    }
    await until(
      () => this.sender.every((jid) => this.server.connectionOf(jid) === undefined),
      `the server to drop round ${plan.round}'s connection`,
    );
    await live;
    const acked = child.lines.filter((line) => line.kind === 'acked').length;
    const killer = child.lines.find((line) => line.kind === 'killing');
    const received = child.lines.flatMap((line) => (line.kind === 'received' ? [line] : []));
    return [
      `acked ${acked}, relayed ${this.#relayed.length - relayedBefore}`,
      `received ${received.length} (${received.filter((line) => line.replayed).length} replayed)`,
      killer === undefined ? 'killed by the parent' : `killed itself (${killer.point} #${killer.n})`,
    ].join(', ');
  }

  /** The last child: one message that must reach the receiver, and a reply it must decrypt. */
  async finalRound(round: number): Promise<void> {
    const child = this.#start({ round, count: 1, mode: 'await', syncFirst: true, selfKill: undefined });
    try {
      await child.waitFor((line) => line.kind === 'done', '"done"');
      const id = crashMessageId(round, 0);
      // A message that reused a key never decrypts (the receiver takes it for a redelivery).
      const reused = () => reusingMessages(this.#relayed).has(id);
      await until(
        () => this.#receiverGot.some((m) => m.id === id) || reused(),
        'the final message at the receiver',
      );
      if (reused()) throw new Error(`the final message ${id} reused a message key`);
      const reply = await this.#reply('final-reply');
      if (reply !== undefined)
        await child.waitFor((line) => line.kind === 'received' && line.id === reply, 'the final reply');
    } catch (error) {
      this.#incidents.push(`the conversation did not continue: ${(error as Error).message}`);
    }
    child.process.stdin.write('exit\n');
    const limit = setTimeout(() => void child.kill(), DEADLINE_MS);
    const exit = await child.exited;
    clearTimeout(limit);
    if (exit.code !== 0) {
      this.#incidents.push(
        `the final child did not exit cleanly (${JSON.stringify(exit)}) on "exit"\n${child.stderr()}`,
      );
    }
  }

  /** What the run saw, once every relayed message had its chance to be decrypted. */
  async observations(): Promise<CrashObservations> {
    const devices = this.#devices();
    const observed = (): CrashObservations => ({
      sender: this.sender,
      relayed: this.#relayed,
      devices: devices(),
      receiverTexts: this.#receiverGot.map((m) => m.text),
      children: this.#children.map(({ round, child }) => ({ round, lines: child.lines })),
      replies: this.#replies,
      incidents: this.#incidents,
    });
    // Deliveries still in flight finish here; what never arrives is reported by the checks.
    await until(
      () => missingDeliveries(observed(), reusingMessages(this.#relayed)).length === 0,
      'every relayed message',
    ).catch(() => {});
    return observed();
  }

  /** Updates the mode's pace when `child` gets from `ready` to `done`. */
  #measurePace(mode: SendMode, child: CrashChild, done: Promise<unknown>): void {
    void child
      .waitFor((line) => line.kind === 'ready', '"ready"')
      .then(
        () => {
          const ready = Date.now();
          void done.then(
            () => {
              this.#pace[mode] = Date.now() - ready;
            },
            () => {},
          );
        },
        () => {},
      );
  }

  /** SIGKILLs every child still running. */
  async killAll(): Promise<void> {
    for (const { child } of this.#children) await child.kill();
  }

  #devices(): () => ReceivingDevice[] {
    const receiverJid = this.receiver.credentials?.account?.jid ?? '';
    const fromSender = (jid: string) => sameDevice(jid, this.sender);
    const phones = this.inGroup
      ? []
      : [
          { name: "the peer's phone", phone: this.phoneB },
          { name: "the sender's phone", phone: this.phoneA },
        ];
    return () => [
      {
        name: 'the receiver',
        jid: receiverJid,
        decrypted: this.#receiverGot.filter((m) => fromSender(m.sender)).map((m) => m.id),
        undecryptable: this.#receiverFailed,
      },
      ...phones.map(({ name, phone }) => ({
        name,
        jid: phone.jid,
        decrypted: phone.messages.filter((m) => fromSender(m.info.sender)).map((m) => m.info.id),
        undecryptable: phone.undecryptable.map((u) => ({ id: u.info.id, reason: u.error.message })),
      })),
    ];
  }

  #start(config: Pick<ChildConfig, 'round' | 'count' | 'mode' | 'syncFirst' | 'selfKill'>): CrashChild {
    const child = startCrashChild({ ...this.base, ...config });
    this.#children.push({ round: config.round, child });
    return child;
  }

  /** Resolves when the plan's moment came and the child should die now. */
  async #trigger(plan: RoundPlan, child: CrashChild): Promise<void> {
    const { kill } = plan;
    switch (kill.kind) {
      case 'timer':
        await child.waitFor((line) => line.kind === 'ready', '"ready"');
        return delay(kill.fraction * this.#pace[plan.mode]);
      case 'login':
        await child.waitFor((line) => line.kind === 'socket', '"socket"');
        return delay(kill.ms);
      case 'acks': {
        let acks = 0;
        await child.waitFor(
          (line) =>
            (line.kind === 'ready' && kill.count === 0) || (line.kind === 'acked' && ++acks >= kill.count),
          `${kill.count} acks`,
        );
        return;
      }
      case 'relayed':
        return new Promise((resolve) => {
          this.#killOnRelay = { id: crashMessageId(plan.round, kill.n), child, killed: resolve };
        });
      case 'self':
        // The child kills itself; the race ends on its exit (or on `done` if it never got there).
        return new Promise(() => {});
    }
  }

  /** The receiver replies to the sender's account; resolves with the id (undefined if it failed). */
  async #reply(text: string): Promise<string | undefined> {
    try {
      const id = await this.receiver.sendMessage(this.phoneA.jid, { conversation: text });
      this.#replies.push({ id, text });
      return id;
    } catch (error) {
      this.#incidents.push(`the receiver's reply "${text}" failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** Resolves after `ms`: the random moment of a kill, never a synchronisation. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
