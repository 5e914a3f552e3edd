/**
 * Argument checks shared by both providers, so that the same misuse fails with the same error and
 * message whichever provider runs. Shape errors are `TypeError`, size errors `RangeError`, worded
 * like @noble's (`"key" expected Uint8Array of length 32, got length=31`).
 */

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Asserts `value` is a `Uint8Array` (a Node `Buffer` qualifies), of exactly `length` bytes when
 * given. Returns it for chaining.
 */
export function assertBytes(name: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`"${name}" expected Uint8Array, got type=${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`"${name}" expected Uint8Array of length ${length}, got length=${value.length}`);
  }
  return value;
}

/** Like {@link assertBytes}, but `undefined` passes (optional parameters). */
export function assertOptionalBytes(name: string, value: unknown): Uint8Array | undefined {
  return value === undefined ? undefined : assertBytes(name, value);
}

/** Asserts `value` is an integer in `[min, max]`. */
export function assertInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`"${name}" expected integer, got type=${describe(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`"${name}" expected integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/** Limits both providers enforce identically (OpenSSL's are narrower than @noble's). */
export const LIMITS = {
  /** RFC 5869 §2.3: L <= 255 * HashLen. */
  HKDF_MAX_LENGTH: 255 * 32,
  /** OpenSSL takes the PBKDF2 iteration count as a C int. */
  PBKDF2_MAX_ITERATIONS: 0x7fffffff,
  /** OpenSSL takes the PBKDF2 output length as a C int; 1 GiB is already absurd. */
  PBKDF2_MAX_LENGTH: 1 << 30,
  /** Larger single allocations are a bug, not a request. */
  RANDOM_MAX_LENGTH: 1 << 30,
  /** `SealOptions.reserve` is for a small header, not a second message. */
  SEAL_MAX_RESERVE: 64,
} as const;

/** The `reserve` of aesGcmEncrypt's options: 0 when absent, else an integer in [0, 64]. */
export function assertReserve(options: { reserve?: number } | undefined): number {
  const reserve = options?.reserve;
  return reserve === undefined ? 0 : assertInteger('reserve', reserve, 0, LIMITS.SEAL_MAX_RESERVE);
}

/** Asserts a hash name the providers support, for HMAC. */
export function assertHashName(value: unknown): 'sha256' | 'sha512' {
  if (value === 'sha256' || value === 'sha512') return value;
  if (typeof value !== 'string') {
    throw new TypeError(`"hash" expected 'sha256' or 'sha512', got type=${describe(value)}`);
  }
  throw new RangeError(`"hash" expected 'sha256' or 'sha512', got '${value}'`);
}
