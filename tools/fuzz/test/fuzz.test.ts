import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { nextInput } from '../src/mutate';
import { Rng } from '../src/rng';
import { fuzzTarget, type RunReport } from '../src/run';
import { superviseTargets } from '../src/supervise';
import { TARGETS as CLIENT_TARGETS, sendsAcked } from '../src/targets/client';
import { TARGETS, targetsModule } from '../src/targets/index';
import { blocked, TARGETS as PLANTED } from './planted-targets';

const planted = (name: string) => PLANTED.find((t) => t.name === `planted/${name}`)!;
const PLANTED_MODULE = new URL('./planted-targets.ts', import.meta.url).href;
const run = promisify(execFile);
const PACKAGES = [...new Set(TARGETS.map((t) => t.name.split('/')[0]!))];

describe('every target holds the contract', () => {
  // The smoke run of `npm test`: what `npm run fuzz` does for minutes (a watched worker with the
  // CLI's hang and heap limits), for a fixed number of inputs from a fixed seed. Its judgements are
  // on clocks load cannot move, so a loaded machine gives the same verdict as an idle one. One
  // worker per package: each worker imports its package's code afresh.
  test.each(PACKAGES)('%s: a smoke run of mutated inputs into each target, no findings', async (pkg) => {
    const targets = TARGETS.filter((t) => t.name.startsWith(`${pkg}/`));
    const budget = (t: (typeof targets)[number]) => t.smokeExecutions ?? 1_000;
    const reports = await superviseTargets({
      module: targetsModule(pkg),
      targets: targets.map((t) => ({ name: t.name, run: { seed: 1, executions: budget(t) } })),
      hangMs: 10_000,
      heapMb: 512,
    });
    expect(reports.map(({ target, executions, findings }) => ({ target, executions, findings }))).toEqual(
      targets.map((t) => ({ target: t.name, executions: budget(t), findings: [] })),
    );
  });

  test("the reply targets' seeds, good answers, carry each send through to the server's ack", async () => {
    const replies = CLIENT_TARGETS.filter((t) => t.name.endsWith('-reply'));
    expect(replies.map((t) => t.name)).toEqual([
      'client/usync-reply',
      'client/bundle-reply',
      'client/group-reply',
    ]);
    for (const target of replies) {
      const before = sendsAcked.count;
      const seeds = await target.seeds();
      for (const seed of seeds) await target.run(seed);
      expect(sendsAcked.count - before, target.name).toBe(seeds.length);
    }
  });

  test('every package that decodes untrusted bytes has targets', () => {
    const packages = new Set(TARGETS.map((t) => t.name.split('/')[0]));
    expect([...packages].sort()).toEqual([
      'binary-node',
      'client',
      'crypto',
      'features',
      'noise',
      'proto',
      'signal',
    ]);
  });
});

