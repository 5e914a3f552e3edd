import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  create,
  fromBinary,
  HandshakeMessage_ClientFinishSchema,
  HandshakeMessage_ClientHelloSchema,
  HandshakeMessage_ServerHelloSchema,
  HandshakeMessageSchema,
  toBinary,
} from '../src/index.ts';
import { arbitraryMessage } from './arbitrary.ts';
import { assertRoundTrip } from './round-trip.ts';
import { encodeHex, toHex } from './vectors.ts';

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('HandshakeMessage (docs/protocol.md §2.3)', () => {
  it('round-trips any HandshakeMessage', () => {
    assertRoundTrip(HandshakeMessageSchema, arbitraryMessage(HandshakeMessageSchema));
  });

  it('round-trips the three messages of the XX flow with realistic sizes', () => {
    // ClientHello: 32-byte ephemeral; ServerHello: ephemeral, 48-byte encrypted static (32 + 16
    // tag), encrypted CertChain; ClientFinish: encrypted static and ClientPayload.
    const flow = fc.oneof(
      key.map((ephemeral) => create(HandshakeMessageSchema, { clientHello: { ephemeral } })),
      fc
        .tuple(
          key,
          fc.uint8Array({ minLength: 48, maxLength: 48 }),
          fc.uint8Array({ minLength: 16, maxLength: 600 }),
        )
        .map(([ephemeral, st, payload]) =>
          create(HandshakeMessageSchema, { serverHello: { ephemeral, static: st, payload } }),
        ),
      fc
        .tuple(
          fc.uint8Array({ minLength: 48, maxLength: 48 }),
          fc.uint8Array({ minLength: 16, maxLength: 600 }),
        )
        .map(([st, payload]) => create(HandshakeMessageSchema, { clientFinish: { static: st, payload } })),
    );
    assertRoundTrip(HandshakeMessageSchema, flow);
  });

  it('encodes a ClientHello as field 2 wrapping field 1, the bytes a server expects first', () => {
    const ephemeral = Uint8Array.from({ length: 32 }, (_, i) => i);
    const bytes = toBinary(
      HandshakeMessageSchema,
      create(HandshakeMessageSchema, { clientHello: { ephemeral } }),
    );
    expect(toHex(bytes)).toBe(`12220a20${toHex(ephemeral)}`);
    expect(fromBinary(HandshakeMessageSchema, bytes).clientHello?.ephemeral).toEqual(ephemeral);
  });

  it.each([
    ['HandshakeMessage.clientHello = 2', encodeHex(HandshakeMessageSchema, { clientHello: {} }), '1200'],
    ['HandshakeMessage.serverHello = 3', encodeHex(HandshakeMessageSchema, { serverHello: {} }), '1a00'],
    ['HandshakeMessage.clientFinish = 4', encodeHex(HandshakeMessageSchema, { clientFinish: {} }), '2200'],
    [
      'ClientHello.ephemeral = 1',
      encodeHex(HandshakeMessage_ClientHelloSchema, { ephemeral: new Uint8Array(1) }),
      '0a0100',
    ],
    [
      'ClientHello.static = 2',
      encodeHex(HandshakeMessage_ClientHelloSchema, { static: new Uint8Array(1) }),
      '120100',
    ],
    [
      'ClientHello.payload = 3',
      encodeHex(HandshakeMessage_ClientHelloSchema, { payload: new Uint8Array(1) }),
      '1a0100',
    ],
    [
      'ClientHello.useExtended = 4',
      encodeHex(HandshakeMessage_ClientHelloSchema, { useExtended: true }),
      '2001',
    ],
    [
      'ClientHello.extendedCiphertext = 5',
      encodeHex(HandshakeMessage_ClientHelloSchema, { extendedCiphertext: new Uint8Array(1) }),
      '2a0100',
    ],
    [
      'ServerHello.ephemeral = 1',
      encodeHex(HandshakeMessage_ServerHelloSchema, { ephemeral: new Uint8Array(1) }),
      '0a0100',
    ],
    [
      'ServerHello.static = 2',
      encodeHex(HandshakeMessage_ServerHelloSchema, { static: new Uint8Array(1) }),
      '120100',
    ],
    [
      'ServerHello.payload = 3',
      encodeHex(HandshakeMessage_ServerHelloSchema, { payload: new Uint8Array(1) }),
      '1a0100',
    ],
    [
      'ServerHello.extendedStatic = 4',
      encodeHex(HandshakeMessage_ServerHelloSchema, { extendedStatic: new Uint8Array(1) }),
      '220100',
    ],
    [
      'ClientFinish.static = 1',
      encodeHex(HandshakeMessage_ClientFinishSchema, { static: new Uint8Array(1) }),
      '0a0100',
    ],
    [
      'ClientFinish.payload = 2',
      encodeHex(HandshakeMessage_ClientFinishSchema, { payload: new Uint8Array(1) }),
      '120100',
    ],
    [
      'ClientFinish.extendedCiphertext = 3',
      encodeHex(HandshakeMessage_ClientFinishSchema, { extendedCiphertext: new Uint8Array(1) }),
      '1a0100',
    ],
  ])('encodes %s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
