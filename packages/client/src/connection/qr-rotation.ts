/**
 * QR code rotation during pairing (docs/protocol.md §5.2 step 3): the first code is shown for 60 s, each
 * later one for 20 s; when the server's refs run out, pairing has failed (about 160 s with six refs).
 */
import type { TimerHandle, Timers } from '../timers';

/** Callbacks of a rotation. */
export interface QrRotationHooks {
  /** Show `qr` (the `index`-th of `count`) for `timeoutMs`. */
  onQr(qr: string, index: number, count: number, timeoutMs: number): void;
  /** The last code expired unscanned. */
  onExhausted(): void;
}

/** Emits the codes one after another on the injected timers. */
export class QrRotation {
  #timer: TimerHandle | undefined;
  #index = 0;
  #stopped = false;

  constructor(
    private readonly timers: Timers,
    private readonly qrs: readonly string[],
    private readonly firstTimeoutMs: number,
    private readonly nextTimeoutMs: number,
    private readonly hooks: QrRotationHooks,
  ) {}

  /** Shows the first code now. */
  start(): void {
    this.#show();
  }

  /** Stops rotating (paired, pair code chosen, or connection gone). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
  }

  #show(): void {
    if (this.#stopped) return;
    if (this.#index >= this.qrs.length) {
      this.#stopped = true;
      this.hooks.onExhausted();
      return;
    }
    const timeoutMs = this.#index === 0 ? this.firstTimeoutMs : this.nextTimeoutMs;
    const index = this.#index;
    this.#index += 1;
    this.#timer = this.timers.setTimeout(() => this.#show(), timeoutMs);
    this.hooks.onQr(this.qrs[index]!, index, this.qrs.length, timeoutMs);
  }
}
