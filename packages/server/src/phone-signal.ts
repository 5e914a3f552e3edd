/**
 * A virtual phone's Signal state: its identity, signed prekey and one-time prekeys with their
 * private halves (in a `MemorySignalStore`), and its sessions with other devices. The public halves
 * of the one-time prekeys are published in the phone's `DeviceKeys` on the server, as a client's
 * upload would put them there; since the phone is the server's own device, publishing is a method
 * call, not an IQ. Sessions are stored under each device's LID address (`lidUser.device`), so a
 * device that writes to the phone in the PN namespace and later in the LID one keeps one session.
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import {
  type DecryptResult,
  type EncryptedMessage,
  generatePreKeys,
  generateSignedPreKey,
  MAX_PREKEY_ID,
  MemorySignalStore,
  type PreKey,
  type PreKeyBundle,
  ProtocolAddress,
  SessionBuilder,
  SessionCipher,
  type SessionOptions,
  type SignedPreKey,
  serializePublicKey,
} from '@wakit/signal';
import { lidUserOf } from './addresses';
import { DeviceKeys, type KeyBundle } from './device-keys';
import type { DeviceRecord } from './server-state';

/**
 * One-time prekeys a phone publishes at creation, and again whenever fewer than the server's
 * `lowPreKeyThreshold` are left.
 */
export const PHONE_PREKEY_COUNT = 20;

/** The Signal wire types a 1:1 `<enc>` carries (docs/protocol.md §6.2). */
export type PairwiseType = 'pkmsg' | 'msg';

/** One phone's keys and sessions. */
export class PhoneSignal {
  /** Private keys and sessions. Exposed for tests that inspect or corrupt sessions. */
  readonly store: MemorySignalStore;
  /** What the server hands out for device 0: registration id, identity, signed prekey, one-time prekeys. */
  readonly keys: DeviceKeys;
  readonly #crypto: CryptoProvider;
  readonly #options: SessionOptions;
  readonly #signedPreKey: SignedPreKey;
  #nextPreKeyId = 1;
  #refill: Promise<void> | undefined;

  private constructor(
    crypto: CryptoProvider,
    identity: KeyPair,
    registrationId: number,
    signedPreKey: SignedPreKey,
  ) {
    this.#crypto = crypto;
    // A phone shows "security code changed" and carries on when a contact's identity changes; a
    // test fixture should do the same rather than refuse the contact's messages.
    this.#options = { crypto, onUntrustedIdentity: 'accept' };
    this.#signedPreKey = signedPreKey;
    this.store = new MemorySignalStore(identity, registrationId);
    this.store.addSignedPreKey(signedPreKey.keyId, signedPreKey.keyPair);
    this.keys = new DeviceKeys(registrationId, identity.publicKey, {
      id: signedPreKey.keyId,
      publicKey: signedPreKey.keyPair.publicKey,
      signature: signedPreKey.signature,
    });
  }

  /** A phone's Signal state with a fresh signed prekey and `preKeyCount` published one-time prekeys. */
  static async create(
    crypto: CryptoProvider,
    identity: KeyPair,
    registrationId: number,
    preKeyCount: number,
  ): Promise<PhoneSignal> {
    const signedPreKey = await generateSignedPreKey(identity, 1, crypto);
    const signal = new PhoneSignal(crypto, identity, registrationId, signedPreKey);
    await signal.publishPreKeys(preKeyCount);
    return signal;
  }

  /** The signed prekey (id, key pair, signature), as a retry receipt's `<skey>` carries it. */
  get signedPreKey(): SignedPreKey {
    return this.#signedPreKey;
  }

  /**
   * Generates `count` one-time prekeys, keeps their private halves and publishes the public halves,
   * so that the next bundle fetches hand them out (docs/protocol.md §6.4, as an upload would).
   */
  async publishPreKeys(count: number): Promise<void> {
    const preKeys = await this.#generate(count);
    this.keys.upload({
      registrationId: this.keys.registrationId,
      identity: this.keys.identity,
      signedPreKey: this.keys.signedPreKey,
      preKeys: preKeys.map((k) => ({ id: k.keyId, publicKey: k.keyPair.publicKey })),
    });
  }

