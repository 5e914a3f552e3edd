/**
 * The lines and JSON objects `wakit listen` prints for what it receives.
 */
import { describe, expect, it } from 'vitest';
import {
  editedJson,
  editedLine,
  formatTime,
  messageJson,
  messageLine,
  receiptJson,
  receiptLine,
  revokedLine,
  sanitizeForTerminal,
  summarizeMessage,
  undecryptableJson,
  undecryptableLine,
} from '../src/received-format';
import { ALICE_CHAT, ALICE_DEVICE, message, received, TIMESTAMP } from './_messages';

const HEAD = `2025-01-02T03:04:05Z ${ALICE_CHAT} ${ALICE_DEVICE}`;

describe('summarizeMessage', () => {
  it('reads the text of plain and extended text, and the caption of media', () => {
    expect(summarizeMessage(message({ conversation: 'hi' }))).toEqual({ type: 'conversation', text: 'hi' });
    expect(summarizeMessage(message({ extendedTextMessage: { text: 'see https://example.com' } }))).toEqual({
      type: 'extendedTextMessage',
      text: 'see https://example.com',
    });
    expect(summarizeMessage(message({ imageMessage: { caption: 'the cat' } }))).toEqual({
      type: 'imageMessage',
      text: 'the cat',
    });
    expect(summarizeMessage(message({ imageMessage: { caption: '' } }))).toEqual({
      type: 'imageMessage',
      text: undefined,
    });
  });

  it('names the content, not the context info that travels beside it', () => {
    expect(
      summarizeMessage(
        message({ messageContextInfo: { deviceListMetadataVersion: 2 }, locationMessage: {} }),
      ),
    ).toEqual({ type: 'locationMessage', text: undefined });
    expect(summarizeMessage(message({}))).toEqual({ type: 'empty', text: undefined });
  });

  it('looks through wrappers that carry a whole message', () => {
    const wrapped = message({ ephemeralMessage: { message: message({ conversation: 'gone in a day' }) } });
    expect(summarizeMessage(wrapped)).toEqual({ type: 'conversation', text: 'gone in a day' });
  });
});

describe('sanitizeForTerminal', () => {
  it('shows control characters and bidirectional overrides escaped instead of acting on them', () => {
    expect(sanitizeForTerminal('\u001b]0;pwned\u0007red\u001b[31m')).toBe('\\x1b]0;pwned\\x07red\\x1b[31m');
    expect(sanitizeForTerminal('abc\u202edcba\u0085')).toBe('abc\\u202edcba\\x85');
    expect(sanitizeForTerminal('tab\tand emoji 👩‍💻')).toBe('tab\tand emoji 👩‍💻');
  });

  it('indents the lines after the first, so each message starts at the left edge', () => {
    expect(sanitizeForTerminal('one\r\ntwo\nthree\rfour')).toBe('one\n  two\n  three\n  four');
  });
});

