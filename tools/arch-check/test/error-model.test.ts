/**
 * The error model's conformance (docs/architecture.md, Errors): imports every public entry of every
 * package, collects every exported class that extends Error, and checks the tree they form.
 * - Every one extends WakitError from @wakit/errors: no package has a base of its own any more.
 * - Its kind is its branch: under RemoteProtocolError 'remote', LocalProtocolError 'local',
 *   IoError 'io'; only those three classes set a kind.
 * - Every concrete class has its own static code `ERR_…`, and no two classes share one; an
 *   exported class without a code is an abstract base that some exported class extends.
 * - Every package's root entry re-exports all of @wakit/errors (the lists are written out, for
 *   bundlers that lose `export *` of an external module when splitting chunks).
 * And in the sources: library code throws no plain `Error`, and no class declares `code`/`kind` as
 * instance fields (they come from the statics, so a field would hide them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IoError, LocalProtocolError, RemoteProtocolError, WakitError } from '@wakit/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageEntries } from '../src/entries';
import { plainErrorsIn } from '../src/scan';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BRANCHES = [
  [RemoteProtocolError, 'remote'],
  [LocalProtocolError, 'local'],
  [IoError, 'io'],
] as const;
const ROOTS = new Set<unknown>([WakitError, ...BRANCHES.map(([branch]) => branch)]);

type ErrorClass = (abstract new (...args: never[]) => Error) & { code?: unknown; kind?: unknown };

/** Every exported class extending Error, with the entries that export it. */
async function exportedErrorClasses(): Promise<Map<ErrorClass, string[]>> {
  const classes = new Map<ErrorClass, string[]>();
  for (const entry of packageEntries(ROOT)) {
    const module = (await import(entry.specifier)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      const type = value as ErrorClass;
      classes.set(type, [...(classes.get(type) ?? []), entry.specifier]);
    }
  }
  return classes;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.split(/[\\/]/).includes('gen'))
    .map((file) => join(dir, file));
}

const packageSources = () =>
  readdirSync(join(ROOT, 'packages')).flatMap((name) => sourceFiles(join(ROOT, 'packages', name, 'src')));

describe('the error model', () => {
  let classes: Map<ErrorClass, string[]>;
  beforeAll(async () => {
    classes = await exportedErrorClasses();
  });

  it('finds the error classes of every package (the walk reaches them)', () => {
    const codes = [...classes.keys()].map((type) => type.code);
    for (const expected of [
      'ERR_BINARY_EOF',
      'ERR_PROTO_DECODE',
      'ERR_CRYPTO_DECRYPT',
      'ERR_NOISE_DECRYPT',
    ]) {
      expect(codes).toContain(expected);
    }
    for (const expected of ['ERR_SIGNAL_BAD_MAC', 'ERR_CLIENT_IQ', 'ERR_SERVER_PAIRING', 'ERR_TIMEOUT']) {
      expect(codes).toContain(expected);
    }
  });

  it('builds every exported error class on WakitError', () => {
    const foreign = [...classes].filter(
      ([type]) => !(type.prototype instanceof WakitError) && type !== WakitError,
    );
    expect(foreign.map(([type, from]) => `${type.name} (${from.join(', ')})`)).toEqual([]);
  });

  it('gives every class the kind of its branch, and lets only the branches set one', () => {
    const wrong: string[] = [];
    for (const type of classes.keys()) {
      if (type === WakitError) continue;
      const branches = BRANCHES.filter(([branch]) => type === branch || type.prototype instanceof branch);
      if (branches.length !== 1) wrong.push(`${type.name}: under ${branches.length} branches`);
      else if (type.kind !== branches[0]![1])
        wrong.push(`${type.name}: kind ${String(type.kind)} under ${branches[0]![0].name}`);
      if (Object.hasOwn(type, 'kind') && !ROOTS.has(type)) wrong.push(`${type.name}: sets its own kind`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives every concrete class a code of its own, ERR_ and unique across packages', () => {
    const byCode = new Map<string, string[]>();
    for (const type of classes.keys()) {
      if (!Object.hasOwn(type, 'code')) continue;
      expect(type.code, type.name).toMatch(/^ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
      byCode.set(type.code as string, [...(byCode.get(type.code as string) ?? []), type.name]);
    }
    expect([...byCode].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it('exports a class without a code only as a base that another exported class extends', () => {
    const all = [...classes.keys()];
    const codeless = all.filter((type) => !Object.hasOwn(type, 'code') && !ROOTS.has(type));
    const orphans = codeless.filter(
      (base) => !all.some((type) => type.prototype instanceof base && Object.hasOwn(type, 'code')),
    );
    expect(orphans.map((type) => type.name)).toEqual([]);
  });

  it('is re-exported whole, as the same objects, by the root entry of every package', async () => {
    const shared = (await import('@wakit/errors')) as Record<string, unknown>;
    const incomplete: string[] = [];
    for (const entry of packageEntries(ROOT).filter((e) => e.subpath === '.' && e.packageDir !== 'errors')) {
      const module = (await import(entry.specifier)) as Record<string, unknown>;
      const missing = Object.keys(shared).filter((name) => module[name] !== shared[name]);
      if (missing.length > 0) incomplete.push(`${entry.specifier}: ${missing.join(', ')}`);
    }
    expect(incomplete).toEqual([]);
  });

  it('puts code and kind on every instance, from the class', () => {
    // One instance per branch is enough: the base constructor is the only place that sets them.
    class Probe extends RemoteProtocolError {
      static override readonly code = 'ERR_PROBE';
    }
    expect(new Probe('x')).toMatchObject({ code: 'ERR_PROBE', kind: 'remote', name: 'Probe' });
  });
});

describe('library sources', () => {
  it('throw no plain Error (TypeError/RangeError for argument checks, our classes for the rest)', () => {
    const found = packageSources().flatMap((file) =>
      plainErrorsIn(readFileSync(file, 'utf8')).map((line) => `${relative(ROOT, file)}:${line}`),
    );
    expect(found).toEqual([]);
  });

  it('declare code and kind only as statics', () => {
    const found = packageSources().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /^\s+(?:override\s+)?readonly (code|kind)\s*=/.test(line)
            ? [`${relative(ROOT, file)}:${i + 1}`]
            : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('the plain-Error scan sees constructions and calls, not comments, strings or instanceof', () => {
    const source = [
      "throw new Error('a');", // 1: found
      "const e = Error('b');", // 2: found
      '// new Error(c) in a comment',
      "const s = 'new Error(d)';",
      'if (x instanceof Error) {}',
      'class E extends Error {}',
      'foo.Error(1);',
    ].join('\n');
    expect(plainErrorsIn(source)).toEqual([1, 2]);
  });
});
