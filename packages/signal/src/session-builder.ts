/**
 * Starting a session from a peer's prekey bundle (X3DH §3.2-3.3, Alice's side): the pure
 * `initSessionFromBundle` and the store-backed `SessionBuilder` (libsignal-node's
 * `SessionBuilder#initOutgoing`). Unlike libsignal-node, the signed prekey's signature IS verified
 * (X3DH §3.3: "Alice verifies the prekey signature and aborts the protocol if verification fails").
 */

import type { CryptoProvider } from '@wakit/crypto';
import { copyBytes } from './_bytes';
import { loadSessionRecord, storeSessionRecord } from './_session-store-io';
import { withStoreLock } from './_store-lock';
import type { ProtocolAddress } from './address';
import { InvalidSignatureError, UntrustedIdentityError } from './errors';
import { deserializePublicKey } from './public-key';
import type { LocalIdentity } from './record-cipher';
import { resolveSessionOptions, type SessionOptions } from './session-options';
import { SessionRecord } from './session-record';
import type { IdentityKeyStore, SessionStore } from './store';
import { initializeAliceSession } from './x3dh';

/**
 * A device's prekey bundle, as fetched from the server (docs/protocol.md §6.6). Keys are the 33-byte
 * serialized form (prefix the raw 32-byte keys of a WhatsApp `<key>` node with `serializePublicKey`).
 * Same shape as libsignal-node's `initOutgoing(device)` argument, and as the bundles Baileys builds
 * from a `<user>` node (`parseAndInjectE2ESessions`), which carry no `deviceId`.
 */
export interface PreKeyBundle {
  registrationId: number;
  /**
   * Optional and informational: the session is stored under the builder's address, which already
   * names the device. Checked only when present.
   */
  deviceId?: number | undefined;
  identityKey: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array };
  preKey?: { keyId: number; publicKey: Uint8Array } | undefined;
}

function checkId(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) {
    throw new RangeError(`"${name}" expected an integer in [0, 2^32-1], got ${String(value)}`);
  }
  return value as number;
}

function checkBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${name}" expected a Uint8Array`);
  return value;
}

/** A bundle's keys, checked and with the raw forms the X3DH code takes. */
interface CheckedBundle {
  identityKey: Uint8Array;
  identityKeyRaw: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; publicKeyRaw: Uint8Array; signature: Uint8Array };
  oneTime: { keyId: number; publicKey: Uint8Array } | undefined;
}

/** Shape checks (TypeError, RangeError) and key decoding (InvalidMessageError); no cryptography. */
function checkBundle(bundle: PreKeyBundle): CheckedBundle {
  if (typeof bundle !== 'object' || bundle === null) throw new TypeError('"bundle" expected an object');
  checkId(bundle.registrationId, 'registrationId');
  if (bundle.deviceId !== undefined) checkId(bundle.deviceId, 'deviceId');
  if (typeof bundle.signedPreKey !== 'object' || bundle.signedPreKey === null) {
    throw new TypeError('"signedPreKey" expected an object');
  }
  const identityKey = checkBytes(bundle.identityKey, 'identityKey');
  const signedPreKey = checkBytes(bundle.signedPreKey.publicKey, 'signedPreKey.publicKey');
  return {
    identityKey,
    identityKeyRaw: deserializePublicKey(identityKey),
    signedPreKey: {
      keyId: checkId(bundle.signedPreKey.keyId, 'signedPreKey.keyId'),
      publicKey: signedPreKey,
      publicKeyRaw: deserializePublicKey(signedPreKey),
      signature: checkBytes(bundle.signedPreKey.signature, 'signedPreKey.signature'),
    },
    oneTime:
      bundle.preKey === undefined
        ? undefined
        : {
            keyId: checkId(bundle.preKey.keyId, 'preKey.keyId'),
            publicKey: deserializePublicKey(checkBytes(bundle.preKey.publicKey, 'preKey.publicKey')),
          },
  };
}

