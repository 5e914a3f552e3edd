/**
 * The store-backed session API (libsignal-node's `SessionCipher`): a thin shell over the pure
 * record functions of `record-cipher.ts` that loads the record, applies the trust policy and
 * persists in the order docs/architecture.md (Persistence) requires:
 *
 * - `encrypt` stores the advanced session BEFORE it returns the ciphertext, so a ciphertext can
 *   never reach the wire ahead of its state (a crash cannot make us reuse a message key). Send only
 *   after `encrypt` resolved; if the store throws, `encrypt` rejects and there is nothing to send.
 * - A decrypt works on a record decoded from the stored bytes and stores only on success: whatever
 *   it throws (bad MAC, replay, untrusted identity, a store error on a read), the stored bytes are
 *   exactly what they were.
 * - `decryptPreKeyMessage` saves the identity, then stores the session, then removes the one-time
 *   prekey: a crash in between leaves a prekey that is merely unused, never a session without it.
 * - An archived session that decrypts a message is made the open one (libsignal Java/Rust) in the
 *   same `storeSession` as the decrypt's ratchet step, unless the store does not trust its identity.
 *
 * Operations on one address run one at a time (per store object), like libsignal-node's queue.
 */

import { copyBytes } from './_bytes';
import { decodePreKeySignalMessage } from './_prekey-signal-message';
import { loadSessionRecord, storeSessionRecord } from './_session-store-io';
import { withStoreLock } from './_store-lock';
import type { ProtocolAddress } from './address';
import { NoSessionError, UntrustedIdentityError } from './errors';
import {
  decryptDecodedPreKeyMessage,
  decryptWithRecord,
  type EncryptedMessage,
  encryptWithRecord,
  type RecordDecryptResult,
} from './record-cipher';
import { type ResolvedSessionOptions, resolveSessionOptions, type SessionOptions } from './session-options';
import type { SessionRecord } from './session-record';
import type { IdentityKeyStore, PreKeyStore, SessionStore, SignedPreKeyStore } from './store';

/** What `SessionCipher` needs from the store. */
export type SessionCipherStore = IdentityKeyStore & SessionStore & PreKeyStore & SignedPreKeyStore;

/** A decrypted message. */
export interface DecryptResult {
  plaintext: Uint8Array;
  /**
   * True when the sender's identity key replaced a different stored one: a new session with a
   * changed identity that the trust policy accepted (`onUntrustedIdentity: 'accept'`, or a store
   * that trusts changed keys). Show the user that the security code changed.
   */
  identityChanged: boolean;
}

/** Encrypts to and decrypts from one remote device. */
export class SessionCipher {
  private readonly options: ResolvedSessionOptions;
  private readonly key: string;

  constructor(
    private readonly store: SessionCipherStore,
    readonly address: ProtocolAddress,
    options?: SessionOptions,
  ) {
    this.options = resolveSessionOptions(options);
    this.key = address.toString();
  }

  private async loadRecord(): Promise<SessionRecord | undefined> {
    return loadSessionRecord(this.store, this.key);
  }

  /**
   * Encrypts `plaintext` with the open session, stores the advanced session, then returns the
   * message: `pkmsg` until the peer has answered a session we started, `msg` afterwards. Send the
   * ciphertext only after this resolved.
   *
   * @throws NoSessionError (no open session), UntrustedIdentityError (the store no longer trusts the
   *   session's identity for sending; thrown whatever `onUntrustedIdentity` says, since re-trusting an
   *   identity is the application's decision, not a side effect of sending).
   */
  encrypt(plaintext: Uint8Array): Promise<EncryptedMessage> {
    if (!(plaintext instanceof Uint8Array))
      return Promise.reject(new TypeError('"plaintext" expected a Uint8Array'));
    return withStoreLock(this.store, this.key, async () => {
      const record = await this.loadRecord();
      const state = record?.current;
      if (record === undefined || state === undefined)
        throw new NoSessionError(`no open session with ${this.key}`);
      if (!(await this.store.isTrustedIdentity(this.key, state.remoteIdentityKey, 'sending'))) {
        throw new UntrustedIdentityError(this.key, copyBytes(state.remoteIdentityKey));
      }
      const { message, record: next } = await encryptWithRecord(record, plaintext, this.options);
      await storeSessionRecord(this.store, this.key, next);
      return message;
    });
  }

