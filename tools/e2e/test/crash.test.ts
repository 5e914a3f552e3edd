/**
 * The crash test, short form (the long one: `npm run crash -w @wakit/e2e`, see the README). A sender
 * on a SQLite file is SIGKILLed round after round, at the chosen points of a send and at random
 * moments, and restarted on the same file; nothing may reuse a message key, every message that
 * reached a device must decrypt there, and the conversation must go on. The seed is random per run
 * and printed; `CRASH_SEED=<n>` repeats a run's plan.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { RoundPlan } from './crash-plan';
import { SELF_KILL_POINTS } from './crash-protocol';
import { runCrashTest } from './crash-run';

/** Eight rounds: the four chosen kill points, then four drawn from the seed (`planRounds`). */
const ROUNDS = 8;
const MESSAGES_PER_ROUND = 12;
// A backstop only: every wait inside has its own deadline; nine child processes start under tsx.
const TEST_TIMEOUT_MS = 600_000;

describe('a sender SIGKILLed mid-conversation and restarted on the same SQLite file', () => {
  test(
    'never reuses a message key; every device decrypts what reached it; the conversation goes on',
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
      console.log(`crash test seed ${seed} (CRASH_SEED=${seed} repeats the plan)`);
      const report = await runCrashTest({
        rounds: ROUNDS,
        seed,
        count: MESSAGES_PER_ROUND,
        log: (line) => console.log(line),
      });
      expect(report.violations).toEqual([]);
      // The run did what it claims: the child reached its own kill points and messages flowed.
      expect(report.totals.selfKills).toBeGreaterThanOrEqual(SELF_KILL_POINTS.length);
      expect(report.totals.relayed).toBeGreaterThan(0);
      expect(report.totals.replies).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'catches a client that stores its ratchet only after the ack (broken on purpose in the child)',
    async () => {
      // Killed as the server relays message 1: its ratchet step is on the wire and, sabotaged, not in
      // the file, so the final process encrypts its message with the same key. Receivers take such a
      // message for a redelivery (DuplicateMessageError: receipted, never shown), so only the
      // server-side key check and the missing decryptions can reveal it, and both must.
      const plans: RoundPlan[] = [
        {
          round: 0,
          mode: 'await',
          count: 3,
          kill: { kind: 'relayed', n: 1 },
          replyBefore: false,
          replyLive: false,
          syncFirst: false,
        },
      ];
      const report = await runCrashTest({ rounds: 1, seed: 0, count: 3, plans, sabotage: 'late-sessions' });
      const found = (start: string) => report.violations.find((violation) => violation.startsWith(start));
      expect(found('message keys used twice')).toContain('3EB00000000100000000');
      expect(found('relayed but never decrypted')).toContain('3EB00000000100000000 to the receiver');
      expect(found('the conversation did not continue')).toBeDefined();
    },
    TEST_TIMEOUT_MS,
  );
});
