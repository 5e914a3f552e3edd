/**
 * Loading better-sqlite3, the one module of `@wakit/client/sqlite` that is not ours. It is an
 * optional peer dependency: a user of the memory store (or of another backend) never installs it,
 * so never compiles its native addon. A user of this entry who did not install it gets, when the
 * entry is imported, a `MissingDependencyError` saying what to run, instead of Node's bare
 * "Cannot find module". Loaded with `require` (better-sqlite3 is CommonJS) through `createRequire`,
 * which resolves from this file as a static import would, in the ESM and the CJS build alike.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { MissingDependencyError } from '../errors';

/** The better-sqlite3 `Database` class. */
export type DatabaseClass = typeof BetterSqlite3;

/** An open better-sqlite3 database. */
export type SqliteDatabase = BetterSqlite3.Database;

const PACKAGE = 'better-sqlite3';

/**
 * Loads better-sqlite3 with `load` (default: `require` resolving from this file).
 *
 * @throws MissingDependencyError when better-sqlite3 itself cannot be found; any other failure
 *   (a native addon built for another Node version, a broken install) is rethrown as it is.
 */
export function loadBetterSqlite3(
  load: (id: string) => unknown = createRequire(import.meta.url),
): DatabaseClass {
  try {
    return load(PACKAGE) as DatabaseClass;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new MissingDependencyError(
      PACKAGE,
      `@wakit/client/sqlite needs the optional peer dependency ${PACKAGE}, which is not installed: ` +
        `run \`npm install ${PACKAGE}\` (it builds a native addon; see the @wakit/client README)`,
      { cause: error },
    );
  }
}

/**
 * True when `error` says that better-sqlite3 itself was not found. Node's message names the
 * missing module first (`Cannot find module 'better-sqlite3'`); a module better-sqlite3 requires
 * that is missing is a broken install, which the same advice would not fix.
 */
function isNotFound(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' || typeof message !== 'string') return false;
  return message.split('\n', 1)[0]!.endsWith(`'${PACKAGE}'`);
}

/** better-sqlite3's `Database`, loaded when this entry is imported. */
export const Database: DatabaseClass = loadBetterSqlite3();
