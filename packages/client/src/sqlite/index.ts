/**
 * @packageDocumentation
 * `@wakit/client/sqlite`: the embedded default store, one SQLite file per device (better-sqlite3,
 * WAL, `synchronous=FULL`, schema migrations, a cross-process lease). better-sqlite3 is an optional
 * peer dependency: install it next to `@wakit/client` (`npm install better-sqlite3`); importing
 * this entry without it throws `MissingDependencyError` (code `ERR_CLIENT_MISSING_DEPENDENCY`).
 *
 * @example
 * import { openSqliteStore } from '@wakit/client/sqlite';
 * const store = openSqliteStore('device.db');
 */
export { MissingDependencyError, StoreVersionError } from '../errors';
export { SCHEMA_VERSION } from './migrations';
export {
  openSqliteStore,
  SQLITE_BUSY_TIMEOUT_MS,
  SqliteStore,
  type SqliteStoreOptions,
} from './sqlite-store';
