import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  create,
  type Message,
  Message_HistorySyncType,
  Message_ProtocolMessage_Type,
  Message_ProtocolMessageSchema,
  MessageContextInfoSchema,
  MessageSchema,
} from '../src/index.ts';
import { arbitraryMessage } from './arbitrary.ts';
import { assertRoundTrip } from './round-trip.ts';
import { encodeHex } from './vectors.ts';

// Realistic shapes of the messages a client sends and receives most, built from the parts real
// traffic uses; arbitrary text covers emoji and every script (graphemes, see arbitrary.ts).
const text = fc.string({ unit: 'grapheme', maxLength: 200 });
const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
const userJid = fc.bigInt({ min: 10n ** 9n, max: 10n ** 15n }).map((n) => `${n}@s.whatsapp.net`);
const groupJid = fc.bigInt({ min: 10n ** 17n, max: 10n ** 18n }).map((n) => `${n}@g.us`);
const messageId = fc
  .uint8Array({ minLength: 8, maxLength: 16 })
  .map((b) => `3EB0${Buffer.from(b).toString('hex').toUpperCase()}`);
const messageKey = fc.record({ remoteJid: fc.oneof(userJid, groupJid), fromMe: fc.boolean(), id: messageId });

const conversation = text.map((t) => create(MessageSchema, { conversation: t }));

const extendedText = fc
  .record({
    text,
    stanzaId: messageId,
    participant: userJid,
    quoted: text,
    mentionedJid: fc.array(userJid, { maxLength: 3 }),
  })
  .map(({ text, stanzaId, participant, quoted, mentionedJid }) =>
    create(MessageSchema, {
      extendedTextMessage: {
        text,
        contextInfo: { stanzaId, participant, quotedMessage: { conversation: quoted }, mentionedJid },
      },
    }),
  );

// Sender-key distribution: sent to each new group member's devices with the Signal SKDM bytes.
const senderKeyDistribution = fc
  .record({
    groupId: groupJid,
    skdm: fc.uint8Array({ minLength: 70, maxLength: 160 }),
    secret: bytes(32),
    hash: bytes(10),
  })
  .map(({ groupId, skdm, secret, hash }) =>
    create(MessageSchema, {
      senderKeyDistributionMessage: { groupId, axolotlSenderKeyDistributionMessage: skdm },
      messageContextInfo: {
        deviceListMetadata: { senderKeyHash: hash, senderTimestamp: 1_700_000_000n, recipientKeyHash: hash },
        deviceListMetadataVersion: 2,
        messageSecret: secret,
      },
    }),
  );

