/**
 * The root entry `@wakit/client`: what it loads and what it exports. better-sqlite3 (an optional
 * peer dependency with a native addon) must stay behind `@wakit/client/sqlite`, and internals that
 * only this package's tests use must stay out of the user API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index';

const SRC = new URL('../src/', import.meta.url);

/** The package's own source files in the import graph of `entry` (bundled by esbuild, packages external). */
async function graphOf(entry: string): Promise<{ files: string[]; external: string[] }> {
  const result = await build({
    entryPoints: [new URL(entry, SRC).pathname],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  return {
    files: Object.keys(inputs).map((path) => path.slice(path.indexOf('src/'))),
    external: Object.values(inputs).flatMap((input) =>
      input.imports.filter((i) => i.external).map((i) => i.path),
    ),
  };
}

describe('@wakit/client (src/index.ts)', () => {
  it('never loads better-sqlite3: no module of src/sqlite/ is in its import graph', async () => {
    const rootGraph = await graphOf('index.ts');
    expect(rootGraph.files).toContain('src/client.ts');
    expect(rootGraph.files.filter((file) => file.startsWith('src/sqlite/'))).toEqual([]);
    expect(rootGraph.external).not.toContain('better-sqlite3');
    // The same walk does see the loader from the SQLite entry.
    expect((await graphOf('sqlite/index.ts')).files).toContain('src/sqlite/driver.ts');
  });

  it('src/sqlite/driver.ts is the only module that loads better-sqlite3 (others import its types)', () => {
    const loaders = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => {
        const code = readFileSync(new URL(file, SRC), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\/\/.*$/gm, '')
          .replace(/^import type .*$/gm, '');
        return code.includes("'better-sqlite3'");
      });
    expect(loaders).toEqual(['sqlite/driver.ts']);
  });

  it('exports the defaults users configure against (browser, version, keepalive, reconnect)', () => {
    expect(root.DEFAULT_BROWSER).toEqual(['Mac OS', 'Chrome']);
    expect(root.DEFAULT_WA_VERSION).toHaveLength(3);
    expect(root.KEEPALIVE_MAX_SILENCE_MS).toBe(180_000);
    expect(root.DEFAULT_RECONNECT_BASE_DELAY_MS).toBe(2_000);
  });

  it('exports no internals that only the package itself and its tests use', () => {
    for (const name of [
      'nextState',
      'TRANSITIONS',
      'decideConnectFailure',
      'decideStreamError',
      'reconnectDelay',
      'resolveReconnectPolicy',
    ]) {
      expect(root, name).not.toHaveProperty(name);
    }
  });
});
