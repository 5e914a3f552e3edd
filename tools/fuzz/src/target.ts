/**
 * What a fuzz target is: a decoder (or a whole receive path) that reads untrusted bytes, and valid
 * inputs to start mutating from. The contract every target is held to (docs/architecture.md: bad input gets a
 * typed error and loses nothing): for any input it returns, or throws an error of ours (a string
 * `code` and a `kind`) of a kind the target allows; never a TypeError, RangeError or other foreign
 * error, never a hang, never an allocation out of proportion to the input.
 */
import { type ErrorKind, isWakitError } from '@wakit/binary-node';

export type { ErrorKind };

export interface FuzzTarget {
  /** `package/what`, e.g. `binary-node/decode`. */
  readonly name: string;
  /**
   * Valid inputs (each must run without throwing: the harness checks, so a target cannot silently
   * reject everything). Built once per run, so they may generate keys or sessions.
   */
  seeds(): Promise<Uint8Array[]>;
  /**
   * Feeds one input. Returns (or resolves) on success; throws (or rejects) on refusal. Targets that
   * keep state between inputs must make each input independent (work on a copy).
   */
  run(input: Uint8Array): unknown;
  /**
   * The kinds of our errors the input may cause. Default `['remote']`: the bytes come from a peer,
   * and a `'local'` error (caller misuse, in binary-node, crypto and noise) would blame the wrong
   * side, as would an `'io'` one (the link failed). @wakit/signal also uses `'local'` for what its
   * store lacks (a prekey, a sender key, a readable record), which a peer's message or a corrupt
   * row legitimately causes.
   */
  readonly kinds?: readonly ErrorKind[];
  /**
   * An input costing more CPU time than this is a finding (default 250 ms: most targets run in
   * microseconds). For targets where one input may legitimately do heavy work (a client refilling
   * 812 prekeys).
   */
  readonly slowMs?: number;
  /** Inputs the `npm test` smoke run feeds (default 1,000); fewer for targets that handshake per input. */
  readonly smokeExecutions?: number;
}

/**
 * The `kind` of an error of ours, or undefined for anything else. Every wakit package's errors have
 * the same shape (a string `code`, a `kind`), which binary-node's structural guard recognises
 * whichever package threw.
 */
export function kindOf(error: unknown): ErrorKind | undefined {
  return isWakitError(error) ? error.kind : undefined;
}
