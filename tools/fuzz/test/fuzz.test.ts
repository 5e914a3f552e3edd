import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { nextInput } from '../src/mutate';
import { Rng } from '../src/rng';
import { fuzzTarget } from '../src/run';
import { superviseTarget } from '../src/supervise';
import { TARGETS } from '../src/targets/index';
import { TARGETS as PLANTED } from './planted-targets';

const planted = (name: string) => PLANTED.find((t) => t.name === `planted/${name}`)!;
const PLANTED_MODULE = new URL('./planted-targets.ts', import.meta.url).href;
const run = promisify(execFile);

describe('every target holds the contract', () => {
  // The smoke run of `npm test`; `npm run fuzz` runs the same targets for minutes.
  test.each(TARGETS.map((t) => [t.name, t] as const))(
    '%s: a smoke run of mutated inputs, no findings',
    async (_, target) => {
      const executions = target.smokeExecutions ?? 1_000;
      const report = await fuzzTarget(target, { seed: 1, executions });
      expect(report.findings).toEqual([]);
      expect(report.executions).toBe(executions);
    },
  );

  test('every package that decodes untrusted bytes has targets', () => {
    const packages = new Set(TARGETS.map((t) => t.name.split('/')[0]));
    expect([...packages].sort()).toEqual(['binary-node', 'client', 'crypto', 'noise', 'signal']);
  });
});

describe('the harness finds what it should', () => {
  test("a slow input, against the target's own limit", async () => {
    const { findings } = await fuzzTarget(planted('slow'), { seed: 1, executions: 300 });
    expect(findings.map((f) => f.kind)).toEqual(['slow']);
    expect(findings[0]!.input[0]).toBe(0x80);
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

  test.each([
    { kind: 'hang', target: 'planted/hang', trigger: 0xff, hangMs: 2_000, heapMb: 256 },
    { kind: 'memory', target: 'planted/memory', trigger: 0xfe, hangMs: 10_000, heapMb: 64 },
  ])(
    'a $kind, from outside the worker, naming the input',
    async ({ kind, target, trigger, hangMs, heapMb }) => {
      const report = await superviseTarget({
        module: PLANTED_MODULE,
        target,
        run: { seed: 1, timeMs: 20_000 },
        hangMs,
        heapMb,
      });
      expect(report.findings.map((f) => f.kind)).toEqual([kind]);
      expect(report.findings[0]!.input[0]).toBe(trigger);
    },
  );

  test('an unhandled rejection, caught in a worker (in this thread it would fail the test run itself)', async () => {
    const report = await superviseTarget({
      module: PLANTED_MODULE,
      target: 'planted/rejection',
      run: { seed: 1, executions: 5_000 },
      hangMs: 10_000,
      heapMb: 256,
    });
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
      [...cli, '--target', 'planted/foreign', '--time', '1', '--seed', '3'],
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
