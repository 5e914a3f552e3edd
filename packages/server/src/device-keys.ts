/**
 * The Signal key bundle the server holds for one device (docs/protocol.md §6.4–6.6): registration id,
 * identity, signed prekey, and the one-time prekeys it uploaded. A fetch hands out one one-time
 * prekey and forgets it, as the real server does, so two fetchers never share one.
 */
import { createHash } from 'node:crypto';
import { concatBytes } from './_bytes';

/** A signed prekey as uploaded: id, 32-byte public key, 64-byte signature. */
export interface SignedPreKeyRecord {
  id: number;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/** One bundle handed out by `takeBundle`. */
export interface KeyBundle {
  registrationId: number;
  identity: Uint8Array;
  signedPreKey: SignedPreKeyRecord;
  /** Absent when the device has no one-time prekeys left. */
  preKey?: { id: number; publicKey: Uint8Array };
}

/** A device's keys on the server. */
export class DeviceKeys {
  registrationId: number;
  identity: Uint8Array;
  signedPreKey: SignedPreKeyRecord;
  readonly #preKeys = new Map<number, Uint8Array>();

  constructor(registrationId: number, identity: Uint8Array, signedPreKey: SignedPreKeyRecord) {
    this.registrationId = registrationId;
    this.identity = identity;
    this.signedPreKey = signedPreKey;
  }

  /** One-time prekeys left. */
  get preKeyCount(): number {
    return this.#preKeys.size;
  }

  /** Ids of the one-time prekeys left, oldest first. */
  get preKeyIds(): number[] {
    return [...this.#preKeys.keys()];
  }

  /** Stores an upload: the identity, registration id and signed prekey replace the old ones, prekeys add up. */
  upload(upload: {
    registrationId: number;
    identity: Uint8Array;
    signedPreKey: SignedPreKeyRecord;
    preKeys: { id: number; publicKey: Uint8Array }[];
  }): void {
    this.registrationId = upload.registrationId;
    this.identity = upload.identity;
    this.signedPreKey = upload.signedPreKey;
    for (const key of upload.preKeys) this.#preKeys.set(key.id, key.publicKey);
  }

  /** A bundle for a session with this device, consuming its oldest one-time prekey. */
  takeBundle(): KeyBundle {
    const bundle: KeyBundle = {
      registrationId: this.registrationId,
      identity: this.identity,
      signedPreKey: this.signedPreKey,
    };
    const first = this.#preKeys.entries().next();
    if (!first.done) {
      const [id, publicKey] = first.value;
      this.#preKeys.delete(id);
      bundle.preKey = { id, publicKey };
    }
    return bundle;
  }

  /**
   * The digest hash of docs/protocol.md §6.5: SHA-1 over identity || signed prekey || its signature ||
   * every one-time prekey, in the order `preKeyIds` lists them.
   */
  digestHash(): Uint8Array {
    const parts = [
      this.identity,
      this.signedPreKey.publicKey,
      this.signedPreKey.signature,
      ...this.#preKeys.values(),
    ];
    return new Uint8Array(
      createHash('sha1')
        .update(concatBytes(...parts))
        .digest(),
    );
  }
}
