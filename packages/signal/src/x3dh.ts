/**
 * X3DH key agreement (Signal's X3DH spec, as libsignal runs it for message version 3) and the
 * first Double Ratchet state of each side. Pure: keys in, a `SessionState` out; the only randomness
 * is `crypto.generateKeyPair()`, called in a fixed order (Alice: base key, then her first ratchet
 * key) so tests can inject keys.
 *
 * Alice (the initiator) derives, with IK = identity, SPK = signed prekey, OPK = one-time prekey,
 * EK = her base key (X3DH §3.3):
 *
 *     DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   [DH4 = DH(EK_A, OPK_B)]
 *     rootKey || chainKey = HKDF(0xFF*32 || DH1 || DH2 || DH3 [|| DH4], "WhisperText")
 *
 * Bob computes the same agreements from his side. libsignal then uses Bob's signed prekey as his
 * first ratchet key: Alice ratchets once right away (Double Ratchet §3.3, "RatchetInitAlice") and
 * sends on the resulting chain; Bob holds the X3DH chain as his (never used) sending chain with the
 * signed prekey as ratchet key, and ratchets as soon as Alice's first message arrives (libsignal
 * `ratchet.rs` `initialize_alice_session` / `initialize_bob_session`).
 */

import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { copyBytes } from './_bytes';
import { agree, deriveInitialKeys, type RootAndChain, ratchetRootKey } from './_ratchet-kdf';
import { deserializePublicKey, serializePublicKey } from './public-key';
import type { SessionState } from './session-state';

/** What Alice knows when she starts a session from Bob's prekey bundle. Public keys raw unless noted. */
export interface AliceParameters {
  localIdentityKeyPair: KeyPair;
  localRegistrationId: number;
  /** Bob's identity key, 33 bytes serialized. */
  remoteIdentityKey: Uint8Array;
  remoteRegistrationId: number;
  remoteSignedPreKey: { keyId: number; publicKey: Uint8Array };
  remoteOneTimePreKey?: { keyId: number; publicKey: Uint8Array } | undefined;
}

/** What Bob knows when a `pkmsg` for a new session arrives. Public keys raw unless noted. */
export interface BobParameters {
  localIdentityKeyPair: KeyPair;
  localRegistrationId: number;
  localSignedPreKey: KeyPair;
  localOneTimePreKey?: KeyPair | undefined;
  /** Alice's identity key, 33 bytes serialized. */
  remoteIdentityKey: Uint8Array;
  remoteRegistrationId: number;
  remoteBaseKey: Uint8Array;
}

/**
 * Alice's side of X3DH: the root key and first chain key (which is also Bob's first sending chain).
 * `theirIdentityKey` raw.
 */
export async function aliceInitialKeys(
  keys: {
    ourIdentityPrivateKey: Uint8Array;
    ourBasePrivateKey: Uint8Array;
    theirIdentityKey: Uint8Array;
    theirSignedPreKey: Uint8Array;
    theirOneTimePreKey?: Uint8Array | undefined;
  },
  crypto: CryptoProvider,
): Promise<RootAndChain> {
  const agreements = [
    await agree(keys.ourIdentityPrivateKey, keys.theirSignedPreKey, crypto),
    await agree(keys.ourBasePrivateKey, keys.theirIdentityKey, crypto),
    await agree(keys.ourBasePrivateKey, keys.theirSignedPreKey, crypto),
  ];
  if (keys.theirOneTimePreKey)
    agreements.push(await agree(keys.ourBasePrivateKey, keys.theirOneTimePreKey, crypto));
  return deriveInitialKeys(agreements);
}

