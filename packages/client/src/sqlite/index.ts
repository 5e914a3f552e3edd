/**
 * @packageDocumentation
 * `@wakit/client/sqlite`: the embedded default store, one SQLite file per device (better-sqlite3,
 * WAL, `synchronous=FULL`, schema migrations, a cross-process lease).
 *
 * @example
 * import { openSqliteStore } from '@wakit/client/sqlite';
 * const store = openSqliteStore('device.db');
 */
export { StoreVersionError } from '../errors';
export { SCHEMA_VERSION } from './migrations';
export {
  openSqliteStore,
  SQLITE_BUSY_TIMEOUT_MS,
  SqliteStore,
  type SqliteStoreOptions,
} from './sqlite-store';
