import { isWakitError } from '@wakit/errors';
import {
  create,
  equals,
  type MessageInitShape,
  MessageSchema,
  ProtoDecodeError,
  toBinary,
} from '@wakit/proto';
import { encodeWAMessage } from 'baileys/lib/Utils/generics.js';
import { proto } from 'baileys/WAProto/index.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageDecodeError } from '../src/errors';
import {
  decodeMessage,
  decodePlaintext,
  encodeMessage,
  encodePlaintext,
  unwrapDeviceSent,
  wrapDeviceSent,
} from '../src/messaging/wire/message-codec';
import { expectOnly, withRandomBytes } from './messaging-wire-helpers';

type Init = MessageInitShape<typeof MessageSchema>;

/**
 * Messages of the shapes a client sends: text, links, media with 64-bit lengths, reactions,
 * context info. Avoided inputs: strings are whole graphemes (a lone surrogate has no UTF-8 form,
 * and the two protobuf libraries replace it differently), and 64-bit values stay within 2^53
 * (protobufjs without the `long` package, as Baileys installs it, decodes them to a JS number).
 */
const int64 = fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) });
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const bytes = fc.uint8Array({ maxLength: 40 });
const messageInit: fc.Arbitrary<Init> = fc.record(
  {
    conversation: text,
    extendedTextMessage: fc.record({ text, matchedText: text, title: text }, { requiredKeys: ['text'] }),
    imageMessage: fc.record(
      {
        url: text,
        mimetype: fc.constantFrom('image/jpeg', 'image/png'),
        caption: text,
        fileSha256: bytes,
        fileLength: int64,
        height: fc.nat(),
        width: fc.nat(),
      },
      { requiredKeys: [] },
    ),
    audioMessage: fc.record({ ptt: fc.boolean(), seconds: fc.nat() }, { requiredKeys: [] }),
    reactionMessage: fc.record({
      key: fc.record({ remoteJid: text, fromMe: fc.boolean(), id: text }),
      text,
      senderTimestampMs: int64,
    }),
    messageContextInfo: fc.record({ messageSecret: bytes }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('encodeMessage / decodeMessage', () => {
  it('round-trip, from a Message or from its init object', () => {
    fc.assert(
      fc.property(messageInit, (init) => {
        const message = create(MessageSchema, init);
        const encoded = encodeMessage(init);
        expect(encodeMessage(message)).toEqual(encoded);
        expect(equals(MessageSchema, decodeMessage(encoded), message)).toBe(true);
      }),
    );
  });

  it('encode byte-identically to Baileys (protobufjs, its own WAProto), both ways', () => {
    fc.assert(
      fc.property(messageInit, (init) => {
        const ours = encodeMessage(init);
        const decoded = proto.Message.decode(ours);
        expect(new Uint8Array(proto.Message.encode(decoded).finish())).toEqual(ours);
        expect(
          equals(MessageSchema, decodeMessage(proto.Message.encode(decoded).finish()), decodeMessage(ours)),
        ).toBe(true);
      }),
    );
  });

  it('turn bytes that are not a Message into MessageDecodeError, with the ProtoDecodeError as cause', () => {
    let caught: unknown;
    try {
      decodeMessage(Uint8Array.of(0x0a, 0x05, 0x68)); // conversation: length 5, 1 byte present
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MessageDecodeError);
    expect(isWakitError((caught as MessageDecodeError).cause, ProtoDecodeError)).toBe(true);
  });

  it('throw nothing but MessageDecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        expectOnly(MessageDecodeError, () => decodeMessage(input));
        expectOnly(MessageDecodeError, () => decodePlaintext(input));
      }),
    );
  });
});

describe('encodePlaintext / decodePlaintext', () => {
  it("pads like Baileys' encodeWAMessage, byte for byte, given the same random byte", () => {
    fc.assert(
      fc.property(messageInit, fc.integer({ min: 0, max: 255 }), (init, byte) => {
        const ours = encodePlaintext(init, () => byte);
        const decoded = proto.Message.decode(encodeMessage(init));
        const theirs = withRandomBytes(
          (size) => new Uint8Array(size).fill(byte),
          () => encodeWAMessage(decoded),
        );
        expect(new Uint8Array(theirs)).toEqual(ours);
        expect(equals(MessageSchema, decodePlaintext(theirs), create(MessageSchema, init))).toBe(true);
      }),
    );
  });

  it('decodes v="3" plaintexts without unpadding', () => {
    const encoded = encodeMessage({ conversation: 'hi' });
    expect(decodePlaintext(encoded, '3').conversation).toBe('hi');
    expect(() => decodePlaintext(encoded)).toThrow(MessageDecodeError);
  });
});

