/**
 * WAProto decoding through @wakit/proto's `fromBinary`: what a peer controls once a Signal message
 * decrypts (the `Message` plaintext) and what pairing hands the client (the ADV identity layers).
 * protobuf-es throws plain errors on malformed bytes; the wrapper must turn every one into a
 * ProtoDecodeError, whatever the bytes.
 */
import {
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  create,
  fromBinary,
  MessageSchema,
  toBinary,
} from '@wakit/proto';
import type { FuzzTarget } from '../target';

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

const MESSAGES = [
  create(MessageSchema, { conversation: 'hello ✓' }),
  create(MessageSchema, {
    extendedTextMessage: {
      text: 'a reply with a mention @15550001111',
      contextInfo: {
        stanzaId: '3EB0C0FFEE',
        participant: '15550001111@s.whatsapp.net',
        quotedMessage: { conversation: 'the original' },
        mentionedJid: ['15550001111@s.whatsapp.net'],
      },
    },
  }),
  create(MessageSchema, {
    imageMessage: {
      mimetype: 'image/jpeg',
      fileLength: 12_345n,
      mediaKey: bytes(32, 1),
      fileSha256: bytes(32, 2),
    },
  }),
  create(MessageSchema, {
    protocolMessage: { type: 0, key: { remoteJid: '15550001111@s.whatsapp.net', id: 'ABC' } },
  }),
  create(MessageSchema, {
    senderKeyDistributionMessage: {
      groupId: '120363025246125486@g.us',
      axolotlSenderKeyDistributionMessage: bytes(90, 3),
    },
    messageContextInfo: { messageSecret: bytes(32, 4) },
  }),
];

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'proto/message',
    async seeds() {
      return MESSAGES.map((message) => toBinary(MessageSchema, message));
    },
    run: (input) => fromBinary(MessageSchema, input),
  },
  {
    name: 'proto/adv-identity',
    async seeds() {
      const signed = toBinary(
        ADVSignedDeviceIdentitySchema,
        create(ADVSignedDeviceIdentitySchema, {
          details: bytes(40, 5),
          accountSignatureKey: bytes(32, 6),
          accountSignature: bytes(64, 7),
          deviceSignature: bytes(64, 8),
        }),
      );
      const container = create(ADVSignedDeviceIdentityHMACSchema, { details: signed, hmac: bytes(32, 9) });
      return [toBinary(ADVSignedDeviceIdentityHMACSchema, container)];
    },
    // The container, then its details as the signed identity: pair-success reads both layers.
    run(input) {
      const container = fromBinary(ADVSignedDeviceIdentityHMACSchema, input);
      return fromBinary(ADVSignedDeviceIdentitySchema, container.details);
    },
  },
];
