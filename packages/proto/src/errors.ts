/**
 * The errors of @wakit/proto, on the shared tree of @wakit/errors. Code `ERR_PROTO_DECODE`.
 */
import { RemoteProtocolError } from '@wakit/errors';

/**
 * Bytes that do not decode as the expected protobuf message: truncated, a wrong wire type, a
 * varint over 10 bytes, invalid UTF-8 in a string field... The protobuf-es error is the `cause`.
 */
export class ProtoDecodeError extends RemoteProtocolError {
  static override readonly code = 'ERR_PROTO_DECODE';

  constructor(
    /** The full name of the message that was expected, e.g. `WAProto.HandshakeMessage`. */
    readonly typeName: string,
    options?: { cause?: unknown },
  ) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`bytes do not decode as ${typeName}${detail}`, options);
  }
}
