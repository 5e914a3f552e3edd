/**
 * `fromBinary` keeps wakit's error contract: whatever the bytes, it returns what protobuf-es
 * returns or throws a ProtoDecodeError (remote kind) with protobuf-es' error as the cause.
 */
import * as bufbuild from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CertChainSchema,
  create,
  fromBinary,
  HandshakeMessageSchema,
  isRemoteProtocolError,
  isWakitError,
  MessageSchema,
  ProtoDecodeError,
  toBinary,
} from '../src/index.ts';

const SCHEMAS = [HandshakeMessageSchema, CertChainSchema, MessageSchema];

describe('fromBinary', () => {
  it('decodes what protobuf-es decodes, to an equal message', () => {
    const hello = create(HandshakeMessageSchema, { clientHello: { ephemeral: new Uint8Array(32).fill(7) } });
    const bytes = toBinary(HandshakeMessageSchema, hello);
    expect(fromBinary(HandshakeMessageSchema, bytes)).toEqual(
      bufbuild.fromBinary(HandshakeMessageSchema, bytes),
    );
  });

  it('turns a truncated message into a ProtoDecodeError naming the type, with the cause', () => {
    const bytes = toBinary(
      HandshakeMessageSchema,
      create(HandshakeMessageSchema, { clientHello: { ephemeral: new Uint8Array(32) } }),
    );
    const truncated = bytes.subarray(0, bytes.length - 5);
    expect(() => bufbuild.fromBinary(HandshakeMessageSchema, truncated)).toThrow(Error);
    let caught: unknown;
    try {
      fromBinary(HandshakeMessageSchema, truncated);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProtoDecodeError);
    const error = caught as ProtoDecodeError;
    expect([error.code, error.kind, error.typeName]).toEqual([
      'ERR_PROTO_DECODE',
      'remote',
      'whatsapp.HandshakeMessage',
    ]);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain('whatsapp.HandshakeMessage');
  });

  it('gives only a result or a ProtoDecodeError on any bytes, for any schema', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCHEMAS), fc.uint8Array({ maxLength: 200 }), (schema, bytes) => {
        let theirs: unknown;
        let theirsFailed = false;
        try {
          theirs = bufbuild.fromBinary(schema, bytes);
        } catch {
          theirsFailed = true;
        }
        try {
          const ours = fromBinary(schema, bytes);
          expect(theirsFailed).toBe(false);
          expect(ours).toEqual(theirs);
        } catch (error) {
          expect(theirsFailed).toBe(true);
          expect(isWakitError(error, ProtoDecodeError) && isRemoteProtocolError(error)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
