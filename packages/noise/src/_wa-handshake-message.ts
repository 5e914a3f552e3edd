/**
 * The HandshakeMessage protobuf (docs/protocol.md §2.3) around the Noise messages: WhatsApp carries each
 * Noise message's parts in separate fields instead of one concatenation, so these helpers cut a Noise
 * message into fields and join fields back into a Noise message, checking every length on the way in.
 *
 *   ClientHello  {ephemeral}                    XX   `-> e`
 *   ClientHello  {ephemeral, static, payload}   IK   `-> e, es, s, ss` + payload
 *   ServerHello  {ephemeral, static, payload}   XX / XXfallback `<- e, ee, s, es` + payload
 *   ServerHello  {ephemeral, payload}           IK   `<- e, ee, se` + payload
 *   ClientFinish {static, payload}              XX / XXfallback `-> s, se` + payload
 */
import {
  create,
  fromBinary,
  type HandshakeMessage,
  type HandshakeMessage_ClientFinish,
  type HandshakeMessage_ClientHello,
  type HandshakeMessage_ServerHello,
  HandshakeMessageSchema,
  toBinary,
} from '@wakit/proto';
import { concatBytes } from './_bytes';
import { HandshakeMessageError } from './errors';
import { AEAD_TAG_SIZE, DH_KEY_SIZE } from './wa-constants';

/** An encrypted static key: 32 bytes and a tag. */
export const SEALED_KEY_SIZE = DH_KEY_SIZE + AEAD_TAG_SIZE;

type Field = 'clientHello' | 'serverHello' | 'clientFinish';
type Body<F extends Field> = F extends 'clientHello'
  ? HandshakeMessage_ClientHello
  : F extends 'serverHello'
    ? HandshakeMessage_ServerHello
    : HandshakeMessage_ClientFinish;

/** The `field` of the HandshakeMessage in `frame`; HandshakeMessageError when absent or unparsable. */
export function decodeHandshakeMessage<F extends Field>(frame: Uint8Array, field: F): Body<F> {
  let message: HandshakeMessage;
  try {
    message = fromBinary(HandshakeMessageSchema, frame);
  } catch (cause) {
    throw new HandshakeMessageError(`expected a HandshakeMessage protobuf (${frame.length} bytes)`, {
      cause,
    });
  }
  const body = message[field] as Body<F> | undefined;
  if (body === undefined) throw new HandshakeMessageError(`the HandshakeMessage has no ${field}`);
  return body;
}

/** Throws HandshakeMessageError unless `bytes` has exactly `size` bytes. */
export function requireLength(bytes: Uint8Array, size: number, what: string): Uint8Array {
  if (bytes.length !== size) {
    throw new HandshakeMessageError(`${what} has ${bytes.length} bytes, expected ${size}`);
  }
  return bytes;
}

/** Throws HandshakeMessageError unless `bytes` can hold a ciphertext (at least a tag). */
export function requireCiphertext(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length < AEAD_TAG_SIZE) {
    throw new HandshakeMessageError(`${what} has ${bytes.length} bytes, too short for a ciphertext`);
  }
  return bytes;
}

/** The parts of a Noise message: an ephemeral key, a sealed static key, an encrypted payload. */
export interface NoiseParts {
  ephemeral?: Uint8Array;
  static?: Uint8Array;
  payload: Uint8Array;
}

/** Cuts a written Noise message into its parts, by the tokens it carried. */
export function splitNoiseMessage(
  message: Uint8Array,
  layout: { ephemeral: boolean; static: boolean },
): NoiseParts {
  let offset = 0;
  const parts: NoiseParts = { payload: message };
  if (layout.ephemeral) {
    parts.ephemeral = message.subarray(0, DH_KEY_SIZE);
    offset = DH_KEY_SIZE;
  }
  if (layout.static) {
    parts.static = message.subarray(offset, offset + SEALED_KEY_SIZE);
    offset += SEALED_KEY_SIZE;
  }
  parts.payload = message.subarray(offset);
  return parts;
}

/** Joins parts (already length-checked) back into the Noise message they came from. */
export function joinNoiseMessage(parts: NoiseParts): Uint8Array {
  const list: Uint8Array[] = [];
  if (parts.ephemeral !== undefined) list.push(parts.ephemeral);
  if (parts.static !== undefined) list.push(parts.static);
  list.push(parts.payload);
  return concatBytes(...list);
}

/** Encodes one HandshakeMessage with the given body. */
export function encodeHandshakeMessage(field: Field, parts: NoiseParts): Uint8Array {
  const body: Record<string, Uint8Array> = {};
  if (parts.ephemeral !== undefined) body.ephemeral = parts.ephemeral;
  if (parts.static !== undefined) body.static = parts.static;
  // An XX ClientHello carries no payload field at all (whatsmeow, whatsapp-rust, Baileys).
  if (parts.payload.length > 0) body.payload = parts.payload;
  return toBinary(HandshakeMessageSchema, create(HandshakeMessageSchema, { [field]: body }));
}
