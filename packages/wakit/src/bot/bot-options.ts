/**
 * The options of `createBot`: the client's own, with defaults chosen for a program that runs one
 * account from a terminal (a SQLite file beside it, the QR code printed, reconnects on).
 */
import type { ClientOptions, Store } from '@wakit/client';
import type { WaWebVersionCacheOptions } from '@wakit/features';

/** Where the bot's device lives when no store is given: a SQLite file in the working directory. */
export const DEFAULT_BOT_STORE_PATH = 'wakit.db';

/** Somewhere to write lines for the person running the bot (`process.stdout` has this shape). */
export interface BotOutput {
  write(text: string): unknown;
}

/** Options of `createBot`. Every one is optional. */
export interface BotOptions extends Partial<Omit<ClientOptions, 'store'>> {
  /**
   * The device's store, or the path of a SQLite file to keep it in (created when missing; needs
   * better-sqlite3, a dependency of this package). Default `DEFAULT_BOT_STORE_PATH`. A store the
   * bot opened from a path is closed when `run()` ends; one you pass stays yours to close.
   */
  store?: Store | string | undefined;
  /**
   * Where QR codes, the pairing code and connection changes are printed; `false` prints nothing
   * (handle `onQr`/`onPairCode` yourself). Default `process.stdout`.
   */
  output?: BotOutput | false | undefined;
  /**
   * Link by pairing code instead of QR: the phone number (digits, country code first) whose
   * WhatsApp will ask for the code. Ignored once the device is linked.
   */
  pairWithPhone?: string | undefined;
  /**
   * Announce WhatsApp Web's current version, fetched (at most once a day, kept in the store) before
   * the first connect of a run, instead of the client's pin, which WhatsApp refuses (405) once it is
   * too old; a failed fetch falls back to the last fetched version, then the pin. Options go to
   * `WaWebVersionCache` (e.g. `fetch`, `timeoutMs`). Default: on when `url` is not given (the real
   * WhatsApp), off otherwise; `payload.version`, when given, always wins.
   */
  fetchVersion?: boolean | Omit<WaWebVersionCacheOptions, 'kv'> | undefined;
  /** Stop on SIGINT and SIGTERM while `run()` runs (the first one stops, a second one exits). Default true. */
  stopOnSignals?: boolean | undefined;
}
