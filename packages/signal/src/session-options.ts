/** Options shared by `SessionBuilder`, `SessionCipher` and the record-level functions. */
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { MAX_FORWARD_JUMP } from './session-state';

/**
 * What to do when the store's trust policy (`isTrustedIdentity`) refuses a peer's identity key:
 * `'throw'` an UntrustedIdentityError and change nothing (the default, libsignal's behaviour), or
 * `'accept'` it: save the new identity (`saveIdentity`) and report `identityChanged: true`, so the
 * application can show "security code changed" without losing the message.
 */
export type UntrustedIdentityPolicy = 'throw' | 'accept';

/** Options of the session API. */
export interface SessionOptions {
  /** The crypto provider; `nobleCrypto` by default (pass `nodeCrypto` on Node for speed). */
  crypto?: CryptoProvider;
  /** Default `'throw'`. Applies to receiving and to `processPreKeyBundle`; encrypt always throws. */
  onUntrustedIdentity?: UntrustedIdentityPolicy;
  /**
   * How many message keys one incoming message may make us derive ahead of the next expected one
   * (default MAX_FORWARD_JUMP, 2000). Raise it for peers known to send long bursts unseen, such as
   * one's own other devices; every step costs two HMACs, also for a forged message.
   */
  maxForwardJump?: number;
}

/** Options with defaults applied. Internal. */
export interface ResolvedSessionOptions {
  crypto: CryptoProvider;
  onUntrustedIdentity: UntrustedIdentityPolicy;
  maxForwardJump: number;
}

/** Applies defaults and checks values. Internal. */
export function resolveSessionOptions(options: SessionOptions = {}): ResolvedSessionOptions {
  const onUntrustedIdentity = options.onUntrustedIdentity ?? 'throw';
  if (onUntrustedIdentity !== 'throw' && onUntrustedIdentity !== 'accept') {
    throw new TypeError(
      `"onUntrustedIdentity" expected 'throw' or 'accept', got ${String(onUntrustedIdentity)}`,
    );
  }
  const maxForwardJump = options.maxForwardJump ?? MAX_FORWARD_JUMP;
  if (!Number.isInteger(maxForwardJump) || maxForwardJump < 0) {
    throw new RangeError(`"maxForwardJump" expected a non-negative integer, got ${maxForwardJump}`);
  }
  return { crypto: options.crypto ?? nobleCrypto, onUntrustedIdentity, maxForwardJump };
}
