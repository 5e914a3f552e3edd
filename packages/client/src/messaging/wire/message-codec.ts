/**
 * The `Message` protobuf as it travels inside `<enc>`: encoding and decoding plaintexts, and the
 * `deviceSentMessage` wrapper a sender's own other devices receive instead of the plain message
 * (docs/protocol.md §7.1 "Recipients").
 */
import {
  clone,
  create,
  fromBinary,
  isMessage,
  isWakitError,
  type Message,
  type MessageContextInfo,
  MessageContextInfoSchema,
  type MessageInitShape,
  MessageSchema,
  ProtoDecodeError,
  toBinary,
} from '@wakit/proto';
import { MessageDecodeError } from '../../errors';
import { padPlaintext, unpadPlaintext } from './padding';

/** A `Message`, or the plain object `create(MessageSchema, …)` accepts. */
export type MessageInput = Message | MessageInitShape<typeof MessageSchema>;

/**
 * The serialized `Message` (unpadded).
 *
 * @example
 * encodeMessage({ conversation: 'hello' }); // Uint8Array [0x0a, 0x05, …]
 */
export function encodeMessage(message: MessageInput): Uint8Array {
  return toBinary(MessageSchema, asMessage(message));
}

/**
 * The `Message` in an unpadded plaintext.
 *
 * @throws MessageDecodeError (the `ProtoDecodeError` as its cause) when the bytes are not a
 *   `Message`.
 */
export function decodeMessage(plaintext: Uint8Array): Message {
  try {
    return fromBinary(MessageSchema, plaintext);
  } catch (error) {
    if (isWakitError(error, ProtoDecodeError)) {
      throw new MessageDecodeError(`the decrypted plaintext is not a Message: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * What goes into `SessionCipher.encrypt`: the encoded message, padded (docs/protocol.md §6.3).
 * Byte-identical to Baileys' `encodeWAMessage` given the same random byte.
 */
export function encodePlaintext(message: MessageInput, randomByte: () => number): Uint8Array {
  return padPlaintext(encodeMessage(message), randomByte);
}

/**
 * The `Message` in a decrypted `<enc>` payload: padding stripped per the enc's `v` (`'3'` is
 * unpadded), then decoded.
 *
 * @throws MessageDecodeError for bad padding or bytes that are not a `Message`.
 */
export function decodePlaintext(plaintext: Uint8Array, v = '2'): Message {
  return decodeMessage(unpadPlaintext(plaintext, v));
}

/**
 * The copy for the sender's own other devices: `Message{deviceSentMessage{destinationJid, message},
 * messageContextInfo}` with the context info copied to the outer message (whatsmeow
 * `marshalMessage`, Baileys `relayMessage`'s `meMsg`). The inner message keeps its own copy;
 * whatsapp-rust moves it instead, and `unwrapDeviceSent` restores it in both cases.
 *
 * @param destinationJid  the chat the message was sent to (the peer's user JID).
 */
export function wrapDeviceSent(message: Message, destinationJid: string): Message {
  return create(MessageSchema, {
    deviceSentMessage: { destinationJid, message },
    messageContextInfo:
      message.messageContextInfo === undefined
        ? undefined
        : clone(MessageContextInfoSchema, message.messageContextInfo),
  });
}

/**
 * The message inside a `deviceSentMessage` and the chat it was sent to, or undefined when
 * `message` has no such wrapper (or the wrapper holds no message). The inner message's context
 * info is merged with the outer one as WA Web's `unwrapDeviceSentMessage` does (whatsapp-rust
 * `merge_dsm_context`): the inner fields win, `messageSecret`, `messageAssociation`, `threadId` and
 * `botMetadata` fall back to the outer ones, `limitSharingV2` always comes from the outer.
 */
export function unwrapDeviceSent(message: Message): { message: Message; destinationJid: string } | undefined {
  const wrapper = message.deviceSentMessage;
  if (wrapper?.message === undefined) return undefined;
  const inner = clone(MessageSchema, wrapper.message);
  inner.messageContextInfo = mergeContext(inner.messageContextInfo, message.messageContextInfo);
  return { message: inner, destinationJid: wrapper.destinationJid };
}

function mergeContext(
  inner: MessageContextInfo | undefined,
  outer: MessageContextInfo | undefined,
): MessageContextInfo | undefined {
  // Cloned so the unwrapped message shares no object with the wrapper it came from.
  const fallback = outer === undefined ? undefined : clone(MessageContextInfoSchema, outer);
  if (inner === undefined) return fallback;
  // `inner` is already a fresh clone (the whole inner message was cloned). Only values the outer
  // context holds are copied: assigning an empty default would mark the field as set (proto2).
  if (inner.messageSecret.length === 0 && fallback !== undefined && fallback.messageSecret.length > 0) {
    inner.messageSecret = fallback.messageSecret;
  }
  inner.messageAssociation ??= fallback?.messageAssociation;
  if (inner.threadId.length === 0 && fallback !== undefined && fallback.threadId.length > 0) {
    inner.threadId = fallback.threadId;
  }
  inner.botMetadata ??= fallback?.botMetadata;
  inner.limitSharingV2 = fallback?.limitSharingV2;
  return inner;
}

function asMessage(message: MessageInput): Message {
  return isMessage(message, MessageSchema) ? message : create(MessageSchema, message);
}
