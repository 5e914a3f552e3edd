/**
 * Sent messages waiting for the server's `<ack class="message" id t [error] [phash]>`
 * (docs/protocol.md §7.1). `sendMessage` resolves on the ack, rejects with `MessageRejectedError`
 * when it carries `error`, with `TimeoutError` when none comes in time, and with the connection's
 * error when the connection closes first (the message may or may not have been taken).
 */
import { TimeoutError } from '@wakit/errors';
import { MessageRejectedError } from '../errors';
import type { TimerHandle, Timers } from '../timers';

/** Default wait for a message ack (whatsmeow waits 75 s for its send responses). */
export const MESSAGE_ACK_TIMEOUT_MS = 60_000;

/** What the server's ack says. */
export interface MessageAck {
  id: string;
  /** Server time of the message, unix seconds. */
  t?: number | undefined;
  phash?: string | undefined;
}

interface Waiter {
  resolve(ack: MessageAck): void;
  reject(error: unknown): void;
  timer: TimerHandle;
}

/** Pending message acks by id. */
export class MessageAcks {
  readonly #waiting = new Map<string, Waiter>();
  readonly #timers: Timers;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  /** Waits for the ack of message `id`. Register before sending: the ack may come at once. */
  wait(id: string, timeoutMs: number): Promise<MessageAck> {
    this.#waiting.get(id)?.reject(new RangeError(`a second send of message ${id} replaced this one`));
    return new Promise((resolve, reject) => {
      const timer = this.#timers.setTimeout(() => {
        this.#waiting.delete(id);
        reject(new TimeoutError(`no server ack for message ${id} within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      this.#waiting.set(id, { resolve, reject, timer });
    });
  }

  /** Settles the waiter of `ack.id` (if any) with the ack or its error code. */
  receive(ack: MessageAck & { error?: number | undefined }): void {
    const waiter = this.#waiting.get(ack.id);
    if (waiter === undefined) return;
    this.#waiting.delete(ack.id);
    this.#timers.clearTimeout(waiter.timer);
    if (ack.error === undefined) waiter.resolve(ack);
    else
      waiter.reject(
        new MessageRejectedError(ack.id, ack.error, `the server refused message ${ack.id} (${ack.error})`),
      );
  }

  /** Stops waiting for `id` (the send failed before it reached the wire). */
  cancel(id: string, error: unknown): void {
    const waiter = this.#waiting.get(id);
    if (waiter === undefined) return;
    this.#waiting.delete(id);
    this.#timers.clearTimeout(waiter.timer);
    waiter.reject(error);
  }

  /** Rejects every waiter (the connection closed). */
  rejectAll(error: unknown): void {
    for (const id of [...this.#waiting.keys()]) this.cancel(id, error);
  }
}
