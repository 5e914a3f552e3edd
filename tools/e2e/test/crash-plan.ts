/**
 * What each round of the crash test does, drawn from a seeded generator so a failing run is
 * repeated exactly by its seed (the moments of the `timer` and `login` kinds land wherever the
 * machine is at that time, but everything else is the seed's). The first four rounds walk through the chosen
 * kill points, modes alternating; later rounds draw a kind at random.
 */
import { SELF_KILL_POINTS, type SelfKillPoint, type SendMode } from './crash-protocol';

/** A seeded generator of numbers in [0, 1): mulberry32, enough for test plans (not for keys). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** An integer in [low, high] from `random`. */
export function randomInt(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

/** How a round's child dies. */
export type KillPlan =
  /**
   * The parent, after the child printed `ready`, at `fraction` of the time the latest round of the
   * same mode took from `ready` to `done` (sending, receiving, committing): the moment scales with
   * the machine's pace, so it lands mid-send on a fast machine and a loaded one alike.
   */
  | { kind: 'timer'; fraction: number }
  /** The parent, `ms` after `socket`: during the login and the offline queue's delivery. */
  | { kind: 'login'; ms: number }
  /** The parent, once the child printed `acked` this many times. */
  | { kind: 'acks'; count: number }
  /**
   * The parent, synchronously inside the server's `message` event for message n: that ciphertext
   * is on the server, the child has not seen its ack.
   */
  | { kind: 'relayed'; n: number }
  /** The child itself, at a chosen point (`crash-protocol.ts`). */
  | { kind: 'self'; point: SelfKillPoint; n: number };

/** One round. */
export interface RoundPlan {
  round: number;
  mode: SendMode;
  /** Messages the child sends. */
  count: number;
  kill: KillPlan;
  /** The receiver replies to the sender before the child starts (so it arrives offline). */
  replyBefore: boolean;
  /** The receiver replies when the child is logged in (so it arrives while the child sends). */
  replyLive: boolean;
  /** The child handles its offline queue before it sends (else both run at once). */
  syncFirst: boolean;
}

/** Upper bound of the random `login` delay. */
export const LOGIN_KILL_MAX_MS = 60;

/** The plans of rounds 0 .. rounds - 1 for `seed`, each sending `count` messages. */
export function planRounds(seed: number, rounds: number, count: number): RoundPlan[] {
  const random = seededRandom(seed);
  const plans: RoundPlan[] = [];
  for (let round = 0; round < rounds; round++) {
    // The chosen points first, modes alternating, so even a short run kills at every one of them.
    const chosen = round < SELF_KILL_POINTS.length;
    const mode: SendMode = chosen ? (round % 2 === 0 ? 'await' : 'burst') : pickMode(random);
    const point = SELF_KILL_POINTS[round % SELF_KILL_POINTS.length]!;
    // The first received message: the only one a round is sure to get (`replyBefore`).
    const n = point === 'in-receive' ? 0 : randomInt(random, 0, Math.min(2, count - 1));
    const kill: KillPlan = chosen ? { kind: 'self', point, n } : pickKill(random, count);
    // Receiving is what an `in-receive` kill needs; elsewhere replies come and go at random.
    const receives = kill.kind === 'self' && kill.point === 'in-receive';
    plans.push({
      round,
      mode,
      count,
      kill,
      replyBefore: receives || random() < 0.4,
      replyLive: random() < 0.3,
      // An `in-receive` kill waits for the offline reply: a quick round could end before it came.
      syncFirst: receives || random() < 0.3,
    });
  }
  return plans;
}

function pickMode(random: () => number): SendMode {
  return random() < 0.5 ? 'await' : 'burst';
}

function pickKill(random: () => number, count: number): KillPlan {
  const roll = random();
  if (roll < 0.35) return { kind: 'timer', fraction: random() };
  if (roll < 0.45) return { kind: 'login', ms: randomInt(random, 0, LOGIN_KILL_MAX_MS) };
  if (roll < 0.55) return { kind: 'acks', count: randomInt(random, 0, count) };
  if (roll < 0.7) return { kind: 'relayed', n: randomInt(random, 0, count - 1) };
  const point = SELF_KILL_POINTS[randomInt(random, 0, SELF_KILL_POINTS.length - 1)]!;
  return { kind: 'self', point, n: randomInt(random, 0, point === 'in-receive' ? 1 : count - 1) };
}

/** A short description of a plan for the run's log. */
export function describePlan(plan: RoundPlan): string {
  const how = describeKill(plan.kill);
  const replies = [
    plan.replyBefore ? 'reply before' : '',
    plan.replyLive ? 'reply live' : '',
    plan.syncFirst ? 'offline queue first' : '',
  ]
    .filter((part) => part !== '')
    .join(', ');
  return `round ${plan.round}: ${plan.mode} x${plan.count}, kill ${how}${replies === '' ? '' : `; ${replies}`}`;
}

function describeKill(kill: KillPlan): string {
  switch (kill.kind) {
    case 'self':
      return `self ${kill.point} #${kill.n}`;
    case 'timer':
      return `timer at ${Math.round(kill.fraction * 100)}% of the sends`;
    case 'login':
      return `login +${kill.ms}ms`;
    case 'acks':
      return `after ${kill.count} acks`;
    case 'relayed':
      return `when #${kill.n} is relayed`;
  }
}
