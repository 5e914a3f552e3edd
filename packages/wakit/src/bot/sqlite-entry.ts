/**
 * Loads `@wakit/client/sqlite` when a bot first needs it, not when `wakit` is imported:
 * better-sqlite3 is a native addon that a user of `createClient` alone never loads.
 *
 * The CommonJS build requires it, so the store comes from the same (CommonJS) copy of
 * `@wakit/client` as the client; an `import()` there would load the ES module copy beside it, whose
 * error classes are different objects (`instanceof StoreInUseError` would fail).
 */
type SqliteEntry = typeof import('@wakit/client/sqlite');

export function loadSqliteEntry(): Promise<SqliteEntry> {
  // `module`, not `require`: the ES module build rewrites `require` into a shim that throws, and
  // leaves `module` alone. Vitest's module runner has a `module` without `require`.
  if (typeof module !== 'undefined' && typeof module.require === 'function') {
    return Promise.resolve(module.require('@wakit/client/sqlite') as SqliteEntry);
  }
  return import('@wakit/client/sqlite');
}
