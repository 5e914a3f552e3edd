/**
 * The body of `wakit link`: open the store, connect a client, show its QR codes or pair code,
 * and stay connected (the client reconnects by itself) until a stop signal or until the client
 * stops for good (unlinked, pairing given up, a connection it cannot retry).
 *
 * Exit codes: 0 after a stop signal (the user ended it), 1 when the client stopped on its own or
 * could not connect: for a script, "linked and running" and "stopped by the user" look alike,
 * and anything else is a failure.
 */
import type { DisconnectReason, Store } from '@wakit/client';
import type { CliDeps, StopListener } from './command';
import { type LinkOutput, linkOutput } from './link-output';

/** Exit code when the client stopped without being asked to, or never connected. */
export const EXIT_LINK_FAILED = 1;

/** What `wakit link` runs with (parsed by `commands/link.ts`). */
export interface LinkOptions {
  /** The SQLite store file. */
  storePath: string;
  url: string;
  /** Undefined: WhatsApp's real certificate root (the client's default). */
  rootPublicKey: Uint8Array | undefined;
  /** Link with a pair code for this phone number (digits) instead of a QR code. */
  pairCodePhone: string | undefined;
  json: boolean;
  invert: boolean;
}

/** Why the session ended. */
type Outcome =
  | { kind: 'signal'; signal: string }
  | { kind: 'stopped'; reason: DisconnectReason; reachedServer: boolean }
  | { kind: 'failed'; error: unknown };

/** Runs `wakit link` with parsed options; resolves with the exit code. */
export async function runLink(options: LinkOptions, deps: CliDeps): Promise<number> {
  // Listening starts first, so a Ctrl-C while the store opens or the client connects is not lost.
  const stop = deps.listenForStop();
  let store: Store;
  try {
    store = await deps.openStore(options.storePath);
  } catch (e) {
    stop.dispose();
    // A file that is not a store, one from a newer wakit, or a path SQLite cannot open is the
    // user's to fix: say so plainly. Anything else is a bug and keeps its stack.
    if (!isStoreOpenError(e)) throw e;
    deps.stderr(`wakit link: cannot open ${options.storePath}: ${messageOf(e)}\n`);
    return EXIT_LINK_FAILED;
  }
  const out = linkOutput({ json: options.json, invert: options.invert, storePath: options.storePath }, deps);
  let outcome: Outcome;
  try {
    outcome = await runClient(options, deps, store, stop, out);
  } finally {
    stop.dispose();
    await store.close();
  }
  if (outcome.kind === 'signal') deps.stderr('stopped\n');
  return outcome.kind === 'signal' ? 0 : EXIT_LINK_FAILED;
}

/** Connects a client on `store` and runs it until `stop` fires or until it ends; then disconnects it. */
async function runClient(
  options: LinkOptions,
  deps: CliDeps,
  store: Store,
  stop: StopListener,
  out: LinkOutput,
): Promise<Outcome> {
  let jid = (await store.loadCredentials())?.account?.jid;
  const client = await deps.createClient({ store, url: options.url, rootPublicKey: options.rootPublicKey });
  let unsubscribe: (() => void)[] = [];
  let reachedServer = false;
  const outcome = await new Promise<Outcome>((resolve) => {
    unsubscribe = [
      client.on('socket-open', () => {
        reachedServer = true;
      }),
      client.on('qr', (event) => {
        // The user chose a pair code; the server still offers QR refs until it is requested.
        if (options.pairCodePhone === undefined) out.qr(event);
      }),
      client.on('paired', ({ account }) => {
        jid = account.jid;
        out.paired(account.jid);
      }),
      client.on('connected', () => out.loggedIn(jid)),
      client.on('prekeys-uploaded', ({ count }) => out.preKeysUploaded(count)),
      client.on('pairing-failed', (event) => out.pairingFailed(event)),
      client.on('logged-out', (event) => out.loggedOut(event)),
      client.on('disconnected', (event) => {
        out.disconnected(event);
        if (!event.willReconnect && event.reason !== 'user') {
          resolve({ kind: 'stopped', reason: event.reason, reachedServer });
        }
      }),
    ];
    stop.stopped.then((signal) => resolve({ kind: 'signal', signal }));
    out.starting(options.url, jid);
    start().catch((error: unknown) => resolve({ kind: 'failed', error }));
  });

  async function start(): Promise<void> {
    await client.connect();
    const phone = options.pairCodePhone;
    if (phone === undefined) return;
    // A paired device logs in instead: there is nothing to link.
    if (client.state !== 'pairing') {
      deps.stderr('this device is already linked; --pair-code is ignored\n');
      return;
    }
    out.pairCode(phone, await client.requestPairingCode(phone));
  }

  // Give the signals their default back first: a second Ctrl-C while closing hangs is a forced exit.
  stop.dispose();
  if (outcome.kind === 'signal') deps.stderr(`${outcome.signal}: disconnecting\n`);
  if (outcome.kind === 'failed') deps.stderr(`wakit link: ${messageOf(outcome.error)}\n`);
  if (outcome.kind === 'stopped' && !outcome.reachedServer) deps.stderr(connectHint(options, outcome.reason));
  try {
    // Idempotent; resolves once the client let go of the store (and cleared it after a logout).
    await client.disconnect();
  } finally {
    for (const off of unsubscribe) off();
  }
  return outcome;
}

/**
 * What to tell a user whose client never got a Noise socket up, on stderr, where scripts look:
 * the URL, and for a certificate that does not verify, the root it was checked against.
 */
function connectHint(options: LinkOptions, reason: DisconnectReason): string {
  if (reason === 'certificate-refused') {
    return options.rootPublicKey === undefined
      ? `wakit link: ${options.url} is not WhatsApp; for a test server pass its root with --root\n`
      : `wakit link: the certificate of ${options.url} does not lead to the --root key\n`;
  }
  return `wakit link: could not connect to ${options.url}\n`;
}

/** StoreCorruptError, StoreVersionError (by their stable codes) and better-sqlite3's `SQLITE_*` errors. */
function isStoreOpenError(e: unknown): e is Error {
  return e instanceof Error && /^(ERR_CLIENT_STORE_|SQLITE_)/.test(String((e as { code?: unknown }).code));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
