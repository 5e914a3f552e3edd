import {
  create,
  type Message,
  type MessageInitShape,
  MessageSchema,
  Message_ProtocolMessage_Type as ProtocolType,
  Message_SecretEncryptedMessage_SecretEncType as SecretEncType,
} from '@wakit/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hidesDecryptFailure } from '../src/messaging/wire/decrypt-fail';
import { EDIT_ATTRIBUTE, mediaTypeOf, stanzaTypeOf, unwrapMessage } from '../src/messaging/wire/message-type';

type Init = MessageInitShape<typeof MessageSchema>;
const m = (init: Init): Message => create(MessageSchema, init);

/**
 * Content -> [stanza type, mediatype]: docs/protocol.md §7.1, whatsmeow `getTypeFromMessage` /
 * `getMediaTypeFromMessage` and whatsapp-rust `stanza_type_from_message` /
 * `media_type_from_message` (WA Web). Where they differ the row says whose rule it is.
 */
const TABLE: [string, Init, string, string | undefined][] = [
  ['conversation', { conversation: 'hi' }, 'text', undefined],
  ['plain extended text', { extendedTextMessage: { text: 'hi' } }, 'text', undefined],
  [
    'link preview (WA Web: non-blank matchedText)',
    { extendedTextMessage: { text: 'x', matchedText: 'https://a.b' } },
    'media',
    'url',
  ],
  [
    'blank matchedText is no link',
    { extendedTextMessage: { text: 'x', matchedText: '  ' } },
    'text',
    undefined,
  ],
  ['image', { imageMessage: { caption: 'c' } }, 'media', 'image'],
  ['video', { videoMessage: {} }, 'media', 'video'],
  ['gif', { videoMessage: { gifPlayback: true } }, 'media', 'gif'],
  ['ptv (WA Web)', { ptvMessage: {} }, 'media', 'ptv'],
  ['audio', { audioMessage: {} }, 'media', 'audio'],
  ['voice note', { audioMessage: { ptt: true } }, 'media', 'ptt'],
  ['document', { documentMessage: {} }, 'media', 'document'],
  ['sticker', { stickerMessage: {} }, 'media', 'sticker'],
  ['sticker pack (WA Web)', { stickerPackMessage: {} }, 'media', 'sticker_pack'],
  ['location (WA Web; whatsmeow sends text)', { locationMessage: {} }, 'media', 'location'],
  ['live location in a location', { locationMessage: { isLive: true } }, 'media', 'livelocation'],
  ['live location', { liveLocationMessage: {} }, 'media', 'livelocation'],
  ['contact', { contactMessage: {} }, 'media', 'vcard'],
  ['contacts', { contactsArrayMessage: {} }, 'media', 'contact_array'],
  ['group invite (WA Web, Baileys)', { groupInviteMessage: {} }, 'media', 'url'],
  ['list', { listMessage: {} }, 'media', 'list'],
  ['list response', { listResponseMessage: {} }, 'media', 'list_response'],
  ['buttons response', { buttonsResponseMessage: {} }, 'media', 'buttons_response'],
  ['order', { orderMessage: {} }, 'media', 'order'],
  ['product', { productMessage: {} }, 'media', 'product'],
  ['native flow response', { interactiveResponseMessage: {} }, 'media', 'native_flow_response'],
  ['history bundle (WA Web)', { messageHistoryBundle: {} }, 'media', 'group_history'],
  ['reaction', { reactionMessage: { text: '👍' } }, 'reaction', undefined],
  ['encrypted reaction', { encReactionMessage: {} }, 'reaction', undefined],
  ['poll', { pollCreationMessage: { name: 'q' } }, 'poll', undefined],
  ['poll v2', { pollCreationMessageV2: {} }, 'poll', undefined],
  ['poll v3', { pollCreationMessageV3: {} }, 'poll', undefined],
  ['poll v5', { pollCreationMessageV5: {} }, 'poll', undefined],
  ['poll vote', { pollUpdateMessage: {} }, 'poll', undefined],
  ['event', { eventMessage: {} }, 'event', undefined],
  ['event response', { encEventResponseMessage: {} }, 'event', undefined],
  ['event edit', { secretEncryptedMessage: { secretEncType: SecretEncType.EVENT_EDIT } }, 'event', undefined],
  [
    'secret message edit',
    { secretEncryptedMessage: { secretEncType: SecretEncType.MESSAGE_EDIT } },
    'text',
    undefined,
  ],
  ['poll edit', { secretEncryptedMessage: { secretEncType: SecretEncType.POLL_EDIT } }, 'poll', undefined],
  [
    'poll option added',
    { secretEncryptedMessage: { secretEncType: SecretEncType.POLL_ADD_OPTION } },
    'poll',
    undefined,
  ],
  ['protocol message', { protocolMessage: { type: ProtocolType.REVOKE } }, 'text', undefined],
  [
    'an edit is not unwrapped (whatsmeow, WA Web)',
    { editedMessage: { message: { imageMessage: {} } } },
    'text',
    undefined,
  ],
  ['unclassified content is text (whatsmeow, Baileys)', { buttonsMessage: {} }, 'text', undefined],
  ['empty message', {}, 'text', undefined],
];

