/**
 * The console of `wakit serve`: acts on the lines typed into its standard input (grammar in
 * `serve-input.ts`) with the server's virtual phones, and prints what came of each.
 *
 * Each line runs on its own: a scan waits for the companion's signed reply (up to the server's
 * pairing timeout), and a second line should not queue behind a first one that never completes.
 * So results print in the order they finish, each naming its phone.
 */
import type { CliDeps } from './command';
import { parseServeInput, SERVE_INPUT_HELP } from './serve-input';
import type { Phone, RunningServer } from './server-contract';

/** How results are printed: human lines, or one JSON object per line on stdout (`--json`). */
export interface ServeConsoleOptions {
  json: boolean;
  /** The phone that scans a bare QR line: the first `--phone`. */
  defaultPhone: string;
}

/** A running console; see {@link startServeConsole}. */
export interface ServeConsole {
  /**
   * Stops reading input and silences lines still running: they end when the server closes, and
   * their "server closed" failures would only be noise after `stopped`.
   */
  stop(): void;
}

/** Starts reading `deps`' standard input lines and acting on them with `server`'s phones. */
export function startServeConsole(
  server: Pick<RunningServer, 'phones'>,
  options: ServeConsoleOptions,
  deps: CliDeps,
): ServeConsole {
  let stopped = false;
  const print = {
    linked(phone: Phone, jid: string) {
      if (stopped) return;
      if (options.json)
        deps.stdout(`${JSON.stringify({ event: 'linked', phone: phone.phoneNumber, jid })}\n`);
      else deps.stdout(`+${phone.phoneNumber} linked ${jid}\n`);
    },
    failed(input: string, message: string) {
      if (stopped) return;
      if (options.json) deps.stdout(`${JSON.stringify({ event: 'error', input, message })}\n`);
      else deps.stderr(`error: ${message}\n`);
    },
  };

  const act = async (line: string): Promise<void> => {
    const input = parseServeInput(line);
    switch (input.kind) {
      case 'empty':
        return;
      case 'help':
        // With --json, stdout carries only JSON objects.
        (options.json ? deps.stderr : deps.stdout)(SERVE_INPUT_HELP);
        return;
      case 'invalid':
        print.failed(line, input.message);
        return;
    }
    const phone = findPhone(server, input.phone ?? options.defaultPhone);
    if (typeof phone === 'string') {
      print.failed(line, phone);
      return;
    }
    try {
      const jid =
        input.kind === 'scan' ? await phone.scanQr(input.qr) : await phone.enterPairCode(input.code);
      print.linked(phone, jid);
    } catch (e) {
      // PhonePairingError messages start with their reason (`unknown-ref: …`), which is what a user needs.
      print.failed(line, `+${phone.phoneNumber} could not link: ${(e as Error).message}`);
    }
  };

  const stopReading = deps.readStdinLines((line) => {
    void act(line);
  });
  return {
    stop() {
      stopped = true;
      stopReading();
    },
  };
}

/** The phone of `number`, or a message saying which phones exist. */
function findPhone(server: Pick<RunningServer, 'phones'>, number: string): Phone | string {
  const phone = server.phones.get(number);
  if (phone !== undefined) return phone;
  const known = server.phones
    .list()
    .map((p) => `+${p.phoneNumber}`)
    .join(', ');
  return `no phone +${number} on this server (phones: ${known}); add one with --phone`;
}
