/**
 * What `wakit listen` prints. Text: what was received on stdout, one line each, and the
 * connection's story (logged in, offline backlog done, disconnects) on stderr, so
 * `wakit listen > chat.log` keeps only the messages. `--json`: every event as one JSON object per
 * line on stdout. Either way the command's own status lines (stopping, failures) go to stderr.
 */
import type { ClientEvents } from '@wakit/client';
import type { CliDeps } from './command';
import {
  editedJson,
  editedLine,
  messageJson,
  messageLine,
  receiptJson,
  receiptLine,
  revokedJson,
  revokedLine,
  undecryptableJson,
  undecryptableLine,
} from './received-format';

/** How the output looks. */
export interface ListenOutputOptions {
  json: boolean;
  /** The store file, named when credentials are removed. */
  storePath: string;
}

/** Prints one line per thing that happens; see the methods. */
export interface ListenOutput {
  /** Before connecting, with the linked device's JID. */
  starting(url: string, jid: string): void;
  /** Logged in (`<success>`); again after every reconnect. */
  loggedIn(jid: string): void;
  message(event: ClientEvents['message']): void;
  edited(event: ClientEvents['message-edited']): void;
  revoked(event: ClientEvents['message-revoked']): void;
  receipt(event: ClientEvents['receipt']): void;
  undecryptable(event: ClientEvents['undecryptable']): void;
  /** The offline backlog was delivered (its messages were printed, marked offline). */
  offlineSyncComplete(count: number): void;
  disconnected(event: ClientEvents['disconnected']): void;
  loggedOut(event: ClientEvents['logged-out']): void;
}

/** The printer `wakit listen` uses. */
export function listenOutput(
  options: ListenOutputOptions,
  deps: Pick<CliDeps, 'stdout' | 'stderr'>,
): ListenOutput {
  const out = (text: string) => deps.stdout(`${text}\n`);
  const status = (text: string) => deps.stderr(`${text}\n`);
  const json = (object: Record<string, unknown>) => out(JSON.stringify(object));
  if (options.json) {
    return {
      starting: (url, jid) => json({ event: 'starting', url, jid }),
      loggedIn: (jid) => json({ event: 'logged-in', jid }),
      message: (event) => json(messageJson(event)),
      edited: (event) => json(editedJson(event)),
      revoked: (event) => json(revokedJson(event)),
      receipt: (event) => json(receiptJson(event)),
      undecryptable: (event) => json(undecryptableJson(event)),
      offlineSyncComplete: (count) => json({ event: 'offline-sync-complete', count }),
      disconnected: ({ reason, willReconnect, delayMs, error }) =>
        json({ event: 'disconnected', reason, willReconnect, delayMs, error: messageOf(error) }),
      loggedOut: ({ reason }) => json({ event: 'logged-out', reason }),
    };
  }
  return {
    starting: (url, jid) => status(`Connecting to ${url} as ${jid}`),
    loggedIn: (jid) => status(`Logged in as ${jid}; listening. Press Ctrl-C to stop.`),
    message: (event) => out(messageLine(event)),
    edited: (event) => out(editedLine(event)),
    revoked: (event) => out(revokedLine(event)),
    receipt: (event) => out(receiptLine(event)),
    undecryptable: (event) => out(undecryptableLine(event)),
    offlineSyncComplete: (count) =>
      status(`Offline backlog delivered: ${count} ${count === 1 ? 'stanza' : 'stanzas'}`),
    disconnected({ reason, willReconnect, delayMs, error }) {
      // `user` is our own disconnect on Ctrl-C, which the command reports itself.
      if (reason === 'user') return;
      const detail = messageOf(error);
      const why = detail === undefined ? reason : `${reason}: ${detail}`;
      if (willReconnect)
        status(`Disconnected (${why}); reconnecting in ${((delayMs ?? 0) / 1000).toFixed(1)} s`);
      else status(`Disconnected (${why})`);
    },
    loggedOut: ({ reason }) =>
      status(
        `This device is no longer linked (${reason}); its credentials were removed from ${options.storePath}`,
      ),
  };
}

/** The error's message; undefined when it has none (a platform error may carry none). */
function messageOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return message === '' ? undefined : message;
}
