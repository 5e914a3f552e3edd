/**
 * better-sqlite3 is an optional peer dependency: `@wakit/client/sqlite` loads it when imported and,
 * when it is not installed, says so with a `MissingDependencyError` naming the command to run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isWakitError } from '@wakit/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { MissingDependencyError } from '../src/errors';
import { loadBetterSqlite3 } from '../src/sqlite/driver';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const outside = mkdtempSync(join(tmpdir(), 'wakit-no-sqlite-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('loading better-sqlite3', () => {
  it('loads the installed one', () => {
    const Database = loadBetterSqlite3();
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 6 * 7 AS answer').get()).toEqual({ answer: 42 });
    db.close();
  });

  it('without it, says to npm install it (Node resolving from a directory that lacks it)', () => {
    // A require that resolves from a temporary directory: no node_modules anywhere above it.
    const requireOutside = createRequire(join(outside, 'index.js'));
    let caught: unknown;
    try {
      loadBetterSqlite3(requireOutside);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingDependencyError);
    expect(isWakitError(caught, MissingDependencyError)).toBe(true);
    const error = caught as MissingDependencyError;
    expect(error).toMatchObject({ code: 'ERR_CLIENT_MISSING_DEPENDENCY', kind: 'local' });
    expect(error.dependency).toBe('better-sqlite3');
    expect(error.message).toContain('run `npm install better-sqlite3`');
    expect((error.cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
  });

  it('rethrows other failures as they are: a broken install is not a missing package', () => {
    const missingInner = Object.assign(
      new Error(
        "Cannot find module 'bindings'\nRequire stack:\n- /x/node_modules/better-sqlite3/lib/database.js",
      ),
      { code: 'MODULE_NOT_FOUND' },
    );
    const wrongAbi = Object.assign(new Error('was compiled against a different Node.js version'), {
      code: 'ERR_DLOPEN_FAILED',
    });
    for (const failure of [missingInner, wrongAbi]) {
      expect(() =>
        loadBetterSqlite3(() => {
          throw failure;
        }),
      ).toThrow(failure);
    }
  });

  it('importing @wakit/client/sqlite without it fails with that message, in a child process', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--require',
        fileURLToPath(new URL('./fixtures/hide-better-sqlite3.cjs', import.meta.url)),
        '--conditions=@wakit/source',
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/import-sqlite-entry.ts', import.meta.url)),
      ],
      { cwd: PACKAGE_DIR },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, string>;
    expect(result).toMatchObject({
      name: 'MissingDependencyError',
      code: 'ERR_CLIENT_MISSING_DEPENDENCY',
      dependency: 'better-sqlite3',
    });
    expect(result.message).toContain('npm install better-sqlite3');
  });

  it('the same child without the preload imports the entry (the fixture itself works)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@wakit/source',
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/import-sqlite-entry.ts', import.meta.url)),
      ],
      { cwd: PACKAGE_DIR },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ loaded: 'function' });
  });
});
