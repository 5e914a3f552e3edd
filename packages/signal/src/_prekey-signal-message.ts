/**
 * The `pkmsg` wire message (libsignal `PreKeySignalMessage`, formerly `PreKeyWhisperMessage`): the
 * first messages of a session Alice started from Bob's prekey bundle, carrying what Bob needs to
 * run X3DH himself (X3DH §3.3, "the initial message"):
 *
 *     0x33 || PreKeySignalMessage{preKeyId=1, baseKey=2 (33 B), identityKey=3 (33 B),
 *                                 message=4 (a whole `msg`, MAC included), registrationId=5,
 *                                 signedPreKeyId=6}
 *
 * No MAC of its own: the inner message's MAC covers the identities (docs/protocol.md §6.2). Fields are
 * written in field-number order, byte-identical to libsignal-node. Internal.
 */

import { WIRE_SLAB } from './_byte-slabs';
import { copyBytes } from './_bytes';
import { optionalUint, ProtoWriter, readProto, requireBytes, requireUint } from './_protobuf';
import {
  CIPHERTEXT_VERSION,
  checkVersionByte,
  decodeSignalMessage,
  type SignalMessage,
} from './_signal-message';
import { deserializePublicKey, serializePublicKey } from './public-key';

const WHAT = 'PreKeySignalMessage';

/** A decoded `pkmsg`. The base key is raw (32 bytes), the identity key serialized (33 bytes). */
export interface PreKeySignalMessage {
  preKeyId: number | undefined;
  signedPreKeyId: number;
  baseKey: Uint8Array;
  identityKey: Uint8Array;
  registrationId: number;
  message: SignalMessage;
}

/** Parses a `pkmsg` and the `msg` inside it (whose MAC is checked later, with the session's keys). */
export function decodePreKeySignalMessage(bytes: Uint8Array): PreKeySignalMessage {
  checkVersionByte(bytes, WHAT);
  const fields = readProto(bytes.subarray(1), WHAT);
  const identityKey = requireBytes(fields, 3, WHAT);
  deserializePublicKey(identityKey); // validates the 0x05 type byte and length
  return {
    preKeyId: optionalUint(fields, 1, WHAT),
    signedPreKeyId: requireUint(fields, 6, WHAT),
    baseKey: deserializePublicKey(requireBytes(fields, 2, WHAT)),
    identityKey: copyBytes(identityKey),
    // Optional in the schema; libsignal-java reads an absent id as 0 and so do we.
    registrationId: optionalUint(fields, 5, WHAT) ?? 0,
    message: decodeSignalMessage(requireBytes(fields, 4, WHAT)),
  };
}

/** Wraps an encoded `msg` into a `pkmsg`. */
export function encodePreKeySignalMessage(fields: {
  preKeyId: number | undefined;
  signedPreKeyId: number;
  baseKey: Uint8Array;
  identityKey: Uint8Array;
  registrationId: number;
  message: Uint8Array;
}): Uint8Array {
  const writer = new ProtoWriter(WIRE_SLAB);
  if (fields.preKeyId !== undefined) writer.uint32(1, fields.preKeyId);
  return writer
    .bytes(2, serializePublicKey(fields.baseKey))
    .bytes(3, fields.identityKey)
    .bytes(4, fields.message)
    .uint32(5, fields.registrationId)
    .uint32(6, fields.signedPreKeyId)
    .finish(CIPHERTEXT_VERSION);
}
