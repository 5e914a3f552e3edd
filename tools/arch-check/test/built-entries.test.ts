/**
 * After `npm install` a user's own script can import any package by name: the root `postinstall`
 * builds every package (turbo), and this test loads each entry the way such a script does, from a
 * plain `node` with no source condition, as ESM and as CommonJS. Each must export exactly the names
 * its source entry exports, so a stale or partial dist/ fails here rather than in a user's hands.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageEntries } from '../src/entries';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRIES = packageEntries(ROOT);
const SPECIFIERS = ENTRIES.map((e) => e.specifier);

/** Runs `script` in a plain node (no conditions) from the repository root; its stdout as JSON. */
function runNode(args: string[], script: string): Record<string, string[]> {
  const result = spawnSync(process.execPath, [...args, script, JSON.stringify(SPECIFIERS)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (result.status !== 0) throw new Error(`node exited ${result.status}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string[]>;
}

const ESM = `
const out = {};
for (const s of JSON.parse(process.argv[1])) out[s] = Object.keys(await import(s)).sort();
console.log(JSON.stringify(out));`;
const CJS = `
const out = {};
for (const s of JSON.parse(process.argv[1])) out[s] = Object.keys(require(s)).filter((k) => k !== 'default').sort();
console.log(JSON.stringify(out));`;

describe('the built packages', () => {
  const fromSource: Record<string, string[]> = {};
  beforeAll(async () => {
    for (const s of SPECIFIERS) fromSource[s] = Object.keys(await import(s)).sort();
  });

  it('load by name as ESM, with the names of their sources', () => {
    expect(runNode(['--input-type=module', '-e'], ESM)).toEqual(fromSource);
  });

  it('load by name with require(), with the names of their sources', () => {
    expect(runNode(['-e'], CJS)).toEqual(fromSource);
  });
});