/** Bob's side of X3DH: the same root key and chain key as Alice's. `theirIdentityKey` raw. */
export async function bobInitialKeys(
  keys: {
    ourIdentityPrivateKey: Uint8Array;
    ourSignedPreKeyPrivateKey: Uint8Array;
    ourOneTimePreKeyPrivateKey?: Uint8Array | undefined;
    theirIdentityKey: Uint8Array;
    theirBaseKey: Uint8Array;
  },
  crypto: CryptoProvider,
): Promise<RootAndChain> {
  const agreements = [
    await agree(keys.ourSignedPreKeyPrivateKey, keys.theirIdentityKey, crypto),
    await agree(keys.ourIdentityPrivateKey, keys.theirBaseKey, crypto),
    await agree(keys.ourSignedPreKeyPrivateKey, keys.theirBaseKey, crypto),
  ];
  if (keys.ourOneTimePreKeyPrivateKey) {
    agreements.push(await agree(keys.ourOneTimePreKeyPrivateKey, keys.theirBaseKey, crypto));
  }
  return deriveInitialKeys(agreements);
}

/** Alice's first state: X3DH, then one DH ratchet step to her first sending chain. */
export async function initializeAliceSession(
  params: AliceParameters,
  crypto: CryptoProvider,
): Promise<SessionState> {
  const baseKeyPair = await crypto.generateKeyPair();
  const initial = await aliceInitialKeys(
    {
      ourIdentityPrivateKey: params.localIdentityKeyPair.privateKey,
      ourBasePrivateKey: baseKeyPair.privateKey,
      theirIdentityKey: deserializePublicKey(params.remoteIdentityKey),
      theirSignedPreKey: params.remoteSignedPreKey.publicKey,
      theirOneTimePreKey: params.remoteOneTimePreKey?.publicKey,
    },
    crypto,
  );
  // Double Ratchet §3.3: Alice's first ratchet key is fresh; Bob's is his signed prekey.
  const ratchetKeyPair = await crypto.generateKeyPair();
  const sending = await ratchetRootKey(
    initial.rootKey,
    params.remoteSignedPreKey.publicKey,
    ratchetKeyPair.privateKey,
    crypto,
  );
  return {
    localIdentityKey: serializePublicKey(params.localIdentityKeyPair.publicKey),
    remoteIdentityKey: copyBytes(params.remoteIdentityKey),
    localRegistrationId: params.localRegistrationId,
    remoteRegistrationId: params.remoteRegistrationId,
    baseKey: baseKeyPair.publicKey,
    baseKeyIsOurs: true,
    rootKey: sending.rootKey,
    previousCounter: 0,
    senderChain: { ratchetKeyPair, chainKey: sending.chainKey, index: 0 },
    // libsignal-java would also keep the X3DH chain as a receiving chain for Bob's signed prekey;
    // libsignal-node does not, and no implementation ever sends on it (Bob ratchets before he
    // can send), so it is left out.
    receiverChains: [],
    pendingPreKey: {
      preKeyId: params.remoteOneTimePreKey?.keyId,
      signedPreKeyId: params.remoteSignedPreKey.keyId,
      baseKey: baseKeyPair.publicKey,
    },
  };
}

/** Bob's first state, before the ratchet step that Alice's first message triggers. */
export async function initializeBobSession(
  params: BobParameters,
  crypto: CryptoProvider,
): Promise<SessionState> {
  const initial = await bobInitialKeys(
    {
      ourIdentityPrivateKey: params.localIdentityKeyPair.privateKey,
      ourSignedPreKeyPrivateKey: params.localSignedPreKey.privateKey,
      ourOneTimePreKeyPrivateKey: params.localOneTimePreKey?.privateKey,
      theirIdentityKey: deserializePublicKey(params.remoteIdentityKey),
      theirBaseKey: params.remoteBaseKey,
    },
    crypto,
  );
  return {
    localIdentityKey: serializePublicKey(params.localIdentityKeyPair.publicKey),
    remoteIdentityKey: copyBytes(params.remoteIdentityKey),
    localRegistrationId: params.localRegistrationId,
    remoteRegistrationId: params.remoteRegistrationId,
    baseKey: copyBytes(params.remoteBaseKey),
    baseKeyIsOurs: false,
    rootKey: initial.rootKey,
    previousCounter: 0,
    senderChain: { ratchetKeyPair: params.localSignedPreKey, chainKey: initial.chainKey, index: 0 },
    receiverChains: [],
    pendingPreKey: undefined,
  };
}
