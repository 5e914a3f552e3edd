/**
 * The keepalive loop (docs/protocol.md §10.12, whatsmeow `keepalive.go`): every 20–30 s (a random
 * interval in the range, so clients do not ping in lockstep) send `<iq xmlns="w:p" type="get">`;
 * when nothing at all has arrived for `maxSilenceMs` (3 minutes, whatsmeow's
 * `KeepAliveMaxFailTime`), the connection is dead even if the socket says otherwise, and the client
 * forces a reconnect. Any received byte counts as life, not just ping replies.
 *
 * The next tick is never later than the silence deadline, so the forced reconnect happens at
 * `maxSilenceMs` after the last received byte, not up to one interval after it.
 */
import type { TimerHandle, Timers } from '../timers';

/** Keepalive options (all optional in `createClient`). */
export interface KeepaliveOptions {
  /** Shortest interval between pings, ms. Default 20000. */
  minIntervalMs?: number | undefined;
  /** Longest interval between pings, ms. Default 30000. */
  maxIntervalMs?: number | undefined;
  /** How long a ping may wait for its answer, ms. Default 10000 (whatsmeow's response deadline). */
  timeoutMs?: number | undefined;
  /** Force a reconnect when nothing was received for this long, ms. Default 180000. */
  maxSilenceMs?: number | undefined;
}

export const KEEPALIVE_MIN_INTERVAL_MS = 20_000;
export const KEEPALIVE_MAX_INTERVAL_MS = 30_000;
export const KEEPALIVE_TIMEOUT_MS = 10_000;
export const KEEPALIVE_MAX_SILENCE_MS = 180_000;

/** Resolved keepalive options. */
export type KeepalivePolicy = Required<{ [K in keyof KeepaliveOptions]: number }>;

/** Fills defaults and checks ranges. */
export function resolveKeepalivePolicy(options: KeepaliveOptions = {}): KeepalivePolicy {
  const policy = {
    minIntervalMs: options.minIntervalMs ?? KEEPALIVE_MIN_INTERVAL_MS,
    maxIntervalMs: options.maxIntervalMs ?? KEEPALIVE_MAX_INTERVAL_MS,
    timeoutMs: options.timeoutMs ?? KEEPALIVE_TIMEOUT_MS,
    maxSilenceMs: options.maxSilenceMs ?? KEEPALIVE_MAX_SILENCE_MS,
  };
  if (!(policy.minIntervalMs > 0))
    throw new RangeError(`"keepalive.minIntervalMs" must be > 0, got ${policy.minIntervalMs}`);
  if (!(policy.maxIntervalMs >= policy.minIntervalMs)) {
    throw new RangeError(`"keepalive.maxIntervalMs" must be >= minIntervalMs, got ${policy.maxIntervalMs}`);
  }
  if (!(policy.timeoutMs > 0))
    throw new RangeError(`"keepalive.timeoutMs" must be > 0, got ${policy.timeoutMs}`);
  if (!(policy.maxSilenceMs > 0))
    throw new RangeError(`"keepalive.maxSilenceMs" must be > 0, got ${policy.maxSilenceMs}`);
  return policy;
}

/** What the loop needs from the client. */
export interface KeepaliveHooks {
  timers: Timers;
  random: () => number;
  /** When bytes last arrived on the connection. */
  lastReceivedAt(): number;
  /** Sends one ping and waits for its answer (rejects on timeout). */
  ping(timeoutMs: number): Promise<unknown>;
  /** Nothing arrived for `maxSilenceMs`: the client must reconnect. Runs once; the loop stops. */
  onSilence(silentForMs: number): void;
  /** A ping failed (`failures` in a row); informational. */
  onPingFailure(error: unknown, failures: number): void;
}

/** One connection's keepalive loop. */
export class Keepalive {
  #timer: TimerHandle | undefined;
  #running = false;
  #pinging = false;
  #failures = 0;

  constructor(
    private readonly policy: KeepalivePolicy,
    private readonly hooks: KeepaliveHooks,
  ) {}

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  /** Stops the loop (idempotent). */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.hooks.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    const { minIntervalMs, maxIntervalMs, maxSilenceMs } = this.policy;
    const { timers } = this.hooks;
    const interval = minIntervalMs + Math.floor(this.hooks.random() * (maxIntervalMs - minIntervalMs + 1));
    const untilSilence = this.hooks.lastReceivedAt() + maxSilenceMs - timers.now();
    this.#timer = timers.setTimeout(() => this.#tick(), Math.max(0, Math.min(interval, untilSilence)));
  }

  #tick(): void {
    if (!this.#running) return;
    const silentFor = this.hooks.timers.now() - this.hooks.lastReceivedAt();
    if (silentFor >= this.policy.maxSilenceMs) {
      this.stop();
      this.hooks.onSilence(silentFor);
      return;
    }
    // One ping at a time: a slow answer is not a reason to pile up more.
    if (!this.#pinging) {
      this.#pinging = true;
      this.hooks.ping(this.policy.timeoutMs).then(
        () => {
          this.#pinging = false;
          this.#failures = 0;
        },
        (error: unknown) => {
          this.#pinging = false;
          if (!this.#running) return;
          this.#failures += 1;
          this.hooks.onPingFailure(error, this.#failures);
        },
      );
    }
    this.#schedule();
  }
}
