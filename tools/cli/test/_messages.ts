/**
 * Client events about received messages, for the output tests of `listen` and `send`. Messages
 * are plain objects shaped as protobuf-es makes them (`$typeName`, and only the fields that are
 * set as own properties); the e2e test checks a decoded one reads the same.
 */
import type { ClientEvents, MessageInfo } from '@wakit/client';

type Message = ClientEvents['message']['message'];

export const ALICE_CHAT = '15550000001@s.whatsapp.net';
export const ALICE_DEVICE = '15550000001:2@s.whatsapp.net';
/** 2025-01-02T03:04:05Z. */
export const TIMESTAMP = 1_735_787_045;

/** A `Message` with these fields set (nested messages need their own `$typeName` only to be unwrapped). */
export function message(fields: Record<string, unknown>): Message {
  return { $typeName: 'whatsapp.Message', ...fields } as unknown as Message;
}

/** Alice's message `id`, received live unless `info` says otherwise. */
export function received(
  fields: Record<string, unknown>,
  info: Partial<MessageInfo> = {},
): ClientEvents['message'] {
  return {
    message: message(fields),
    info: {
      id: '3EB0AAAA0001',
      chat: ALICE_CHAT,
      sender: ALICE_DEVICE,
      senderAlt: undefined,
      fromMe: false,
      isGroup: false,
      timestamp: TIMESTAMP,
      pushName: 'Alice',
      offline: false,
      ...info,
    },
  };
}
