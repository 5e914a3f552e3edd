/**
 * The lines a bot prints for the person running it: the QR code to scan (drawn with the client's
 * terminal renderer), the pairing code, who it is logged in as, and why a connection ended.
 */
import type { ClientEvents } from '@wakit/client';
import { renderQr } from '@wakit/client/qr';
import type { BotOutput } from './bot-options';

/** Writes the bot's messages to `out`, one line each. */
export class BotPrinter {
  readonly #out: BotOutput;

  constructor(out: BotOutput) {
    this.#out = out;
  }

  qr(event: ClientEvents['qr']): void {
    this.#line(`Scan this QR code in WhatsApp > Linked devices (code ${event.index + 1} of ${event.count}):`);
    this.#line(renderQr(event.qr));
  }

  pairCode(phone: string, code: string): void {
    this.#line(`Enter this code in WhatsApp on +${phone} (Linked devices > Link with phone number): ${code}`);
  }

  connected(jid: string | undefined): void {
    this.#line(jid === undefined ? 'Connected.' : `Connected as ${jid}.`);
  }

  disconnected(event: ClientEvents['disconnected']): void {
    if (event.reason === 'user') return;
    const next = event.willReconnect ? `reconnecting in ${event.delayMs ?? 0} ms` : 'not reconnecting';
    this.#line(`Disconnected (${event.reason}); ${next}.`);
  }

  loggedOut(event: ClientEvents['logged-out']): void {
    this.#line(`Logged out (${event.reason}): the device was unlinked and its data deleted.`);
  }

  #line(text: string): void {
    this.#out.write(`${text}\n`);
  }
}
