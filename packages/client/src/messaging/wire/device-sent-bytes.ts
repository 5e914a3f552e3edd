/**
 * The own-device copy of a message, encoded without encoding the message again: a send already has
 * the message's bytes (for the peer and for the sent-message store), and `Message.deviceSentMessage`
 * only wraps them. Byte-identical to `encodeMessage(wrapDeviceSent(message, destinationJid))`
 * (protobuf writes fields in field-number order; the tests compare both on generated messages).
 *
 *   Message { deviceSentMessage = 31 { destinationJid = 1, message = 2 }, messageContextInfo = 35 }
 */
import { type Message, MessageContextInfoSchema, toBinary } from '@wakit/proto';

const DEVICE_SENT_TAG = [0xfa, 0x01]; // field 31, length-delimited
const CONTEXT_INFO_TAG = [0x9a, 0x02]; // field 35, length-delimited
const DESTINATION_TAG = 0x0a; // field 1, length-delimited
const MESSAGE_TAG = 0x12; // field 2, length-delimited

/**
 * The encoded `Message{deviceSentMessage{destinationJid, message}, messageContextInfo}` for the
 * already encoded `encoded` of `message` (whose context info is copied to the outer message, as
 * `wrapDeviceSent` does).
 */
export function encodeDeviceSent(encoded: Uint8Array, message: Message, destinationJid: string): Uint8Array {
  const jid = new TextEncoder().encode(destinationJid);
  const innerLength =
    1 + varintLength(jid.length) + jid.length + 1 + varintLength(encoded.length) + encoded.length;
  const context =
    message.messageContextInfo === undefined
      ? undefined
      : toBinary(MessageContextInfoSchema, message.messageContextInfo);
  const total =
    2 +
    varintLength(innerLength) +
    innerLength +
    (context === undefined ? 0 : 2 + varintLength(context.length) + context.length);
  const out = new Uint8Array(total);
  let at = 0;
  const put = (byte: number) => {
    out[at++] = byte;
  };
  const putVarint = (value: number) => {
    let rest = value;
    while (rest >= 0x80) {
      put((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    put(rest);
  };
  const putBytes = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += bytes.length;
  };
  for (const byte of DEVICE_SENT_TAG) put(byte);
  putVarint(innerLength);
  put(DESTINATION_TAG);
  putVarint(jid.length);
  putBytes(jid);
  put(MESSAGE_TAG);
  putVarint(encoded.length);
  putBytes(encoded);
  if (context !== undefined) {
    for (const byte of CONTEXT_INFO_TAG) put(byte);
    putVarint(context.length);
    putBytes(context);
  }
  return out;
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest >>>= 7) length += 1;
  return length;
}