describe('text lines', () => {
  it('prints time, chat, sender device, push name and text', () => {
    expect(formatTime(TIMESTAMP)).toBe('2025-01-02T03:04:05Z');
    expect(messageLine(received({ conversation: 'hello' }))).toBe(`${HEAD} ~Alice: hello`);
    expect(messageLine(received({ conversation: 'hello' }, { pushName: undefined }))).toBe(`${HEAD}: hello`);
  });

  it('marks offline messages and our own from another device', () => {
    expect(messageLine(received({ conversation: 'late' }, { offline: true }))).toBe(
      `${HEAD} ~Alice [offline]: late`,
    );
    expect(messageLine(received({ conversation: 'mine' }, { fromMe: true }))).toBe(`${HEAD} (me): mine`);
  });

  it('marks a message replayed after a crash, which that run may have printed already', () => {
    expect(messageLine(received({ conversation: 'again' }, { offline: true, replayed: true }))).toBe(
      `${HEAD} ~Alice [offline] [replayed]: again`,
    );
    expect(messageJson(received({ conversation: 'again' }, { replayed: true })).replayed).toBe(true);
  });

  it('names content without text, and puts a caption after it', () => {
    expect(messageLine(received({ stickerMessage: {} }))).toBe(`${HEAD} ~Alice: <stickerMessage>`);
    expect(messageLine(received({ imageMessage: { caption: 'the cat' } }))).toBe(
      `${HEAD} ~Alice: <imageMessage> the cat`,
    );
  });

  it('never lets a peer write escape sequences, in the text or the push name', () => {
    const line = messageLine(received({ conversation: 'x\u001b[2J' }, { pushName: 'A\u001b[1m' }));
    expect(line).toBe(`${HEAD} ~A\\x1b[1m: x\\x1b[2J`);
  });

  it('prints edits, revokes, receipts and unreadable messages', () => {
    const edit = { chat: ALICE_CHAT, id: '3EB0AAAA0001', sender: ALICE_DEVICE, fromMe: false };
    expect(editedLine({ ...edit, message: message({ conversation: 'fixed' }) })).toBe(
      `edited ${ALICE_CHAT} ${ALICE_DEVICE} 3EB0AAAA0001: fixed`,
    );
    expect(revokedLine(edit)).toBe(`revoked ${ALICE_CHAT} ${ALICE_DEVICE} 3EB0AAAA0001`);
    expect(
      receiptLine({ chat: ALICE_CHAT, sender: ALICE_DEVICE, ids: ['3EB0A', '3EB0B'], type: 'read' }),
    ).toBe(`receipt read ${ALICE_CHAT} ${ALICE_DEVICE} 3EB0A,3EB0B`);
    const { info } = received({});
    expect(undecryptableLine({ info, reason: 'decrypt-failed', error: new Error('bad mac') })).toBe(
      `${HEAD} ~Alice: <undecryptable: decrypt-failed>`,
    );
  });
});

describe('JSON objects', () => {
  it('carry every field of the message info, null where absent, and the summary', () => {
    expect(messageJson(received({ conversation: 'hello' }, { senderAlt: '123456:2@lid' }))).toEqual({
      event: 'message',
      id: '3EB0AAAA0001',
      chat: ALICE_CHAT,
      sender: ALICE_DEVICE,
      senderAlt: '123456:2@lid',
      fromMe: false,
      pushName: 'Alice',
      timestamp: TIMESTAMP,
      time: '2025-01-02T03:04:05Z',
      offline: false,
      replayed: false,
      type: 'conversation',
      text: 'hello',
    });
    expect(messageJson(received({ stickerMessage: {} }, { pushName: undefined }))).toMatchObject({
      senderAlt: null,
      pushName: null,
      type: 'stickerMessage',
      text: null,
    });
  });

  it('keep the text as sent: escaping is for terminals only', () => {
    expect(messageJson(received({ conversation: 'a\nb\u001b' })).text).toBe('a\nb\u001b');
  });

  it('describe edits, receipts and unreadable messages', () => {
    const edit = { chat: ALICE_CHAT, id: '3EB0AAAA0001', sender: ALICE_DEVICE, fromMe: true };
    expect(editedJson({ ...edit, message: message({ conversation: 'fixed' }) })).toEqual({
      event: 'edited',
      ...edit,
      type: 'conversation',
      text: 'fixed',
    });
    expect(receiptJson({ chat: ALICE_CHAT, sender: ALICE_DEVICE, ids: ['3EB0A'], type: 'delivery' })).toEqual(
      {
        event: 'receipt',
        type: 'delivery',
        chat: ALICE_CHAT,
        sender: ALICE_DEVICE,
        ids: ['3EB0A'],
        timestamp: null,
      },
    );
    const { info } = received({}, { offline: true });
    expect(
      undecryptableJson({ info, reason: 'retries-exhausted', error: new Error('no session') }),
    ).toMatchObject({
      event: 'undecryptable',
      id: '3EB0AAAA0001',
      offline: true,
      reason: 'retries-exhausted',
      error: 'no session',
    });
  });
});