describe('wrapDeviceSent / unwrapDeviceSent', () => {
  const destination = '15551234567@s.whatsapp.net';

  it('wraps as Message{deviceSentMessage{destinationJid, message}, messageContextInfo copied} (§7.1)', () => {
    const message = create(MessageSchema, {
      conversation: 'hi',
      messageContextInfo: { messageSecret: Uint8Array.of(1, 2, 3) },
    });
    const wrapped = wrapDeviceSent(message, destination);
    expect(wrapped.deviceSentMessage?.destinationJid).toBe(destination);
    expect(equals(MessageSchema, wrapped.deviceSentMessage!.message!, message)).toBe(true);
    expect(wrapped.messageContextInfo?.messageSecret).toEqual(Uint8Array.of(1, 2, 3));
    expect(wrapped.conversation).toBe('');
    // A copy: changing the wrapper's context does not reach the message.
    wrapped.messageContextInfo!.messageSecret = new Uint8Array(0);
    expect(message.messageContextInfo?.messageSecret).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("encodes byte-identically to the copy Baileys' relayMessage sends its own devices", () => {
    fc.assert(
      fc.property(messageInit, (init) => {
        const message = create(MessageSchema, init);
        const baileysMessage = proto.Message.decode(encodeMessage(message));
        // Baileys 7 `relayMessage`: the `meMsg` it encrypts for the sender's other devices.
        const meMsg = {
          deviceSentMessage: { destinationJid: destination, message: baileysMessage },
          messageContextInfo: baileysMessage.messageContextInfo,
        };
        expect(toBinary(MessageSchema, wrapDeviceSent(message, destination))).toEqual(
          new Uint8Array(proto.Message.encode(meMsg).finish()),
        );
      }),
    );
  });

  it('unwraps what it wrapped, also through the wire', () => {
    fc.assert(
      fc.property(messageInit, (init) => {
        const message = create(MessageSchema, init);
        const overWire = decodeMessage(encodeMessage(wrapDeviceSent(message, destination)));
        const unwrapped = unwrapDeviceSent(overWire);
        expect(unwrapped?.destinationJid).toBe(destination);
        expect(equals(MessageSchema, unwrapped!.message, message)).toBe(true);
      }),
    );
  });

  it('is undefined for a message without a wrapper, or a wrapper without a message', () => {
    expect(unwrapDeviceSent(create(MessageSchema, { conversation: 'x' }))).toBeUndefined();
    expect(
      unwrapDeviceSent(create(MessageSchema, { deviceSentMessage: { destinationJid: destination } })),
    ).toBeUndefined();
  });

  it('merges the context info as WA Web does: inner fields win, four fall back, limitSharingV2 is the outer one', () => {
    const outerSecret = Uint8Array.of(9);
    const wrapper = (inner: Init['messageContextInfo'], outer: Init['messageContextInfo']) =>
      create(MessageSchema, {
        deviceSentMessage: {
          destinationJid: destination,
          message: { conversation: 'x', messageContextInfo: inner },
        },
        messageContextInfo: outer,
      });
    const outer = {
      messageSecret: outerSecret,
      messageAssociation: { parentMessageKey: { id: 'P' } },
      threadId: [{ threadKey: { id: 'T' } }],
      botMetadata: { personaId: 'bot' },
      limitSharingV2: { sharingLimited: true },
      supportPayload: 'outer only',
    };

    // Inner context cleared by a whatsapp-rust-style move: the outer one comes back whole.
    const restored = unwrapDeviceSent(wrapper(undefined, outer))!.message.messageContextInfo!;
    expect(restored.supportPayload).toBe('outer only');
    expect(restored.limitSharingV2?.sharingLimited).toBe(true);

    // Inner context present but without the fallback fields: those four come from the outer one.
    const filled = unwrapDeviceSent(wrapper({ supportPayload: 'inner' }, outer))!.message.messageContextInfo!;
    expect(filled.supportPayload).toBe('inner');
    expect(filled.messageSecret).toEqual(outerSecret);
    expect(filled.messageAssociation?.parentMessageKey?.id).toBe('P');
    expect(filled.threadId.map((t) => t.threadKey?.id)).toEqual(['T']);
    expect(filled.botMetadata?.personaId).toBe('bot');
    expect(filled.limitSharingV2?.sharingLimited).toBe(true);

    // Inner values win; limitSharingV2 never comes from the inner message.
    const own = unwrapDeviceSent(
      wrapper(
        {
          messageSecret: Uint8Array.of(1),
          messageAssociation: { parentMessageKey: { id: 'I' } },
          limitSharingV2: { sharingLimited: false, initiatedByMe: true },
        },
        { limitSharingV2: { sharingLimited: true } },
      ),
    )!.message.messageContextInfo!;
    expect(own.messageSecret).toEqual(Uint8Array.of(1));
    expect(own.messageAssociation?.parentMessageKey?.id).toBe('I');
    expect(own.limitSharingV2?.initiatedByMe).toBe(false);
    expect(own.limitSharingV2?.sharingLimited).toBe(true);
    const withoutOuter = unwrapDeviceSent(wrapper({ limitSharingV2: { sharingLimited: true } }, undefined))!;
    expect(withoutOuter.message.messageContextInfo?.limitSharingV2).toBeUndefined();
  });

  it('shares no object with the wrapper it was taken from', () => {
    const wrapped = create(MessageSchema, {
      deviceSentMessage: { destinationJid: destination, message: { conversation: 'x' } },
      messageContextInfo: { botMetadata: { personaId: 'bot' } },
    });
    const { message } = unwrapDeviceSent(wrapped)!;
    message.conversation = 'changed';
    message.messageContextInfo!.botMetadata!.personaId = 'changed';
    expect(wrapped.deviceSentMessage?.message?.conversation).toBe('x');
    expect(wrapped.messageContextInfo?.botMetadata?.personaId).toBe('bot');
  });
});
