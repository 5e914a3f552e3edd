import { create, MessageSchema } from '@wakit/proto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeDeviceSent } from '../src/messaging/wire/device-sent-bytes';
import { encodeMessage, wrapDeviceSent } from '../src/messaging/wire/message-codec';

const messageArb = fc.record(
  {
    conversation: fc.string({ maxLength: 400 }),
    secret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    withContext: fc.boolean(),
    long: fc.boolean(),
  },
  { requiredKeys: ['conversation', 'secret', 'withContext', 'long'] },
);

describe('encodeDeviceSent', () => {
  test('is byte-identical to encoding wrapDeviceSent(message)', () => {
    fc.assert(
      fc.property(messageArb, fc.string({ minLength: 1, maxLength: 40 }), (input, user) => {
        const message = create(MessageSchema, {
          ...(input.long
            ? { extendedTextMessage: { text: input.conversation.repeat(50), contextInfo: { stanzaId: 'X' } } }
            : { conversation: input.conversation }),
          ...(input.withContext ? { messageContextInfo: { messageSecret: input.secret } } : {}),
        });
        const jid = `${user.replace(/[^0-9]/g, '') || '1'}@s.whatsapp.net`;
        expect(encodeDeviceSent(encodeMessage(message), message, jid)).toEqual(
          encodeMessage(wrapDeviceSent(message, jid)),
        );
      }),
    );
  });
});
