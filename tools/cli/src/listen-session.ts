/**
 * The body of `wakit listen`: open the linked device's store, connect, and print everything
 * received (the offline backlog first, marked) until a stop signal or until the client stops for
 * good; the client reconnects by itself in between.
 *
 * Exit codes, as `wakit link`'s: 0 after a stop signal (the user ended it), 1 when there is no
 * linked device, the client could not connect, or it stopped on its own (unlinked, replaced by
 * another connection of this device, a server it cannot retry).
 */
import type { DisconnectReason } from '@wakit/client';
import type { CliDeps, StopListener } from './command';
import type { DeviceOptions } from './device-options';
import { connectFailure, type LinkedStore, openLinkedStore } from './linked-device';
import { type ListenOutput, listenOutput } from './listen-output';

/** Exit code when the client stopped without being asked to, or never connected. */
export const EXIT_LISTEN_FAILED = 1;

/** What `wakit listen` runs with (parsed by `commands/listen.ts`). */
export interface ListenOptions extends DeviceOptions {
  json: boolean;
  /** Also print the receipts of messages this account sent. */
  receipts: boolean;
}

/** Why the session ended. */
type Outcome =
  | { kind: 'signal'; signal: string }
  | { kind: 'stopped'; reason: DisconnectReason; error: unknown; reachedServer: boolean }
  | { kind: 'failed'; error: unknown };

/** Runs `wakit listen` with parsed options; resolves with the exit code. */
export async function runListen(options: ListenOptions, deps: CliDeps): Promise<number> {
  // Listening starts first, so a Ctrl-C while the store opens or the client connects is not lost.
  const stop = deps.listenForStop();
  try {
    const linked = await openLinkedStore('listen', options, deps);
    if (linked === undefined) return EXIT_LISTEN_FAILED;
    let outcome: Outcome;
    try {
      const out = listenOutput({ json: options.json, storePath: options.storePath }, deps);
      outcome = await listenWith(linked, options, deps, stop, out);
    } finally {
      await linked.store.close();
    }
    if (outcome.kind !== 'signal') return EXIT_LISTEN_FAILED;
    deps.stderr('stopped\n');
    return 0;
  } finally {
    stop.dispose();
  }
}

/** Connects a client on the store and prints what it receives until `stop` fires or it ends. */
async function listenWith(
  { store, jid }: LinkedStore,
  options: ListenOptions,
  deps: CliDeps,
  stop: StopListener,
  out: ListenOutput,
): Promise<Outcome> {
  const client = await deps.createClient({ store, url: options.url, rootPublicKey: options.rootPublicKey });
  let unsubscribe: (() => void)[] = [];
  let reachedServer = false;
  let lastReason: DisconnectReason | undefined;
  const outcome = await new Promise<Outcome>((resolve) => {
    unsubscribe = [
      client.on('socket-open', () => {
        reachedServer = true;
      }),
      client.on('connected', () => out.loggedIn(jid)),
      client.on('message', (event) => out.message(event)),
      client.on('message-edited', (event) => out.edited(event)),
      client.on('message-revoked', (event) => out.revoked(event)),
      client.on('undecryptable', (event) => out.undecryptable(event)),
      client.on('offline-sync-complete', ({ count }) => out.offlineSyncComplete(count)),
      client.on('receipt', (event) => {
        if (options.receipts) out.receipt(event);
      }),
      client.on('logged-out', (event) => out.loggedOut(event)),
      client.on('disconnected', (event) => {
        out.disconnected(event);
        lastReason = event.reason;
        if (!event.willReconnect && event.reason !== 'user') {
          resolve({ kind: 'stopped', reason: event.reason, error: event.error, reachedServer });
        }
      }),
    ];
    stop.stopped.then((signal) => resolve({ kind: 'signal', signal }));
    out.starting(options.url, jid);
    client.connect().catch((error: unknown) => resolve({ kind: 'failed', error }));
  });

  // Give the signals their default back first: a second Ctrl-C while closing hangs is a forced exit.
  stop.dispose();
  if (outcome.kind === 'signal') deps.stderr(`${outcome.signal}: disconnecting\n`);
  if (outcome.kind === 'failed') deps.stderr(connectFailure('listen', options, outcome.error, lastReason));
  if (outcome.kind === 'stopped' && !outcome.reachedServer) {
    deps.stderr(connectFailure('listen', options, outcome.error, outcome.reason));
  }
  try {
    // Idempotent; resolves once the client let go of the store.
    await client.disconnect();
  } finally {
    for (const off of unsubscribe) off();
  }
  return outcome;
}
