/**
 * Running a device that `wakit link` already linked, as `send` and `listen` do: open its store
 * (never creating one), refuse a store with no linked device before any connection is made (the
 * client would start pairing), and say in one line why a connection could not be made.
 */
import type { DisconnectReason, Store, StoreInUseError } from '@wakit/client';
import type { CliDeps } from './command';
import type { DeviceOptions } from './device-options';

// Compared by code, as the client's own guards do: importing the class would load the client for
// `wakit --help`. The type ties the literal to the class, so a renamed code fails to compile.
const STORE_IN_USE: (typeof StoreInUseError)['code'] = 'ERR_CLIENT_STORE_IN_USE';

/** An open store and the JID of the device linked in it. */
export interface LinkedStore {
  store: Store;
  jid: string;
}

/**
 * Opens the store at `options.storePath` for `command`; prints why on stderr and resolves with
 * undefined when it cannot be used: not a store, or no linked device in it (then it is closed
 * again). A missing file or directory rejects with a `UsageError`.
 */
export async function openLinkedStore(
  command: string,
  options: Pick<DeviceOptions, 'storePath'>,
  deps: Pick<CliDeps, 'openStore' | 'stderr'>,
): Promise<LinkedStore | undefined> {
  const { storePath } = options;
  let store: Store;
  try {
    store = await deps.openStore(storePath, { command, mustExist: true });
  } catch (e) {
    // A file that is not a store, one from a newer wakit, or a path SQLite cannot open is the
    // user's to fix: say so plainly. Anything else is a bug and keeps its stack.
    if (!isStoreOpenError(e)) throw e;
    deps.stderr(`wakit ${command}: cannot open ${storePath}: ${messageOf(e)}\n`);
    return undefined;
  }
  let jid: string | undefined;
  try {
    jid = (await store.loadCredentials())?.account?.jid;
  } finally {
    if (jid === undefined) await store.close();
  }
  if (jid === undefined) {
    deps.stderr(
      `wakit ${command}: ${storePath} holds no linked device; link one first with \`wakit link --store ${storePath}\`\n`,
    );
    return undefined;
  }
  return { store, jid };
}

/**
 * One line (with its newline) on why `connect()` failed: the store held by another process, a
 * server whose certificate does not lead to the trusted root, or a server that could not be
 * reached. `reason` is that of the last `disconnected` event, when there was one.
 */
export function connectFailure(
  command: string,
  options: DeviceOptions,
  error: unknown,
  reason: DisconnectReason | undefined,
): string {
  if (codeOf(error) === STORE_IN_USE) {
    return `wakit ${command}: ${options.storePath} is in use by another wakit process (a \`wakit link\` or \`wakit listen\` on the same store?)\n`;
  }
  if (reason === 'certificate-refused') {
    return options.rootPublicKey === undefined
      ? `wakit ${command}: ${options.url} is not WhatsApp; for a test server pass its root with --root\n`
      : `wakit ${command}: the certificate of ${options.url} does not lead to the --root key\n`;
  }
  // The transport's own message often just repeats the URL; then it adds nothing.
  const detail = messageOf(error);
  const more = detail === '' || detail.includes(options.url) ? '' : ` (${detail})`;
  return `wakit ${command}: could not connect to ${options.url}${more}\n`;
}

/** The `code` of an error (wakit's `ERR_*`, better-sqlite3's `SQLITE_*`), if it has one. */
export function codeOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** An error's message ('' when there is none: a platform error may carry none). */
export function messageOf(error: unknown): string {
  if (error === undefined) return '';
  return error instanceof Error ? error.message : String(error);
}

/** StoreCorruptError, StoreVersionError (by their stable codes) and better-sqlite3's `SQLITE_*` errors. */
function isStoreOpenError(e: unknown): e is Error {
  return /^(ERR_CLIENT_STORE_|SQLITE_)/.test(codeOf(e) ?? '');
}
