/**
 * Reconnect delays: linear backoff with a cap and random jitter, after whatsmeow's `autoReconnect`
 * (attempt n waits 2n s). Attempt 1 waits `baseDelayMs`, attempt n waits `n * baseDelayMs`, never
 * more than `maxDelayMs`, plus up to `jitter * delay` of random extra so a fleet of clients dropped
 * together does not reconnect in lockstep.
 */

/** Reconnect options (all optional in `createClient`). */
export interface ReconnectOptions {
  /** Reconnect after unexpected drops. Default true. */
  enabled?: boolean | undefined;
  /** Delay of the first attempt, ms. Default 2000. */
  baseDelayMs?: number | undefined;
  /** Cap before jitter, ms. Default 30000. */
  maxDelayMs?: number | undefined;
  /** Extra random delay as a fraction of the delay, in [0, 1]. Default 0.1. */
  jitter?: number | undefined;
}

export const DEFAULT_RECONNECT_BASE_DELAY_MS = 2_000;
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
export const DEFAULT_RECONNECT_JITTER = 0.1;

/** Resolved reconnect options. */
export interface ReconnectPolicy {
  enabled: boolean;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: number;
}

/** Fills defaults and checks ranges (RangeError with the offending value). */
export function resolveReconnectPolicy(options: ReconnectOptions = {}): ReconnectPolicy {
  const policy = {
    enabled: options.enabled ?? true,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RECONNECT_BASE_DELAY_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
    jitter: options.jitter ?? DEFAULT_RECONNECT_JITTER,
  };
  if (!(policy.baseDelayMs >= 0))
    throw new RangeError(`"reconnect.baseDelayMs" must be >= 0, got ${policy.baseDelayMs}`);
  if (!(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new RangeError(`"reconnect.maxDelayMs" must be >= baseDelayMs, got ${policy.maxDelayMs}`);
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1))
    throw new RangeError(`"reconnect.jitter" must be in [0, 1], got ${policy.jitter}`);
  return policy;
}

/**
 * The delay before reconnect attempt `attempt` (1-based), in ms. `random` returns a number in [0, 1).
 *
 * @example
 * ```ts
 * reconnectDelay(resolveReconnectPolicy({ jitter: 0 }), 3, Math.random); // 6000
 * ```
 */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`"attempt" must be an integer >= 1, got ${attempt}`);
  const delay = Math.min(attempt * policy.baseDelayMs, policy.maxDelayMs);
  return Math.round(delay + random() * policy.jitter * delay);
}
