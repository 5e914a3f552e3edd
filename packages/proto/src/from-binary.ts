/**
 * `fromBinary` with wakit's error contract: protobuf-es throws plain `Error`s (and the odd
 * `RangeError`) on malformed bytes, which a caller cannot tell from a bug. Bytes from a peer are
 * untrusted input, so any failure to decode them becomes a typed `ProtoDecodeError`.
 */
import {
  type BinaryReadOptions,
  type DescMessage,
  fromBinary as decode,
  type MessageShape,
} from '@bufbuild/protobuf';
import { ProtoDecodeError } from './errors';

/**
 * Decodes `bytes` as the message `schema` describes (protobuf-es `fromBinary`).
 *
 * @throws ProtoDecodeError when the bytes are not a valid encoding of that message.
 * @example
 * ```ts
 * try {
 *   const hello = fromBinary(HandshakeMessageSchema, frame);
 * } catch (error) {
 *   if (isWakitError(error, ProtoDecodeError)) refuse(error.typeName);
 * }
 * ```
 */
export function fromBinary<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
  options?: Partial<BinaryReadOptions>,
): MessageShape<Desc> {
  try {
    return decode(schema, bytes, options);
  } catch (cause) {
    throw new ProtoDecodeError(schema.typeName, { cause });
  }
}
