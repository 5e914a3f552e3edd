/**
 * What `wakit link` prints about its client: human lines, or with `--json` one JSON object per
 * line (`{"event": …}`) for scripts. Everything here goes to stdout; the command's own status lines
 * (stopping, failures) go to stderr, so a script reading stdout sees only the client's story.
 */
import type { ClientEvents } from '@wakit/client';
import { renderQr } from '@wakit/client/qr';
import type { CliDeps } from './command';

/** How the output looks. */
export interface LinkOutputOptions {
  json: boolean;
  /** Draw the QR code's light modules (for dark terminals), as `wakit qr --invert`. */
  invert: boolean;
  /** The store file, named when credentials are removed. */
  storePath: string;
}

/** Prints one line (or block) per thing that happens; see the methods. */
export interface LinkOutput {
  /** Before connecting: whether the store holds a linked device (`jid`) or a new one is linked. */
  starting(url: string, jid: string | undefined): void;
  qr(event: ClientEvents['qr']): void;
  /** The code `requestPairingCode` returned, for the user to type on the phone. */
  pairCode(phoneNumber: string, code: string): void;
  paired(jid: string): void;
  /** Logged in (`<success>`). */
  loggedIn(jid: string | undefined): void;
  disconnected(event: ClientEvents['disconnected']): void;
  loggedOut(event: ClientEvents['logged-out']): void;
  pairingFailed(event: ClientEvents['pairing-failed']): void;
  preKeysUploaded(count: number): void;
}

/** A pair code as phones show and take it: `ABCD-EFGH`. */
export function formatPairCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** The printer `wakit link` uses. */
export function linkOutput(options: LinkOutputOptions, deps: Pick<CliDeps, 'stdout'>): LinkOutput {
  const line = (text: string) => deps.stdout(`${text}\n`);
  const json = (event: string, fields: Record<string, unknown>) => line(JSON.stringify({ event, ...fields }));
  if (options.json) {
    return {
      starting: (url, jid) => json('starting', { store: options.storePath, url, jid: jid ?? null }),
      qr: ({ qr, index, count, timeoutMs }) => json('qr', { qr, index, count, timeoutMs }),
      pairCode: (phone, code) => json('pair-code', { phone, code: formatPairCode(code) }),
      paired: (jid) => json('paired', { jid }),
      loggedIn: (jid) => json('logged-in', { jid: jid ?? null }),
      disconnected: ({ reason, willReconnect, delayMs, error }) =>
        json('disconnected', { reason, willReconnect, delayMs, error: messageOf(error) }),
      loggedOut: ({ reason }) => json('logged-out', { reason }),
      pairingFailed: ({ error }) => json('pairing-failed', { error: messageOf(error) }),
      preKeysUploaded: (count) => json('prekeys-uploaded', { count }),
    };
  }
  return {
    starting(url, jid) {
      if (jid === undefined) line(`No linked device in ${options.storePath}: linking a new one at ${url}`);
      else line(`${options.storePath} holds the linked device ${jid}: logging in at ${url}`);
    },
    qr({ qr, index, count, timeoutMs }) {
      line(
        `QR code ${index + 1} of ${count}, valid ${Math.round(timeoutMs / 1000)} s. ` +
          'On the phone: WhatsApp > Linked devices > Link a device.',
      );
      line(renderQr(qr, { invert: options.invert }));
      // The text too: a test server's phone takes it pasted (`wakit serve`), and it survives a
      // terminal too small for the drawing.
      line(qr);
    },
    pairCode(phone, code) {
      line(`Pairing code for +${phone}: ${formatPairCode(code)}`);
      line('On the phone: WhatsApp > Linked devices > Link a device > Link with phone number instead.');
    },
    paired: (jid) => line(`Paired as ${jid}`),
    loggedIn(jid) {
      line(`Logged in as ${jid ?? 'this device'}. Press Ctrl-C to disconnect.`);
    },
    disconnected({ reason, willReconnect, delayMs, error }) {
      // `user` is our own disconnect on Ctrl-C, which the command reports itself.
      if (reason === 'user') return;
      if (reason === 'restart-required' && willReconnect) {
        line('The server restarts the stream (as after pairing): reconnecting');
        return;
      }
      const why = messageOf(error) === undefined ? reason : `${reason}: ${messageOf(error)}`;
      if (willReconnect)
        line(`Disconnected (${why}); reconnecting in ${((delayMs ?? 0) / 1000).toFixed(1)} s`);
      else line(`Disconnected (${why})`);
    },
    loggedOut: ({ reason }) =>
      line(
        `This device is no longer linked (${reason}); its credentials were removed from ${options.storePath}`,
      ),
    pairingFailed: ({ error }) => line(`Pairing failed: ${messageOf(error) ?? 'unknown error'}`),
    preKeysUploaded: (count) => line(`Uploaded ${count} one-time prekeys`),
  };
}

/** The error's message; undefined when it has none (a platform error may carry none). */
function messageOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return message === '' ? undefined : message;
}