/** Every wrapper field `unwrapMessage` looks through. */
const WRAPPER_FIELDS = [
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
  'groupMentionedMessage',
  'botInvokeMessage',
  'associatedChildMessage',
  'pollCreationOptionImageMessage',
  'eventCoverImage',
  'groupStatusMessage',
  'groupStatusMessageV2',
  'groupStatusMentionMessage',
  'statusAddYours',
  'statusMentionMessage',
  'questionMessage',
  'questionReplyMessage',
  'spoilerMessage',
  'limitSharingMessage',
  'newsletterAdminProfileMessage',
  'newsletterAdminProfileMessageV2',
  'pollCreationMessageV4',
] as const;

function wrap(inner: Init, fields: readonly string[]): Init {
  return fields.reduceRight<Init>(
    (message, field) =>
      field === 'deviceSentMessage'
        ? { deviceSentMessage: { destinationJid: '1@s.whatsapp.net', message } }
        : ({ [field]: { message } } as Init),
    inner,
  );
}

describe('stanzaTypeOf / mediaTypeOf', () => {
  for (const [name, init, type, mediatype] of TABLE) {
    it(`${name}: type=${type}, mediatype=${mediatype ?? '(none)'}`, () => {
      expect(stanzaTypeOf(m(init))).toBe(type);
      expect(mediaTypeOf(m(init))).toBe(mediatype);
    });
  }

  it('type is media exactly when there is a mediatype, outside reactions, polls and events', () => {
    for (const [, , type, mediatype] of TABLE) {
      if (type === 'text' || type === 'media') expect(type === 'media').toBe(mediatype !== undefined);
    }
  });

  it('classify wrapped content as the content itself, at any depth (WA Web getUnwrappedProtobufMessage)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TABLE),
        fc.array(fc.constantFrom<string>(...WRAPPER_FIELDS, 'deviceSentMessage'), { maxLength: 4 }),
        ([, init, type, mediatype], fields) => {
          const wrapped = m(wrap(init, fields));
          expect(stanzaTypeOf(wrapped)).toBe(type);
          expect(mediaTypeOf(wrapped)).toBe(mediatype);
        },
      ),
    );
  });

  it('treats a top-level lottie sticker as a sticker without looking inside (WA Web)', () => {
    const lottie = m({ lottieStickerMessage: { message: { imageMessage: {} } } });
    expect(mediaTypeOf(lottie)).toBe('sticker');
    expect(stanzaTypeOf(lottie)).toBe('media');
    // Deeper down it is one more wrapper.
    expect(
      mediaTypeOf(
        m({ ephemeralMessage: { message: { lottieStickerMessage: { message: { imageMessage: {} } } } } }),
      ),
    ).toBe('image');
  });

  it('stops unwrapping at a wrapper without a message, and after 16 levels', () => {
    const empty = m({ ephemeralMessage: {} });
    expect(unwrapMessage(empty)).toBe(empty);
    const deep = m(wrap({ imageMessage: {} }, new Array(20).fill('viewOnceMessage')));
    expect(unwrapMessage(deep).viewOnceMessage).toBeDefined();
    expect(mediaTypeOf(deep)).toBeUndefined();
  });
});

