/**
 * The sender-key message, WhatsApp's `<enc type="skmsg">` (docs/protocol.md §6.2): one ciphertext for the
 * whole group, signed by the sender.
 *
 * Wire form: the version byte 0x33, the protobuf `SenderKeyMessage { id = 1, iteration = 2,
 * ciphertext = 3 }` (field-number order, byte-identical to libsignal and Baileys), then a 64-byte
 * XEdDSA signature by the sender's signing key over everything before it.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { WIRE_SLAB } from './_byte-slabs';
import { copyBytes } from './_bytes';
import { ProtoWriter, readProto, requireBytes, requireUint } from './_protobuf';
import { InvalidMessageError } from './errors';
import { checkSenderKeyVersion, SENDER_KEY_VERSION_BYTE } from './sender-key-distribution-message';

/** Length of the XEdDSA signature that ends every sender-key message. */
export const SENDER_KEY_SIGNATURE_LENGTH = 64;

/** A parsed sender-key message. `signed` and `ciphertext` are views into the bytes it was parsed from. */
export interface SenderKeyMessage {
  /** The sender-key id (chain id) the message was encrypted under. */
  readonly keyId: number;
  /** The chain iteration of its message key. */
  readonly iteration: number;
  /** The AES-256-CBC ciphertext. */
  readonly ciphertext: Uint8Array;
  /** What the signature covers: the version byte and the protobuf. */
  readonly signed: Uint8Array;
  /** The 64-byte XEdDSA signature. */
  readonly signature: Uint8Array;
}

/**
 * Builds and signs a sender-key message.
 *
 * @param signingPrivateKey the sender's raw 32-byte signing private key.
 */
export async function encodeSenderKeyMessage(
  keyId: number,
  iteration: number,
  ciphertext: Uint8Array,
  signingPrivateKey: Uint8Array,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  // The signature goes into the message's own array, after the bytes it signs.
  const out = new ProtoWriter(WIRE_SLAB)
    .uint32(1, keyId)
    .uint32(2, iteration)
    .bytes(3, ciphertext)
    .finish(SENDER_KEY_VERSION_BYTE, SENDER_KEY_SIGNATURE_LENGTH);
  const end = out.length - SENDER_KEY_SIGNATURE_LENGTH;
  out.set(await crypto.sign(signingPrivateKey, out.subarray(0, end)), end);
  return out;
}

/**
 * Parses a sender-key message without checking its signature (that needs the sender's state:
 * `groupDecrypt` does it before anything else).
 *
 * @throws UnsupportedVersionError when the version is not 3; InvalidMessageError when the message is
 * shorter than a version byte and a signature, or its protobuf lacks a field.
 */
export function decodeSenderKeyMessage(bytes: Uint8Array): SenderKeyMessage {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"skmsg" expected a Uint8Array');
  const what = 'SenderKeyMessage';
  // libsignal's bound: a version byte and a signature at least (protocol.rs `TryFrom<&[u8]>`).
  if (bytes.length < 1 + SENDER_KEY_SIGNATURE_LENGTH) {
    throw new InvalidMessageError(`${what}: ${bytes.length} bytes is too short`);
  }
  checkSenderKeyVersion(bytes, what);
  const end = bytes.length - SENDER_KEY_SIGNATURE_LENGTH;
  const fields = readProto(bytes.subarray(1, end), what);
  return {
    keyId: requireUint(fields, 1, what),
    iteration: requireUint(fields, 2, what),
    ciphertext: requireBytes(fields, 3, what),
    signed: bytes.subarray(0, end),
    // A copy, not a view: it goes to the provider's verify, and a verify that edits its input would
    // corrupt the caller's message for every later decrypt (@wakit/crypto's did, on Buffers, until
    // 49ed649: it cleared the sign bit in place). 64 bytes buy that guarantee from any provider.
    signature: copyBytes(bytes.subarray(end)),
  };
}
