#!/usr/bin/env node
/**
 * Completes package-lock.json with the platform binaries npm leaves out, so `npm ci` accepts it.
 *
 * Why: the registry these machines use serves only the current platform's binaries (darwin, win32,
 * android, musl... answer 404). `npm install` then writes no lock entry for those optional
 * dependencies of esbuild's peers (rollup, turbo, biome, buf), and `npm ci` rejects the very
 * lockfile it wrote ("Missing: @rollup/rollup-darwin-arm64@ from lock file"; npm/cli#9846). This
 * adds an entry with the version and the os/cpu/libc read from the package name for each missing
 * optional dependency; `npm ci` then skips them on other platforms, as it would with full entries.
 *
 * Runs as the root `postinstall`; rewrites the lockfile only when something was missing. Plain
 * JavaScript with no dependencies, so it runs before anything else is installed.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const OS = {
  android: 'android',
  darwin: 'darwin',
  linux: 'linux',
  win32: 'win32',
  windows: 'win32',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  sunos: 'sunos',
  aix: 'aix',
  openharmony: 'openharmony',
};
const CPU = {
  arm64: 'arm64',
  aarch64: 'arm64',
  x64: 'x64',
  64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  armv7: 'arm',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  mips64el: 'mips64el',
};
const LIBC = { musl: 'musl', musleabihf: 'musl', gnu: 'glibc', gnueabihf: 'glibc' };

/** os, cpu and libc of a platform package, from names like `@rollup/rollup-linux-arm-musleabihf`. */
export function platformOf(name) {
  const tokens = name.replace(/^@[^/]+\//, '').split('-');
  const pick = (table) => tokens.map((t) => table[t]).find((v) => v !== undefined);
  const os = pick(OS);
  const cpu = pick(CPU);
  const libc = os === 'linux' ? pick(LIBC) : undefined;
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}), ...(libc ? { libc: [libc] } : {}) };
}

/** Lock keys where Node would find `dep` when required from the package at `key`. */
function lookupPath(key, dep) {
  const keys = [];
  let at = key;
  for (;;) {
    keys.push(`${at ? `${at}/` : ''}node_modules/${dep}`);
    if (at === '') return keys;
    const nested = at.lastIndexOf('/node_modules/');
    at = nested >= 0 ? at.slice(0, nested) : '';
  }
}

/** Adds the missing entries to a parsed lockfile; returns the names added. */
export function completeOptional(lock) {
  const packages = lock.packages ?? {};
  const added = [];
  for (const [key, entry] of Object.entries(packages)) {
    for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      const exact = /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec);
      const candidates = lookupPath(key, dep);
      // Node takes the first match on the lookup path; it must be the version asked for.
      const found = candidates.find((k) => k in packages);
      if (found && (!exact || packages[found].version === spec)) continue;
      const target = found ? candidates[0] : candidates.at(-1);
      packages[target] = {
        ...(exact ? { version: spec } : {}),
        ...(entry.dev ? { dev: true } : {}),
        optional: true,
        ...platformOf(dep),
      };
      added.push(dep);
    }
  }
  // npm orders lock entries this way; matching it keeps the next `npm install` from reshuffling them.
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b, 'en')));
  return added;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../../package-lock.json', import.meta.url);
  let lock;
  try {
    lock = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    process.exit(0); // no lockfile yet (e.g. `npm install --no-package-lock`)
  }
  const added = completeOptional(lock);
  if (added.length > 0) {
    writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(
      `package-lock.json: added ${added.length} platform binaries the registry does not serve here`,
    );
  }
}
