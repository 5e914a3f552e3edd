/**
 * The architecture check: for every package under packages/, its src/ imports follow RULES and
 * its package.json declares what it imports; portable packages use no Node built-ins; package.json
 * files have the shape docs/architecture.md and docs/style.md require (ESM, sideEffects false, types first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { NODE_ONLY_GLOBALS, RULES } from './rules';
import { identifiersIn, importsOf } from './scan';

interface PackageJson {
  name?: string;
  type?: string;
  sideEffects?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
  engines?: { node?: string };
}

const NODE_BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(packageOf(specifier));
}

function exempt(rel: string, except: readonly string[]): boolean {
  return except.some((e) => (e.endsWith('/') ? rel.startsWith(e) : rel === e));
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function checkPackageJson(name: string, pkg: PackageJson, nodeFloor: string | undefined): string[] {
  const problems: string[] = [];
  // One Node floor for the whole repository, the root's: a user should not have to find out which
  // package of a stack needs the newest Node.
  if (pkg.engines?.node !== nodeFloor) {
    problems.push(`package.json engines.node is ${pkg.engines?.node}, expected the root's ${nodeFloor}`);
  }
  if (pkg.name !== `@wakit/${name}` && !(name === 'wakit' && pkg.name === 'wakit')) {
    problems.push(`package.json name is ${pkg.name}, expected @wakit/${name}`);
  }
  if (pkg.type !== 'module') problems.push('package.json must have "type": "module"');
  if (pkg.sideEffects !== false) problems.push('package.json must have "sideEffects": false');
  const root = pkg.exports?.['.'] as Record<string, unknown> | undefined;
  if (!root) problems.push('package.json needs an exports map with "."');
  for (const condition of ['import', 'require']) {
    const target = root?.[condition] as Record<string, unknown> | undefined;
    if (!target || Object.keys(target)[0] !== 'types') {
      problems.push(`exports["."].${condition} must list "types" first`);
    }
  }
  return problems;
}

/** Every violation in the repository at `root`, as `package: problem` lines. */
export function checkRepository(root: string): string[] {
  const problems: string[] = [];
  const packagesDir = join(root, 'packages');
  const nodeFloor = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson).engines
    ?.node;
  const license = readIfExists(join(root, 'LICENSE'));
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const name = entry.name;
    const say = (p: string) => problems.push(`${name}: ${p}`);
    const rule = RULES[name];
    if (!rule) {
      say('not in tools/arch-check/src/rules.ts; give it a place in the dependency graph first');
      continue;
    }
    const dir = join(packagesDir, name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const problem of checkPackageJson(name, pkg, nodeFloor)) say(problem);
    // npm publishes a package's own LICENSE file, not the repository's: each carries a copy.
    if (license !== undefined && readIfExists(join(dir, 'LICENSE')) !== license) {
      say("LICENSE is missing or differs from the repository's");
    }
    const declared = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const srcDir = join(dir, 'src');

    for (const file of sourceFiles(srcDir)) {
      const rel = relative(srcDir, file);
      const source = readFileSync(file, 'utf8');
      const portable = rule.portable !== false && !exempt(rel, rule.portable.except);
      for (const specifier of importsOf(source)) {
        if (specifier.startsWith('.')) {
          const target = relative(srcDir, join(file, '..', specifier));
          if (target.startsWith('..')) say(`src/${rel} imports ${specifier}, outside its own src/`);
          continue;
        }
        if (isNodeBuiltin(specifier)) {
          if (portable)
            say(`src/${rel} imports ${specifier}; this package must stay portable (no Node built-ins)`);
          continue;
        }
        const dependency = packageOf(specifier);
        if (dependency.startsWith('@wakit/')) {
          const other = dependency.slice('@wakit/'.length);
          if (!rule.internal.includes(other)) {
            say(`src/${rel} imports ${dependency}, against docs/architecture.md's dependency direction`);
          }
        }
        if (!declared.has(dependency))
          say(`src/${rel} imports ${dependency}, which package.json does not declare in dependencies`);
      }
      if (portable) {
        for (const id of new Set(identifiersIn(source, new Set(NODE_ONLY_GLOBALS)))) {
          say(`src/${rel} uses the Node-only global ${id}; this package must stay portable`);
        }
      }
    }
  }
  return problems;
}
