/**
 * Every public entry point of every package: the subpaths of its package.json `exports` map, each
 * with the source file its `@wakit/source` condition names (what the workspace resolves to).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One import specifier a user can write, and the source file behind it. */
export interface PackageEntry {
  /** `@wakit/client`, `@wakit/client/sqlite`... */
  readonly specifier: string;
  /** The package directory's name under packages/. */
  readonly packageDir: string;
  /** The subpath in the exports map: `.`, `./sqlite`... */
  readonly subpath: string;
  /** Absolute path of the entry's source file. */
  readonly file: string;
}

/** The entries of every package under `root/packages`, in a stable order. */
export function packageEntries(root: string): PackageEntry[] {
  const entries: PackageEntry[] = [];
  const packagesDir = join(root, 'packages');
  for (const dir of readdirSync(packagesDir).sort()) {
    const manifest = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const source = (target as Record<string, unknown> | string)?.['@wakit/source' as never];
      if (typeof source !== 'string') continue; // ./package.json and other non-code entries
      entries.push({
        specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
        packageDir: dir,
        subpath,
        file: join(packagesDir, dir, source),
      });
    }
  }
  return entries;
}
