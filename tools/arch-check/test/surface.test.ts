/**
 * One name, one meaning across the monorepo: the `wakit` facade re-exports every package side by
 * side, so two entries may export one name only when it is the same declaration.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageEntries } from '../src/entries';
import { nameClashes } from '../src/surface';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'surface-check-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const manifest = (name: string, subpaths: Record<string, string>) =>
  JSON.stringify({
    name: `@wakit/${name}`,
    exports: Object.fromEntries(
      Object.entries(subpaths).map(([subpath, file]) => [
        subpath,
        { '@wakit/source': file, import: './dist/x.js' },
      ]),
    ),
  });

describe('exported names', () => {
  it('lists every entry of every package, subpaths included', () => {
    const specifiers = packageEntries(ROOT).map((e) => e.specifier);
    for (const expected of [
      '@wakit/errors',
      '@wakit/client',
      '@wakit/client/sqlite',
      '@wakit/crypto/node',
      '@wakit/noise/testing',
      '@wakit/server/internal',
    ]) {
      expect(specifiers).toContain(expected);
    }
  });

  it('mean one thing across every package entry', () => {
    const clashes = nameClashes(ROOT, packageEntries(ROOT));
    expect(
      clashes.map(
        (c) =>
          `${c.name}: ${c.meanings.map((m) => `${m.specifiers.join('+')} (${m.declaration})`).join(' vs ')}`,
      ),
    ).toEqual([]);
  });

  it('finds a name two packages declare apart, and accepts one re-exported as is', () => {
    const root = repo({
      'packages/a/package.json': manifest('a', { '.': './src/index.ts', './extra': './src/extra.ts' }),
      'packages/a/src/index.ts': "export const SERVER_JID = 's.whatsapp.net';\nexport class Shared {}\n",
      'packages/a/src/extra.ts': "export { Shared } from './index';\nexport type Only = number;\n",
      'packages/b/package.json': manifest('b', { '.': './src/index.ts' }),
      'packages/b/src/index.ts':
        "export const SERVER_JID = { user: '', server: 's.whatsapp.net' };\nexport { Shared } from '../../a/src/index';\n",
    });
    const clashes = nameClashes(root, packageEntries(root));
    expect(clashes.map((c) => c.name)).toEqual(['SERVER_JID']);
    expect(clashes[0]!.meanings.map((m) => m.specifiers)).toEqual([['@wakit/a'], ['@wakit/b']]);
  });
});
