/**
 * The sender-key distribution message (SKDM): how a group sender hands its chain key and signing
 * key to each recipient device, inside a pairwise `pkmsg`/`msg` (docs/protocol.md §6.7).
 *
 * Wire form: the version byte 0x33, then the protobuf
 * `SenderKeyDistributionMessage { id = 1, iteration = 2, chainKey = 3, signingKey = 4 }`, with no
 * MAC or signature after it (the pairwise session authenticates it). Fields are written in
 * field-number order, as libsignal (whatsapp-rust `protocol.rs`) and Baileys (protobufjs) do, so the
 * bytes are identical to theirs.
 */

import { SECRET_SLAB } from './_byte-slabs';
import { copyBytes } from './_bytes';
import { ProtoWriter, readProto, requireBytes, requireUint } from './_protobuf';
import { InvalidMessageError, UnsupportedVersionError } from './errors';
import { deserializePublicKey, serializePublicKey } from './public-key';

/** The version byte of every sender-key message: (3 << 4) | 3 (docs/protocol.md §6.1). */
export const SENDER_KEY_VERSION_BYTE = 0x33;
/** The protocol version in the high nibble of the version byte. */
const CURRENT_VERSION = 3;
/** Length of a sender chain key, in bytes. */
export const SENDER_CHAIN_KEY_LENGTH = 32;

/** A decoded (or freshly created) SKDM. */
export interface SenderKeyDistributionMessage {
  /** The sender-key id (chain id) the recipient files the state under; below 2^31 when we create it. */
  readonly keyId: number;
  /** The iteration `chainKey` serves: the next message the sender will encrypt. */
  readonly iteration: number;
  /** The 32-byte chain key at `iteration`. */
  readonly chainKey: Uint8Array;
  /** The sender's raw 32-byte signing public key (0x05-prefixed on the wire). */
  readonly signingKey: Uint8Array;
  /** The wire bytes: what goes into `Message.senderKeyDistributionMessage.axolotlSenderKeyDistributionMessage`. */
  readonly serialized: Uint8Array;
}

/**
 * The wire bytes of an SKDM.
 *
 * @example
 * const bytes = encodeSenderKeyDistributionMessage({ keyId, iteration: 0, chainKey, signingKey });
 */
export function encodeSenderKeyDistributionMessage(
  message: Omit<SenderKeyDistributionMessage, 'serialized'>,
): Uint8Array {
  if (message.chainKey.length !== SENDER_CHAIN_KEY_LENGTH) {
    throw new RangeError(
      `"chainKey" expected Uint8Array of length 32, got length=${message.chainKey.length}`,
    );
  }
  return new ProtoWriter(SECRET_SLAB)
    .uint32(1, message.keyId)
    .uint32(2, message.iteration)
    .bytes(3, message.chainKey)
    .bytes(4, serializePublicKey(message.signingKey))
    .finish(SENDER_KEY_VERSION_BYTE);
}

/**
 * Checks the version byte of a sender-key message or SKDM. Like libsignal, only the high nibble (the
 * message's version) is compared; the low nibble (the sender's current version) is not.
 */
export function checkSenderKeyVersion(bytes: Uint8Array, what: string): void {
  if (bytes.length === 0) throw new InvalidMessageError(`${what}: empty`);
  const version = bytes[0]! >> 4;
  if (version !== CURRENT_VERSION) {
    throw new UnsupportedVersionError(
      `${what}: version ${version} (byte 0x${bytes[0]!.toString(16)}), expected 3`,
    );
  }
}

/**
 * Parses an SKDM. All four fields are required; the chain key must be 32 bytes and the signing key
 * 33 bytes starting with 0x05 (libsignal refuses the same inputs).
 *
 * @throws UnsupportedVersionError when the version is not 3; InvalidMessageError for anything else.
 */
export function decodeSenderKeyDistributionMessage(bytes: Uint8Array): SenderKeyDistributionMessage {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"skdm" expected a Uint8Array');
  const what = 'SenderKeyDistributionMessage';
  checkSenderKeyVersion(bytes, what);
  const fields = readProto(bytes.subarray(1), what);
  return {
    keyId: requireUint(fields, 1, what),
    iteration: requireUint(fields, 2, what),
    chainKey: copyBytes(requireBytes(fields, 3, what, SENDER_CHAIN_KEY_LENGTH)),
    signingKey: copyBytes(deserializePublicKey(requireBytes(fields, 4, what))),
    serialized: copyBytes(bytes),
  };
}
