/**
 * The real client factory and store opener, loaded on first use: only `wakit link` needs Noise,
 * Signal, undici and the native SQLite module, and `wakit qr` or `--help` should not wait for them.
 */
import type { CreateClient, OpenStore } from './client-contract';

/** `createClient` of @wakit/client behind a dynamic import; see {@link CreateClient}. */
export const createClientLazily: CreateClient = async (options) => {
  const { createClient } = await import('@wakit/client');
  return createClient(options);
};

/** `openSqliteStore` of @wakit/client/sqlite behind a dynamic import; see {@link OpenStore}. */
export const openStoreLazily: OpenStore = async (path) => {
  const { openSqliteStore } = await import('@wakit/client/sqlite');
  return openSqliteStore(path);
};