describe('EDIT_ATTRIBUTE', () => {
  it('has the wire values of docs/protocol.md §7.1', () => {
    expect(EDIT_ATTRIBUTE).toEqual({
      messageEdit: '1',
      pin: '2',
      adminEdit: '3',
      senderRevoke: '7',
      adminRevoke: '8',
    });
  });
});

describe('hidesDecryptFailure', () => {
  const hidden: [string, Init][] = [
    ['reaction', { reactionMessage: {} }],
    ['encrypted reaction', { encReactionMessage: {} }],
    ['pin', { pinInChatMessage: {} }],
    ['edit', { editedMessage: {} }],
    ['keep in chat', { keepInChatMessage: {} }],
    ['event response', { encEventResponseMessage: {} }],
    ['poll vote', { pollUpdateMessage: { vote: {} } }],
    ['history notice', { messageHistoryNotice: {} }],
    ['conditional reveal', { conditionalRevealMessage: {} }],
    ['event edit', { secretEncryptedMessage: { secretEncType: SecretEncType.EVENT_EDIT } }],
    ['poll edit', { secretEncryptedMessage: { secretEncType: SecretEncType.POLL_EDIT } }],
    ['poll option', { secretEncryptedMessage: { secretEncType: SecretEncType.POLL_ADD_OPTION } }],
    ['ephemeral sync', { protocolMessage: { type: ProtocolType.EPHEMERAL_SYNC_RESPONSE } }],
    ['welcome request', { protocolMessage: { type: ProtocolType.REQUEST_WELCOME_MESSAGE } }],
    [
      'bot welcome request',
      { botInvokeMessage: { message: { protocolMessage: { type: ProtocolType.REQUEST_WELCOME_MESSAGE } } } },
    ],
    ['member label', { protocolMessage: { type: ProtocolType.GROUP_MEMBER_LABEL_CHANGE } }],
    ['protocol edit', { protocolMessage: { type: ProtocolType.MESSAGE_EDIT, editedMessage: {} } }],
    ['wrapped reaction', { ephemeralMessage: { message: { reactionMessage: {} } } }],
  ];
  const shown: [string, Init][] = [
    ['text', { conversation: 'hi' }],
    ['image', { imageMessage: {} }],
    ['revoke', { protocolMessage: { type: ProtocolType.REVOKE } }],
    ['poll vote without a vote', { pollUpdateMessage: {} }],
    ['secret message edit', { secretEncryptedMessage: { secretEncType: SecretEncType.MESSAGE_EDIT } }],
    ['poll', { pollCreationMessage: {} }],
  ];

  for (const [name, init] of hidden) {
    it(`hides failures for: ${name}`, () => expect(hidesDecryptFailure(m(init))).toBe(true));
  }
  for (const [name, init] of shown) {
    it(`shows failures for: ${name}`, () => expect(hidesDecryptFailure(m(init))).toBe(false));
  }

  it('hides for every edit attribute except the revokes (the server drops a revoke carrying it)', () => {
    const text = m({ conversation: 'x' });
    expect(hidesDecryptFailure(text, EDIT_ATTRIBUTE.messageEdit)).toBe(true);
    expect(hidesDecryptFailure(text, EDIT_ATTRIBUTE.pin)).toBe(true);
    expect(hidesDecryptFailure(text, EDIT_ATTRIBUTE.adminEdit)).toBe(true);
    expect(hidesDecryptFailure(text, EDIT_ATTRIBUTE.senderRevoke)).toBe(false);
    expect(hidesDecryptFailure(text, EDIT_ATTRIBUTE.adminRevoke)).toBe(false);
    expect(hidesDecryptFailure(text, '')).toBe(false);
  });
});