/**
 * A new session from `bundle`, made the open session of `record` (any previous open session is
 * archived). Pure: trust decisions are the caller's (see `SessionBuilder`).
 *
 * @throws InvalidSignatureError when the signed prekey signature does not verify;
 *   InvalidMessageError when a key is malformed or of low order.
 */
export async function initSessionFromBundle(
  record: SessionRecord | undefined,
  bundle: PreKeyBundle,
  local: LocalIdentity,
  options?: { crypto?: CryptoProvider },
): Promise<SessionRecord> {
  const { crypto } = resolveSessionOptions(options);
  const checked = checkBundle(bundle);
  const spk = checked.signedPreKey;
  // The signature covers the 33-byte serialized key (docs/protocol.md §6.1).
  if (
    spk.signature.length !== 64 ||
    !(await crypto.verify(checked.identityKeyRaw, spk.publicKey, spk.signature))
  ) {
    throw new InvalidSignatureError(`signed prekey ${spk.keyId} has no valid signature by the identity key`);
  }
  const state = await initializeAliceSession(
    {
      localIdentityKeyPair: local.identityKeyPair,
      localRegistrationId: local.registrationId,
      remoteIdentityKey: checked.identityKey,
      remoteRegistrationId: bundle.registrationId,
      remoteSignedPreKey: { keyId: spk.keyId, publicKey: spk.publicKeyRaw },
      remoteOneTimePreKey: checked.oneTime,
    },
    crypto,
  );
  return (record ?? new SessionRecord()).promoteState(state);
}

/** What `SessionBuilder` needs from the store. */
export type SessionBuilderStore = IdentityKeyStore & SessionStore;

/** Starts sessions with one remote device from its prekey bundles. */
export class SessionBuilder {
  private readonly options;

  constructor(
    private readonly store: SessionBuilderStore,
    readonly address: ProtocolAddress,
    options?: SessionOptions,
  ) {
    this.options = resolveSessionOptions(options);
  }

  /**
   * Verifies `bundle`, checks its identity with the store's trust policy (direction `sending`),
   * runs X3DH and stores the new session as the open one; the next `encrypt` sends a `pkmsg`.
   * The identity is saved (`saveIdentity`) before the session is stored.
   *
   * @returns `identityChanged`: true when the bundle's identity replaced a different stored one
   *   (possible with `onUntrustedIdentity: 'accept'`, or a store that trusts changed keys).
   * @throws InvalidSignatureError, UntrustedIdentityError (policy `'throw'`), InvalidMessageError.
   * @example
   * await new SessionBuilder(store, new ProtocolAddress('15551234567', 0)).processPreKeyBundle(bundle);
   */
  async processPreKeyBundle(bundle: PreKeyBundle): Promise<{ identityChanged: boolean }> {
    const address = this.address.toString();
    // A malformed bundle is refused before the store is asked anything.
    const { identityKey } = checkBundle(bundle);
    return withStoreLock(this.store, address, async () => {
      const trusted = await this.store.isTrustedIdentity(address, identityKey, 'sending');
      if (!trusted && this.options.onUntrustedIdentity === 'throw') {
        throw new UntrustedIdentityError(address, copyBytes(identityKey));
      }
      const local: LocalIdentity = {
        identityKeyPair: await this.store.getIdentityKeyPair(),
        registrationId: await this.store.getLocalRegistrationId(),
      };
      const record = await loadSessionRecord(this.store, address);
      const next = await initSessionFromBundle(record, bundle, local, this.options);
      const identityChanged = await this.store.saveIdentity(address, copyBytes(identityKey));
      await storeSessionRecord(this.store, address, next);
      return { identityChanged };
    });
  }

  /** libsignal-node's name for `processPreKeyBundle`. */
  initOutgoing(bundle: PreKeyBundle): Promise<{ identityChanged: boolean }> {
    return this.processPreKeyBundle(bundle);
  }
}