  /**
   * Publishes `count` more prekeys when fewer than `threshold` are left; concurrent calls share one
   * refill. Resolves when the keys are published (or none were needed).
   */
  refillIfLow(threshold: number, count: number): Promise<void> {
    if (this.keys.preKeyCount >= threshold) return this.#refill ?? Promise.resolve();
    this.#refill ??= this.publishPreKeys(count).finally(() => {
      this.#refill = undefined;
    });
    return this.#refill;
  }

  /**
   * A one-time prekey that is kept but not published: the one a retry receipt offers the sender
   * (docs/protocol.md §7.5: "the one-time key is marked used, not uploaded").
   */
  async unpublishedPreKey(): Promise<PreKey> {
    const [preKey] = await this.#generate(1);
    return preKey!;
  }

  async #generate(count: number): Promise<PreKey[]> {
    // The ids are taken before the first await, so overlapping calls never share one. They wrap at
    // MAX_PREKEY_ID back to 1, as generatePreKeys numbers them.
    const start = this.#nextPreKeyId;
    this.#nextPreKeyId = ((start - 1 + count) % MAX_PREKEY_ID) + 1;
    const preKeys = await generatePreKeys(start, count, this.#crypto);
    for (const key of preKeys) this.store.addPreKey(key.keyId, key.keyPair);
    return preKeys;
  }

  /** The Signal address of `record`'s sessions with this phone. */
  address(record: DeviceRecord): ProtocolAddress {
    return new ProtocolAddress(lidUserOf(record), record.device);
  }

  /** True when there is an open session with `record` to encrypt with. */
  hasSession(record: DeviceRecord): Promise<boolean> {
    return new SessionCipher(this.store, this.address(record), this.#options).hasOpenSession();
  }

  /** Starts a new session with `record` from `bundle` (the old one, if any, is archived). */
  async startSession(record: DeviceRecord, bundle: PreKeyBundle): Promise<void> {
    await new SessionBuilder(this.store, this.address(record), this.#options).processPreKeyBundle(bundle);
  }

  /**
   * Encrypts for `record`, first starting a session from a bundle the server hands out (consuming a
   * one-time prekey, as a real fetch does) when there is none.
   */
  async encrypt(record: DeviceRecord, plaintext: Uint8Array): Promise<EncryptedMessage> {
    if (!(await this.hasSession(record)))
      await this.startSession(record, toPreKeyBundle(record.keys.takeBundle()));
    return new SessionCipher(this.store, this.address(record), this.#options).encrypt(plaintext);
  }

  /** Decrypts a `pkmsg` or `msg` from `record`; a failure leaves every session as it was. */
  decrypt(record: DeviceRecord, type: PairwiseType, ciphertext: Uint8Array): Promise<DecryptResult> {
    const cipher = new SessionCipher(this.store, this.address(record), this.#options);
    return type === 'pkmsg' ? cipher.decryptPreKeyMessage(ciphertext) : cipher.decryptMessage(ciphertext);
  }
}

/** The server's bundle for a device, in the 33-byte key form @wakit/signal takes (docs/protocol.md §6.1). */
export function toPreKeyBundle(bundle: KeyBundle): PreKeyBundle {
  return {
    registrationId: bundle.registrationId,
    identityKey: serializePublicKey(bundle.identity),
    signedPreKey: {
      keyId: bundle.signedPreKey.id,
      publicKey: serializePublicKey(bundle.signedPreKey.publicKey),
      signature: bundle.signedPreKey.signature,
    },
    preKey:
      bundle.preKey === undefined
        ? undefined
        : { keyId: bundle.preKey.id, publicKey: serializePublicKey(bundle.preKey.publicKey) },
  };
}