const protocol = fc.oneof(
  messageKey.map((key) =>
    create(MessageSchema, { protocolMessage: { key, type: Message_ProtocolMessage_Type.REVOKE } }),
  ),
  fc
    .record({ sha: bytes(32), mediaKey: bytes(32), chunkOrder: fc.nat(100) })
    .map(({ sha, mediaKey, chunkOrder }) =>
      create(MessageSchema, {
        protocolMessage: {
          type: Message_ProtocolMessage_Type.HISTORY_SYNC_NOTIFICATION,
          historySyncNotification: {
            fileSha256: sha,
            fileEncSha256: sha,
            mediaKey,
            fileLength: 123_456n,
            directPath: '/v/t62.7119-24/1_2_3.enc',
            syncType: Message_HistorySyncType.INITIAL_BOOTSTRAP,
            chunkOrder,
          },
        },
      }),
    ),
  fc
    .array(fc.record({ keyId: bytes(6), keyData: bytes(32), rawId: fc.nat() }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((keys) =>
      create(MessageSchema, {
        protocolMessage: {
          type: Message_ProtocolMessage_Type.APP_STATE_SYNC_KEY_SHARE,
          appStateSyncKeyShare: {
            keys: keys.map(({ keyId, keyData, rawId }) => ({
              keyId: { keyId },
              keyData: {
                keyData,
                fingerprint: { rawId, currentIndex: 1, deviceIndexes: [0, 1] },
                timestamp: 1_700_000_000_000n,
              },
            })),
          },
        },
      }),
    ),
);

// What a primary device sees of its own message sent from a companion: the original, wrapped.
const deviceSent = fc
  .record({
    destinationJid: userJid,
    inner: fc.oneof(conversation, extendedText),
    phash: fc.constant('2:abcdEFGH'),
  })
  .map(({ destinationJid, inner, phash }) =>
    create(MessageSchema, { deviceSentMessage: { destinationJid, message: inner, phash } }),
  );

describe('Message (docs/protocol.md §11.1)', () => {
  it.each([
    ['conversation', conversation],
    ['extendedTextMessage with a quoted message and mentions', extendedText],
    ['senderKeyDistributionMessage with messageContextInfo', senderKeyDistribution],
    ['protocolMessage (revoke, history-sync notification, app-state key share)', protocol],
    ['deviceSentMessage', deviceSent],
  ] as const)('round-trips a %s', (_kind, messages: fc.Arbitrary<Message>) => {
    assertRoundTrip(MessageSchema, messages);
  });

  it('round-trips any Message the schema allows (random fields, three levels deep)', () => {
    assertRoundTrip(MessageSchema, arbitraryMessage(MessageSchema, { maxFields: 3 }), { numRuns: 50 });
  });

  it.each([
    ['conversation = 1', encodeHex(MessageSchema, { conversation: 'a' }), '0a0161'],
    [
      'senderKeyDistributionMessage = 2',
      encodeHex(MessageSchema, { senderKeyDistributionMessage: {} }),
      '1200',
    ],
    ['imageMessage = 3', encodeHex(MessageSchema, { imageMessage: {} }), '1a00'],
    ['contactMessage = 4', encodeHex(MessageSchema, { contactMessage: {} }), '2200'],
    ['locationMessage = 5', encodeHex(MessageSchema, { locationMessage: {} }), '2a00'],
    ['extendedTextMessage = 6', encodeHex(MessageSchema, { extendedTextMessage: {} }), '3200'],
    ['documentMessage = 7', encodeHex(MessageSchema, { documentMessage: {} }), '3a00'],
    ['audioMessage = 8', encodeHex(MessageSchema, { audioMessage: {} }), '4200'],
    ['videoMessage = 9', encodeHex(MessageSchema, { videoMessage: {} }), '4a00'],
    ['protocolMessage = 12', encodeHex(MessageSchema, { protocolMessage: {} }), '6200'],
    ['stickerMessage = 26', encodeHex(MessageSchema, { stickerMessage: {} }), 'd20100'],
    ['deviceSentMessage = 31', encodeHex(MessageSchema, { deviceSentMessage: {} }), 'fa0100'],
    ['messageContextInfo = 35', encodeHex(MessageSchema, { messageContextInfo: {} }), '9a0200'],
    ['viewOnceMessage = 37', encodeHex(MessageSchema, { viewOnceMessage: {} }), 'aa0200'],
    ['ephemeralMessage = 40', encodeHex(MessageSchema, { ephemeralMessage: {} }), 'c20200'],
    ['reactionMessage = 46', encodeHex(MessageSchema, { reactionMessage: {} }), 'f20200'],
    ['pollCreationMessage = 49', encodeHex(MessageSchema, { pollCreationMessage: {} }), '8a0300'],
    ['pollUpdateMessage = 50', encodeHex(MessageSchema, { pollUpdateMessage: {} }), '920300'],
    [
      'documentWithCaptionMessage = 53',
      encodeHex(MessageSchema, { documentWithCaptionMessage: {} }),
      'aa0300',
    ],
    ['viewOnceMessageV2 = 55', encodeHex(MessageSchema, { viewOnceMessageV2: {} }), 'ba0300'],
    ['encReactionMessage = 56', encodeHex(MessageSchema, { encReactionMessage: {} }), 'c20300'],
    ['editedMessage = 58', encodeHex(MessageSchema, { editedMessage: {} }), 'd20300'],
  ])('encodes Message.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['key = 1', encodeHex(Message_ProtocolMessageSchema, { key: {} }), '0a00'],
    [
      'type = 2 (REVOKE = 0)',
      encodeHex(Message_ProtocolMessageSchema, { type: Message_ProtocolMessage_Type.REVOKE }),
      '1000',
    ],
    [
      'type = 2 (EPHEMERAL_SETTING = 3)',
      encodeHex(Message_ProtocolMessageSchema, { type: Message_ProtocolMessage_Type.EPHEMERAL_SETTING }),
      '1003',
    ],
    [
      'type = 2 (HISTORY_SYNC_NOTIFICATION = 5)',
      encodeHex(Message_ProtocolMessageSchema, {
        type: Message_ProtocolMessage_Type.HISTORY_SYNC_NOTIFICATION,
      }),
      '1005',
    ],
    [
      'type = 2 (APP_STATE_SYNC_KEY_SHARE = 6)',
      encodeHex(Message_ProtocolMessageSchema, {
        type: Message_ProtocolMessage_Type.APP_STATE_SYNC_KEY_SHARE,
      }),
      '1006',
    ],
    [
      'type = 2 (APP_STATE_SYNC_KEY_REQUEST = 7)',
      encodeHex(Message_ProtocolMessageSchema, {
        type: Message_ProtocolMessage_Type.APP_STATE_SYNC_KEY_REQUEST,
      }),
      '1007',
    ],
    [
      'type = 2 (MESSAGE_EDIT = 14)',
      encodeHex(Message_ProtocolMessageSchema, { type: Message_ProtocolMessage_Type.MESSAGE_EDIT }),
      '100e',
    ],
    [
      'type = 2 (PEER_DATA_OPERATION_REQUEST_MESSAGE = 16)',
      encodeHex(Message_ProtocolMessageSchema, {
        type: Message_ProtocolMessage_Type.PEER_DATA_OPERATION_REQUEST_MESSAGE,
      }),
      '1010',
    ],
    [
      'historySyncNotification = 6',
      encodeHex(Message_ProtocolMessageSchema, { historySyncNotification: {} }),
      '3200',
    ],
    [
      'appStateSyncKeyShare = 7',
      encodeHex(Message_ProtocolMessageSchema, { appStateSyncKeyShare: {} }),
      '3a00',
    ],
    [
      'appStateSyncKeyRequest = 8',
      encodeHex(Message_ProtocolMessageSchema, { appStateSyncKeyRequest: {} }),
      '4200',
    ],
    ['editedMessage = 14', encodeHex(Message_ProtocolMessageSchema, { editedMessage: {} }), '7200'],
  ])('encodes ProtocolMessage.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['deviceListMetadata = 1', encodeHex(MessageContextInfoSchema, { deviceListMetadata: {} }), '0a00'],
    [
      'deviceListMetadataVersion = 2',
      encodeHex(MessageContextInfoSchema, { deviceListMetadataVersion: 2 }),
      '1002',
    ],
    [
      'messageSecret = 3',
      encodeHex(MessageContextInfoSchema, { messageSecret: new Uint8Array(1) }),
      '1a0100',
    ],
  ])('encodes MessageContextInfo.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
