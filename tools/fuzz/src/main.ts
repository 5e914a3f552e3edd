/**
 * `npm run fuzz`: mutation fuzzing of every decoder that reads untrusted bytes (see `target.ts` for
 * the contract and `targets/` for what is covered). Each target runs in a worker for `--time`
 * seconds or `--executions` inputs, whichever ends first; findings are printed and saved as `<out>/<target>-<kind>-<hash>.bin` (the input) and
 * `.txt` (what happened, and how to replay it). Exits 1 when anything was found.
 *
 *   npm run fuzz                                  every target, 30 s each, a random seed
 *   npm run fuzz -- --target signal --time 300    targets whose name contains "signal"
 *   npm run fuzz -- --seed 7 --executions 5000    reproduce a run: the same inputs, on any machine
 *   npm run fuzz -- --replay findings/x.bin --target signal/msg
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Finding, RunReport } from './run';
import { superviseTargets } from './supervise';
import { type FuzzTarget, kindOf } from './target';

const { values } = parseArgs({
  options: {
    // Default 30, unless --executions alone sets the budget.
    time: { type: 'string' },
    executions: { type: 'string' },
    target: { type: 'string', multiple: true },
    seed: { type: 'string' },
    'max-length': { type: 'string', default: '4096' },
    'hang-ms': { type: 'string', default: '10000' },
    'heap-mb': { type: 'string', default: '512' },
    out: { type: 'string', default: join(import.meta.dirname, '..', 'findings') },
    module: { type: 'string', default: new URL('./targets/index.ts', import.meta.url).href },
    replay: { type: 'string' },
  },
});

const moduleUrl = values.module.includes('://') ? values.module : pathToFileURL(resolve(values.module)).href;
const all = (await import(moduleUrl)).TARGETS as readonly FuzzTarget[];
const selected = all.filter(
  (t) => values.target === undefined || values.target.some((part) => t.name.includes(part)),
);
if (selected.length === 0) {
  console.error(
    `no target matches ${values.target?.join(', ')}; targets: ${all.map((t) => t.name).join(', ')}`,
  );
  process.exit(2);
}

if (values.replay !== undefined) {
  process.exitCode = await replay(selected[0]!, new Uint8Array(readFileSync(values.replay)));
} else {
  process.exitCode = await fuzzAll();
}

async function replay(target: FuzzTarget, input: Uint8Array): Promise<number> {
  console.log(`replaying ${input.length} bytes on ${target.name}`);
  await target.seeds();
  try {
    await target.run(input);
    console.log('returned normally');
    return 0;
  } catch (error) {
    const kind = kindOf(error);
    console.log(kind === undefined ? 'FOREIGN error:' : `typed ${kind} error:`, error);
    return kind !== undefined && (target.kinds ?? ['remote']).includes(kind) ? 0 : 1;
  }
}

async function fuzzAll(): Promise<number> {
  const seed = values.seed === undefined ? Date.now() >>> 0 : Number(values.seed);
  const time = values.time ?? (values.executions === undefined ? '30' : undefined);
  const budget = {
    ...(time === undefined ? {} : { timeMs: Number(time) * 1000 }),
    ...(values.executions === undefined ? {} : { executions: Number(values.executions) }),
  };
  const limits = [time && `${time} s`, values.executions && `${values.executions} inputs`].filter(Boolean);
  console.log(`seed ${seed}, ${limits.join(' or ')} per target, ${selected.length} targets`);
  const findings: Finding[] = [];
  for (const target of selected) {
    // A worker per target: a hang or a heap blow-up ends only that target's run.
    const [report] = (await superviseTargets({
      module: moduleUrl,
      targets: [{ name: target.name, run: { seed, ...budget, maxLength: Number(values['max-length']) } }],
      hangMs: Number(values['hang-ms']),
      heapMb: Number(values['heap-mb']),
    })) as [RunReport];
    const rate = report.executions / (report.elapsedMs / 1000);
    console.log(
      `${target.name.padEnd(34)} ${String(report.executions).padStart(9)} inputs ${rate.toFixed(0).padStart(7)}/s  ${report.findings.length === 0 ? 'ok' : `${report.findings.length} FINDINGS`}`,
    );
    findings.push(...report.findings);
  }
  for (const finding of findings) save(finding, seed);
  if (findings.length > 0) console.log(`\n${findings.length} findings saved in ${values.out}`);
  return findings.length === 0 ? 0 : 1;
}

function save(finding: Finding, seed: number): void {
  mkdirSync(values.out, { recursive: true });
  const hash = createHash('sha1').update(finding.input).digest('hex').slice(0, 10);
  const base = join(values.out, `${finding.target.replaceAll('/', '_')}-${finding.kind}-${hash}`);
  writeFileSync(`${base}.bin`, finding.input);
  writeFileSync(
    `${base}.txt`,
    `${finding.target}: ${finding.kind} (seed ${seed})\n${finding.detail}\n\nreplay: npm run fuzz -w @wakit/fuzz -- --replay ${base}.bin --target ${finding.target}\n`,
  );
  console.log(
    `\n${finding.target}: ${finding.kind}\n  input ${Buffer.from(finding.input.subarray(0, 48)).toString('hex')}${finding.input.length > 48 ? '…' : ''}\n  ${finding.detail.split('\n').slice(0, 4).join('\n  ')}`,
  );
}
