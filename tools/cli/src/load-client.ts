/**
 * The real client factory and store opener, loaded on first use: only the device commands need
 * Noise, Signal, the WebSocket library and the native SQLite module, and `wakit qr` or `--help` should not wait
 * for them.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CreateClient, OpenStore } from './client-contract';
import { UsageError } from './errors';

/** `createClient` of @wakit/client behind a dynamic import; see {@link CreateClient}. */
export const createClientLazily: CreateClient = async (options) => {
  const { createClient } = await import('@wakit/client');
  return createClient(options);
};

/** `openSqliteStore` of @wakit/client/sqlite behind a dynamic import; see {@link OpenStore}. */
export const openStoreLazily: OpenStore = async (path, options = {}) => {
  const command = options.command ?? 'link';
  // SQLite creates the file but not its directory, and better-sqlite3 reports that as a bare
  // TypeError with no code: a mistyped --store path, not a bug, so it gets a usage message.
  const directory = dirname(resolve(path));
  if (!existsSync(directory)) {
    throw new UsageError(`--store ${path}: the directory ${directory} does not exist`, command);
  }
  if (options.mustExist && !existsSync(path)) {
    throw new UsageError(
      `--store ${path}: no such file; link a device into it first with \`wakit link --store ${path}\``,
      command,
    );
  }
  const { openSqliteStore } = await import('@wakit/client/sqlite');
  return openSqliteStore(path);
};
