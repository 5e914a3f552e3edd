/**
 * WhatsApp Web protobuf types (WAProto), generated with protobuf-es from the pinned
 * `spec/whatspec/proto/WAProto.proto`.
 *
 * Every message `Foo` comes as a type `Foo` and a schema `FooSchema`; nested messages and enums are
 * `Outer_Inner` / `Outer_InnerSchema`; enums are TypeScript enums with an `…Schema` descriptor.
 * Encode and decode with the protobuf-es functions re-exported below, so depending on
 * `@wakit/proto` alone is enough. `fromBinary` is wrapped: malformed bytes throw `ProtoDecodeError`.
 *
 * @example
 * ```ts
 * import { create, fromBinary, HandshakeMessageSchema, toBinary } from '@wakit/proto';
 *
 * const hello = create(HandshakeMessageSchema, { clientHello: { ephemeral: new Uint8Array(32) } });
 * const bytes = toBinary(HandshakeMessageSchema, hello);
 * fromBinary(HandshakeMessageSchema, bytes).clientHello?.ephemeral; // Uint8Array(32)
 * ```
 *
 * @packageDocumentation
 */

// The protobuf-es runtime a user needs to work with these schemas.
export type {
  BinaryReadOptions,
  BinaryWriteOptions,
  DescEnum,
  DescMessage,
  JsonReadOptions,
  JsonValue,
  JsonWriteOptions,
  MessageInitShape,
  MessageShape,
} from '@bufbuild/protobuf';
export { clone, create, equals, fromJson, isMessage, toBinary, toJson } from '@bufbuild/protobuf';
// The shared error model (@wakit/errors), so this package alone is enough to catch by kind.
export {
  ERROR_KINDS,
  type ErrorKind,
  IoError,
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  WakitError,
  type WakitErrorClass,
} from '@wakit/errors';
export { ProtoDecodeError } from './errors';
// protobuf-es `fromBinary`, throwing a typed ProtoDecodeError on malformed bytes.
export { fromBinary } from './from-binary';
// The house rule is curated exports, never `export *` over internals. Here the generated files are
// not internals: each schema and type is the public API, named by the protocol itself, and a
// hand-kept list of ~900 names would only drift from the spec on the next update. The codegen
// re-exports them from gen/index.ts; tree shaking keeps only what a user imports (see README.md).
export * from './gen/index.js';