describe('the harness finds what it should', () => {
  test("a slow input, by its CPU time against the target's own limit", async () => {
    const { findings } = await fuzzTarget(planted('slow'), { seed: 1, executions: 300 });
    expect(findings.map((f) => f.kind)).toEqual(['slow']);
    expect(findings[0]!.input[0]).toBe(0x80);
    expect(findings[0]!.detail).toMatch(/^\d+ ms of CPU time \(limit 100 ms; \d+ ms on the wall clock\)$/);
  });

  test('an input slow only on the wall clock (kept off the CPU, as load does) is not a finding', async () => {
    blocked.count = 0;
    const { findings } = await fuzzTarget(planted('blocked'), { seed: 1, executions: 300 });
    expect(blocked.count).toBeGreaterThan(0);
    expect(findings).toEqual([]);
  });

  test('a foreign error, with the input that throws it', async () => {
    const target = planted('foreign');
    const { findings } = await fuzzTarget(target, { seed: 1, executions: 2_000 });
    expect(findings.map((f) => f.kind)).toEqual(['foreign-error']);
    expect(findings[0]!.input[0]).toBe(0x00);
    expect(findings[0]!.detail).toContain('TypeError');
    expect(() => target.run(findings[0]!.input)).toThrow(TypeError);
  });

  test('an error of ours of a kind the target does not allow', async () => {
    const { findings } = await fuzzTarget(planted('wrong-kind'), { seed: 1, executions: 2_000 });
    expect(findings.map((f) => f.kind)).toEqual(['wrong-kind']);
    expect(findings[0]!.input).toHaveLength(0);
  });

  test('a seed the target refuses', async () => {
    const { findings } = await fuzzTarget(planted('bad-seed'), { seed: 1, executions: 0 });
    expect(findings.map((f) => f.kind)).toEqual(['seed-rejected']);
  });

  // Budgets in inputs, not seconds: each trigger comes within a few hundred inputs of seed 1 however
  // slowly a loaded machine runs them. hangMs is the worker's own time (see hang-watch.ts).
  test.each([
    { kind: 'hang', target: 'planted/deadlock', trigger: 0xfd, hangMs: 2_000, heapMb: 256 },
    { kind: 'memory', target: 'planted/memory', trigger: 0xfe, hangMs: 10_000, heapMb: 64 },
  ])(
    'a $kind ($target), from outside the worker, naming the input',
    async ({ kind, target, trigger, hangMs, heapMb }) => {
      const reports = await superviseTargets({
        module: PLANTED_MODULE,
        targets: [{ name: target, run: { seed: 1, executions: 100_000 } }],
        hangMs,
        heapMb,
      });
      expect(reports.map((r) => r.findings.map((f) => f.kind))).toEqual([[kind]]);
      expect(reports[0]!.findings[0]!.input[0]).toBe(trigger);
    },
  );

  test("a busy hang in the second target of a worker: named for that target, after the first one's report", async () => {
    const reports = await superviseTargets({
      module: PLANTED_MODULE,
      targets: [
        { name: 'planted/foreign', run: { seed: 1, executions: 2_000 } },
        { name: 'planted/hang', run: { seed: 1, executions: 100_000 } },
      ],
      hangMs: 2_000,
      heapMb: 256,
    });
    expect(reports.map((r) => [r.target, r.findings.map((f) => f.kind)])).toEqual([
      ['planted/foreign', ['foreign-error']],
      ['planted/hang', ['hang']],
    ]);
    expect(reports[0]!.executions).toBe(2_000);
    expect(reports[1]!.findings[0]).toMatchObject({ target: 'planted/hang', input: expect.any(Uint8Array) });
    expect(reports[1]!.findings[0]!.input[0]).toBe(0xff);
  });

  test('an unhandled rejection, caught in a worker (in this thread it would fail the test run itself)', async () => {
    const [report] = (await superviseTargets({
      module: PLANTED_MODULE,
      targets: [{ name: 'planted/rejection', run: { seed: 1, executions: 5_000 } }],
      hangMs: 10_000,
      heapMb: 256,
    })) as [RunReport];
    expect(report.findings.map((f) => f.kind)).toEqual(['foreign-error']);
    expect(report.findings[0]!.input).toEqual(Uint8Array.of(0x01));
    expect(report.findings[0]!.detail).toContain(
      'unhandled rejection(s), the first: Error: planted: nobody handles this',
    );
  });

  test('the same seed gives the same inputs', () => {
    const corpus = [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)];
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 200 }, () => Buffer.from(nextInput(rng, corpus, 64)).toString('hex'));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((hex) => hex.length <= 128)).toBe(true);
  });
});

describe('the command line', () => {
  test('saves each finding with a replay command, exits 1, and the replay reproduces it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wakit-fuzz-'));
    // As `npm run fuzz` starts it, without relying on a tsx binary on the PATH.
    const cli = [
      '--import',
      'tsx',
      '--conditions=@wakit/source',
      'src/main.ts',
      '--module',
      PLANTED_MODULE,
      '--out',
      out,
    ];
    const cwd = new URL('..', import.meta.url).pathname;
    const fuzz = await run(
      process.execPath,
      [...cli, '--target', 'planted/foreign', '--executions', '2000', '--seed', '3'],
      { cwd },
    ).catch((error: { code: number; stdout: string }) => error);
    expect((fuzz as { code?: number }).code).toBe(1);
    expect((fuzz as { stdout: string }).stdout).toContain('planted/foreign: foreign-error');
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    const [bin, txt] = files as [string, string];
    expect(readFileSync(join(out, txt), 'utf8')).toContain(
      `--replay ${join(out, bin)} --target planted/foreign`,
    );
    const replay = await run(
      process.execPath,
      [...cli, '--replay', join(out, bin), '--target', 'planted/foreign'],
      { cwd },
    ).catch((error: { code: number; stdout: string }) => error);
    expect((replay as { code?: number }).code).toBe(1);
    expect((replay as { stdout: string }).stdout).toContain('FOREIGN error');
  });
});
