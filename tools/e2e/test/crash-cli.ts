/**
 * The long crash run: `npm run crash -w @wakit/e2e -- --rounds 200 --seed 42`. Options:
 * `--rounds` (killed rounds, default 200), `--seed` (default random, printed), `--count` (messages
 * per round, default 20), `--target group` (send to a group of the two accounts: sender-key
 * messages; default `peer`), `--sabotage late-sessions|late-sender-keys` (a deliberately broken
 * client: the run must fail). Prints one line per round, the totals and every violation; exits 1 on
 * any violation.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Sabotage } from './crash-protocol';
import { runCrashTest } from './crash-run';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '200' },
    seed: { type: 'string' },
    count: { type: 'string', default: '20' },
    sabotage: { type: 'string' },
    target: { type: 'string', default: 'peer' },
  },
});
const rounds = Number(values.rounds);
const count = Number(values.count);
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
if (
  !Number.isInteger(rounds) ||
  rounds < 0 ||
  !Number.isInteger(count) ||
  count < 1 ||
  !Number.isInteger(seed)
)
  throw new RangeError('--rounds, --count and --seed take integers (rounds >= 0, count >= 1)');
if (
  values.sabotage !== undefined &&
  values.sabotage !== 'late-sessions' &&
  values.sabotage !== 'late-sender-keys'
)
  throw new RangeError(`--sabotage takes late-sessions or late-sender-keys, got ${values.sabotage}`);
if (values.target !== 'peer' && values.target !== 'group')
  throw new RangeError(`--target takes peer or group, got ${values.target}`);

console.log(`crash run: ${rounds} rounds of ${count} messages to the ${values.target}, seed ${seed}`);
const started = Date.now();
const report = await runCrashTest({
  rounds,
  count,
  seed,
  sabotage: values.sabotage as Sabotage | undefined,
  target: values.target,
  log: (line) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`),
});
const { acked, relayed, received, replies, selfKills } = report.totals;
console.log(
  `seed ${seed}: ${rounds + 1} processes, ${selfKills} self-kills; ${acked} messages acked, ${relayed} relayed, ` +
    `${received} decrypted by the receiver; ${replies} replies; ${Math.round((Date.now() - started) / 1000)} s`,
);
if (report.violations.length === 0) console.log('no violations');
else {
  console.log(`${report.violations.length} violations:`);
  for (const violation of report.violations) console.log(`- ${violation}`);
  process.exitCode = 1;
}
