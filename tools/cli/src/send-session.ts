/**
 * The body of `wakit send`: open the linked device's store, connect, wait for the login, send one
 * text and wait for the server's ack, then disconnect and print the message id.
 *
 * Exit codes (a script can tell "try again" from "this will never work"):
 * - 0: the server acknowledged the message; its id is on stdout.
 * - 1: not sent, or not known to be: no linked device, no connection or login, the connection
 *   lost, no ack in time, interrupted by a signal.
 * - 3: refused: the recipient is not on WhatsApp, or the server rejected the message.
 * (2 is a usage mistake, as for every command.)
 */
import type { DisconnectReason, MessageRejectedError, NoRecipientDevicesError } from '@wakit/client';
import type { CliDeps, StopListener } from './command';
import type { DeviceOptions } from './device-options';
import { codeOf, connectFailure, type LinkedStore, messageOf, openLinkedStore } from './linked-device';
import { messageLine } from './received-format';

/** Exit code: not sent, or not known to be. */
export const EXIT_SEND_FAILED = 1;
/** Exit code: the recipient is not on WhatsApp, or the server refused the message. */
export const EXIT_SEND_REFUSED = 3;
/** How long to wait for the login after the socket is up. */
export const SEND_LOGIN_TIMEOUT_MS = 60_000;

// By code, not class: see linked-device.ts. The types keep the literals honest.
const NO_RECIPIENT_DEVICES: (typeof NoRecipientDevicesError)['code'] = 'ERR_CLIENT_NO_RECIPIENT_DEVICES';
const MESSAGE_REJECTED: (typeof MessageRejectedError)['code'] = 'ERR_CLIENT_MESSAGE_REJECTED';

/** What `wakit send` runs with (parsed by `commands/send.ts`). */
export interface SendOptions extends DeviceOptions {
  /** The recipient's user JID (PN or LID). */
  to: string;
  text: string;
}

/** How far the send got: what a failure message says was going on. */
type Phase = 'connecting' | 'logging in' | 'sending';

type Outcome =
  | { kind: 'sent'; id: string }
  /** `reason`: of the last disconnect before the failure (our own disconnect comes after). */
  | { kind: 'failed'; error: unknown; phase: Phase; reason: DisconnectReason | undefined }
  | { kind: 'signal'; signal: string; phase: Phase };

/** Runs `wakit send` with parsed options; resolves with the exit code. */
export async function runSend(options: SendOptions, deps: CliDeps): Promise<number> {
  // Listening starts first, so a Ctrl-C while the store opens is not lost.
  const stop = deps.listenForStop();
  try {
    const linked = await openLinkedStore('send', options, deps);
    if (linked === undefined) return EXIT_SEND_FAILED;
    try {
      return await sendWith(linked, options, deps, stop);
    } finally {
      await linked.store.close();
    }
  } finally {
    stop.dispose();
  }
}

async function sendWith(
  { store }: LinkedStore,
  options: SendOptions,
  deps: CliDeps,
  stop: StopListener,
): Promise<number> {
  const client = await deps.createClient({ store, url: options.url, rootPublicKey: options.rootPublicKey });
  let phase: Phase = 'connecting';
  let lastReason: DisconnectReason | undefined;
  let loggedOut: DisconnectReason | undefined;
  const unsubscribe = [
    client.on('disconnected', ({ reason }) => {
      lastReason = reason;
    }),
    client.on('logged-out', ({ reason }) => {
      loggedOut = reason;
    }),
    // The server delivers this device's offline backlog on login, and the client acknowledges
    // it: show it rather than let it vanish unseen. stderr, so stdout stays the id alone.
    client.on('message', (event) => deps.stderr(`received: ${messageLine(event)}\n`)),
  ];
  const send = async (): Promise<string> => {
    await client.connect();
    phase = 'logging in';
    await client.waitForConnected(SEND_LOGIN_TIMEOUT_MS);
    phase = 'sending';
    return client.sendMessage(options.to, { conversation: options.text });
  };
  const sending = send();
  // After a signal the disconnect below makes it reject; nobody is waiting for it then.
  sending.catch(() => {});
  const outcome = await Promise.race<Outcome>([
    sending.then(
      (id) => ({ kind: 'sent', id }),
      (error: unknown) => ({ kind: 'failed', error, phase, reason: lastReason }),
    ),
    stop.stopped.then((signal) => ({ kind: 'signal', signal, phase })),
  ]);
  // Give the signals their default back first: a second Ctrl-C while closing hangs is a forced exit.
  stop.dispose();
  try {
    await client.disconnect();
  } finally {
    for (const off of unsubscribe) off();
  }
  if (outcome.kind === 'sent') {
    deps.stdout(`${outcome.id}\n`);
    return 0;
  }
  if (outcome.kind === 'signal') {
    deps.stderr(`${outcome.signal}: stopped while ${outcome.phase}; ${notSent(outcome.phase)}\n`);
    return EXIT_SEND_FAILED;
  }
  if (loggedOut !== undefined) {
    deps.stderr(
      `wakit send: this device is no longer linked (${loggedOut}); its credentials were removed from ${options.storePath}\n`,
    );
    return EXIT_SEND_FAILED;
  }
  return explainFailure(outcome, options, deps);
}

/** Prints why the send failed and returns the exit code; rethrows what is not a wakit error (a bug). */
function explainFailure(
  { error, phase, reason }: Extract<Outcome, { kind: 'failed' }>,
  options: SendOptions,
  deps: Pick<CliDeps, 'stderr'>,
): number {
  const code = codeOf(error);
  if (code === NO_RECIPIENT_DEVICES) {
    deps.stderr(`wakit send: ${options.to} is not on WhatsApp (the server lists no device of it)\n`);
    return EXIT_SEND_REFUSED;
  }
  if (code === MESSAGE_REJECTED) {
    const { errorCode } = error as MessageRejectedError;
    deps.stderr(`wakit send: the server refused the message (error ${errorCode})\n`);
    return EXIT_SEND_REFUSED;
  }
  if (phase === 'connecting') {
    deps.stderr(connectFailure('send', options, error, reason));
    return EXIT_SEND_FAILED;
  }
  if (code === undefined || !code.startsWith('ERR_')) throw error;
  // TimeoutError, ConnectionClosedError and the rest say what was awaited in their message.
  const why = reason === undefined ? '' : ` (disconnected: ${reason})`;
  deps.stderr(`wakit send: ${messageOf(error)}${why}; ${notSent(phase)}\n`);
  return EXIT_SEND_FAILED;
}

/** What the user should assume about the message after a failure in `phase`. */
function notSent(phase: Phase): string {
  // Once the stanza may be on the wire only the ack tells; retrying may deliver it twice.
  return phase === 'sending' ? 'the message may or may not have been delivered' : 'the message was not sent';
}