  /**
   * Decrypts a `pkmsg`, starting a session from our prekeys unless one with its base key exists.
   * A new session becomes the open one (the previous one is archived); its one-time prekey is
   * removed after the session is stored. An existing session that decrypts it becomes the open one
   * too, if it was archived.
   *
   * The store's trust policy is asked about the identity key the message carries before anything
   * uses it (libsignal: `process_prekey` / `SessionBuilder.process`), whether the message starts a
   * session or continues one; a message whose identity differs from the session it names fails as
   * BadMacError.
   *
   * @throws MissingPreKeyError, UntrustedIdentityError (policy `'throw'`), DuplicateMessageError,
   *   BadMacError, TooFarInFutureError, InvalidMessageError, UnsupportedVersionError;
   *   RecordFormatError when the stored record (or an archived session it needed) is corrupt.
   */
  decryptPreKeyMessage(ciphertext: Uint8Array): Promise<DecryptResult> {
    return withStoreLock(this.store, this.key, async () => {
      if (!(ciphertext instanceof Uint8Array)) throw new TypeError('"ciphertext" expected a Uint8Array');
      const message = decodePreKeySignalMessage(ciphertext);
      const trusted = await this.checkTrust(message.identityKey);
      const local = {
        identityKeyPair: await this.store.getIdentityKeyPair(),
        registrationId: await this.store.getLocalRegistrationId(),
      };
      const record = await this.loadRecord();
      const result = await decryptDecodedPreKeyMessage(record, message, local, this.store, this.options);
      const { next, identityChanged } = await this.settle(result, trusted);
      await storeSessionRecord(this.store, this.key, next);
      if (result.preKeyId !== undefined) await this.store.removePreKey(result.preKeyId);
      return { plaintext: result.plaintext, identityChanged };
    });
  }

  /**
   * Decrypts a `msg` with the open session or an archived one; an archived one that decrypts it
   * becomes the open one (its identity trusted).
   *
   * @throws NoSessionError, UntrustedIdentityError (policy `'throw'`), DuplicateMessageError,
   *   BadMacError, TooFarInFutureError, InvalidMessageError, UnsupportedVersionError;
   *   RecordFormatError when the stored record (or an archived session it needed) is corrupt.
   */
  decryptMessage(ciphertext: Uint8Array): Promise<DecryptResult> {
    return withStoreLock(this.store, this.key, async () => {
      const record = await this.loadRecord();
      if (record === undefined) throw new NoSessionError(`no session with ${this.key}`);
      const result = await decryptWithRecord(record, ciphertext, this.options);
      // A msg names no identity: the one to judge is that of the session that decrypted it.
      const trusted = await this.checkTrust(result.remoteIdentityKey);
      const { next, identityChanged } = await this.settle(result, trusted);
      await storeSessionRecord(this.store, this.key, next);
      return { plaintext: result.plaintext, identityChanged };
    });
  }

  /**
   * Asks the store whether `identityKey` is trusted for receiving; applies the policy when it is not
   * (`'throw'`: UntrustedIdentityError). Returns the store's answer.
   */
  private async checkTrust(identityKey: Uint8Array): Promise<boolean> {
    const trusted = await this.store.isTrustedIdentity(this.key, identityKey, 'receiving');
    if (!trusted && this.options.onUntrustedIdentity === 'throw') {
      throw new UntrustedIdentityError(this.key, copyBytes(identityKey));
    }
    return trusted;
  }

  /**
   * What to persist after a decrypt, and the identity to save. The identity is saved when a session
   * was created, or when the open session's identity was untrusted and the policy accepted it. An
   * archived session with an untrusted identity (accepted by the policy) is advanced where it is:
   * neither promoted nor its identity saved, since that would make a late message of a replaced
   * identity (a reinstalled device's old install) the one we send to again.
   */
  private async settle(
    result: RecordDecryptResult,
    trusted: boolean,
  ): Promise<{ next: SessionRecord; identityChanged: boolean }> {
    if (result.usedArchivedState && !trusted)
      return { next: result.unpromotedRecord!, identityChanged: false };
    const save = result.sessionCreated || !trusted;
    const identityChanged = save
      ? await this.store.saveIdentity(this.key, copyBytes(result.remoteIdentityKey))
      : false;
    return { next: result.record, identityChanged };
  }

  /** True when there is an open session (`encrypt` would not throw NoSessionError). */
  hasOpenSession(): Promise<boolean> {
    return withStoreLock(
      this.store,
      this.key,
      async () => (await this.loadRecord())?.hasOpenSession() ?? false,
    );
  }

  /**
   * Archives the open session, as after sending or receiving an END_SESSION: messages on it still
   * decrypt, but `encrypt` needs a new session first (a new bundle, or the peer's next `pkmsg`).
   */
  closeOpenSession(): Promise<void> {
    return withStoreLock(this.store, this.key, async () => {
      const record = await this.loadRecord();
      if (record?.current === undefined) return;
      await storeSessionRecord(this.store, this.key, record.archiveCurrentState());
    });
  }
}
