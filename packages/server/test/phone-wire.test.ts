/** The phone's pure pieces: plaintext padding, message ids, stanza types, and Baileys' view of them. */
import { createHash } from 'node:crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { create, type MessageInitShape, MessageSchema } from '@wakit/proto';
import { unpadRandomMax16 } from 'baileys';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateMessageId, mediaTypeOf, stanzaTypeOf } from '../src/phone-message-kind';
import { padPlaintext, unpadPlaintext } from '../src/phone-padding';

describe('plaintext padding (docs/protocol.md §6.3)', () => {
  it('appends N = (byte & 0x0f) + 1 bytes of value N and strips them again', () => {
    expect(padPlaintext(Uint8Array.of(9, 9), 0x00)).toEqual(Uint8Array.of(9, 9, 1));
    expect(padPlaintext(Uint8Array.of(9), 0xf3)).toEqual(Uint8Array.of(9, 4, 4, 4, 4));
    expect(padPlaintext(new Uint8Array(0), 0x0f)).toEqual(new Uint8Array(16).fill(16));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 255 }), (body, byte) => {
        const padded = padPlaintext(body, byte);
        expect(padded.length - body.length).toBeGreaterThanOrEqual(1);
        expect(padded.length - body.length).toBeLessThanOrEqual(16);
        expect(unpadPlaintext(padded)).toEqual(body);
        // Baileys strips it the same way.
        expect(new Uint8Array(unpadRandomMax16(padded))).toEqual(body);
      }),
    );
  });

  it('has nothing to strip from empty input, N = 0 or N past the start', () => {
    expect(unpadPlaintext(new Uint8Array(0))).toBeUndefined();
    expect(unpadPlaintext(Uint8Array.of(7, 0))).toBeUndefined();
    expect(unpadPlaintext(Uint8Array.of(7, 3))).toBeUndefined();
    expect(unpadPlaintext(Uint8Array.of(2, 2))).toEqual(new Uint8Array(0));
  });
});

describe('message ids (docs/protocol.md §7.1)', () => {
  it('is 3EB0 + the first 9 bytes of SHA-256(BE seconds || user@c.us || 16 random bytes), uppercase', async () => {
    const random = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
    const crypto = { ...nodeCrypto, randomBytes: () => random.slice() };
    const nowMs = 1_767_225_600_999;
    const seconds = Buffer.alloc(8);
    seconds.writeBigUInt64BE(1_767_225_600n);
    const expected = createHash('sha256')
      .update(Buffer.concat([seconds, Buffer.from('15550001111@c.us'), random]))
      .digest('hex')
      .slice(0, 18)
      .toUpperCase();
    expect(await generateMessageId(crypto, '15550001111', nowMs)).toBe(`3EB0${expected}`);
    expect(await generateMessageId(nodeCrypto, '15550001111', nowMs)).toMatch(/^3EB0[0-9A-F]{18}$/);
  });
});

describe('stanza type and mediatype (docs/protocol.md §7.1, whatsmeow send.go)', () => {
  const cases: [MessageInitShape<typeof MessageSchema>, string, string | undefined][] = [
    [{ conversation: 'hi' }, 'text', undefined],
    [{ extendedTextMessage: { text: 'see https://x' } }, 'text', undefined],
    [{ extendedTextMessage: { text: 'see https://x', title: 'X' } }, 'media', 'url'],
    [{ imageMessage: {} }, 'media', 'image'],
    [{ videoMessage: {} }, 'media', 'video'],
    [{ videoMessage: { gifPlayback: true } }, 'media', 'gif'],
    [{ audioMessage: {} }, 'media', 'audio'],
    [{ audioMessage: { ptt: true } }, 'media', 'ptt'],
    [{ documentMessage: {} }, 'media', 'document'],
    [{ stickerMessage: {} }, 'media', 'sticker'],
    [{ contactMessage: {} }, 'media', 'vcard'],
    [{ contactsArrayMessage: {} }, 'media', 'contact_array'],
    [{ reactionMessage: { text: '👍' } }, 'reaction', undefined],
    [{ pollCreationMessage: { name: 'q' } }, 'poll', undefined],
    [{ eventMessage: { name: 'party' } }, 'event', undefined],
    [{ ephemeralMessage: { message: { imageMessage: {} } } }, 'media', 'image'],
    [{ viewOnceMessageV2: { message: { videoMessage: {} } } }, 'media', 'video'],
    [{ documentWithCaptionMessage: { message: { documentMessage: {} } } }, 'media', 'document'],
  ];
  it.each(cases)('%j is %s / %s', (init, type, mediatype) => {
    const message = create(MessageSchema, init);
    expect(stanzaTypeOf(message)).toBe(type);
    expect(mediaTypeOf(message)).toBe(mediatype);
  });
});
