/**
 * Pending IQs: each `query` registers its id here and waits for the `<iq type="result|error">` with
 * the same id. Ids are a random per-client prefix plus a counter (whatsmeow `generateRequestID`), so
 * a reply from an earlier connection can never be taken for one on this connection's counter.
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import { TimeoutError } from '@wakit/errors';
import { type ConnectionClosedError, IqError } from './errors';
import type { TimerHandle, Timers } from './timers';

/** Default IQ timeout: whatsmeow's `defaultRequestTimeout` is 75 s; WA Web uses about a minute. */
export const IQ_TIMEOUT_MS = 60_000;

interface Pending {
  resolve(node: BinaryNode): void;
  reject(error: unknown): void;
  timer: TimerHandle;
}

/** Tracks the IQs waiting for an answer. */
export class IqTracker {
  readonly #pending = new Map<string, Pending>();
  readonly #prefix: string;
  #counter = 0;

  constructor(
    private readonly timers: Timers,
    crypto: Pick<CryptoProvider, 'randomBytes'>,
  ) {
    const random = crypto.randomBytes(2);
    this.#prefix = `${(random[0]! << 8) | random[1]!}.${(random[0]! ^ random[1]!) & 0xff}`;
  }

  /** A fresh IQ id. */
  nextId(): string {
    this.#counter += 1;
    return `${this.#prefix}-${this.#counter}`;
  }

  /** How many IQs wait for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Waits for the answer to the IQ with `id`. Resolves with a `type="result"` reply, rejects with
   * `IqError` for `type="error"`, `TimeoutError` after `timeoutMs`, or what `rejectAll` is given.
   */
  wait(id: string, timeoutMs: number): Promise<BinaryNode> {
    if (this.#pending.has(id)) throw new RangeError(`an IQ with id "${id}" is already pending`);
    return new Promise<BinaryNode>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.#pending.delete(id);
        reject(new TimeoutError(`no answer to IQ "${id}" within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
  }

  /** Stops waiting for `id` (the send failed); the promise rejects with `error`. */
  cancel(id: string, error: unknown): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    this.timers.clearTimeout(pending.timer);
    pending.reject(error);
  }

  /**
   * Offers a received node; true when it answered a pending IQ (and was consumed). Only
   * `<iq type="result">` and `<iq type="error">` answer: a server `get`/`set` with a colliding id
   * is a request of its own.
   */
  receive(node: BinaryNode): boolean {
    if (node.tag !== 'iq') return false;
    const { type, id } = node.attrs;
    if ((type !== 'result' && type !== 'error') || id === undefined) return false;
    const pending = this.#pending.get(id);
    if (pending === undefined) return false;
    this.#pending.delete(id);
    this.timers.clearTimeout(pending.timer);
    if (type === 'result') pending.resolve(node);
    else pending.reject(iqErrorOf(node));
    return true;
  }

  /** Rejects every pending IQ (the connection closed). */
  rejectAll(error: ConnectionClosedError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      this.timers.clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}

/** The `IqError` for an `<iq type="error"><error code text/></iq>` reply. */
export function iqErrorOf(node: BinaryNode): IqError {
  const error = getChild(node, 'error');
  const code = Number.parseInt(error?.attrs.code ?? '', 10);
  return new IqError(Number.isNaN(code) ? 0 : code, error?.attrs.text ?? '', node);
}
