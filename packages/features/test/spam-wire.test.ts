import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildSpamReport,
  InvalidSpamFlowError,
  isSpamReportFlow,
  parseSpamReportId,
  SPAM_REPORT_FLOWS,
  type SpamReportFlow,
} from '../src/index';

const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));
const same = (node: BinaryNode, expected: string) => expect(xml(node)).toBe(xml(fromXml(expected)));

describe('spam report (docs/protocol.md §10.9)', () => {
  it('the five flows of the protocol, and nothing else', () => {
    expect([...SPAM_REPORT_FLOWS].sort()).toEqual(
      ['ContactInfo', 'GroupInfoReport', 'GroupSpamBannerReport', 'MessageMenu', 'StatusReport'].sort(),
    );
    expect(isSpamReportFlow('MessageMenu')).toBe(true);
    for (const value of ['messageMenu', 'Spam', '', undefined, 3])
      expect(isSpamReportFlow(value)).toBe(false);
  });

  it('a 1:1 message: the message id, time and sender', () => {
    same(
      buildSpamReport({
        messageId: 'ABC',
        messageTimestamp: 1700000000,
        spamFlow: 'MessageMenu',
        fromJid: '1@s.whatsapp.net',
      }),
      '<iq to="s.whatsapp.net" type="set" xmlns="spam"><spam_list spam_flow="MessageMenu"><message id="ABC" t="1700000000" from="1@s.whatsapp.net"/></spam_list></iq>',
    );
  });

  it('a group message with its raw bytes, media type, subject and a tc token', () => {
    const node = buildSpamReport({
      messageId: 'ABC',
      messageTimestamp: 5,
      spamFlow: 'GroupSpamBannerReport',
      groupJid: '120363@g.us',
      groupSubject: 'Deals',
      participantJid: '2@lid',
      rawMessage: Uint8Array.of(0x0a, 1, 0x41),
      mediaType: 'image',
      tcToken: Uint8Array.of(9, 9),
    });
    expect(decodeNode(encodeNode(node))).toEqual({
      tag: 'iq',
      attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'spam' },
      content: [
        {
          tag: 'spam_list',
          attrs: { spam_flow: 'GroupSpamBannerReport', jid: '120363@g.us', subject: 'Deals' },
          content: [
            {
              tag: 'message',
              attrs: { id: 'ABC', t: '5', participant: '2@lid' },
              content: [
                { tag: 'raw', attrs: { v: '3', mediatype: 'image' }, content: Uint8Array.of(0x0a, 1, 0x41) },
              ],
            },
          ],
        },
        { tag: 'tctoken', attrs: {}, content: Uint8Array.of(9, 9) },
      ],
    });
  });

  it('refuses an unknown flow with InvalidSpamFlowError, and a bad id or time', () => {
    const base = { messageId: 'A', messageTimestamp: 1, spamFlow: 'MessageMenu' as SpamReportFlow };
    let error: unknown;
    try {
      buildSpamReport({ ...base, spamFlow: 'Bogus' as SpamReportFlow });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSpamFlowError);
    expect((error as InvalidSpamFlowError).spamFlow).toBe('Bogus');
    expect(() => buildSpamReport({ ...base, messageId: '' })).toThrow(TypeError);
    for (const t of [-1, 1.5, Number.NaN]) {
      expect(() => buildSpamReport({ ...base, messageTimestamp: t }), String(t)).toThrow(RangeError);
    }
  });

  it('reads the report id as text or bytes; none when absent or empty', () => {
    expect(parseSpamReportId(fromXml('<iq type="result"><report_id>R-1</report_id></iq>'))).toBe('R-1');
    const bytes: BinaryNode = {
      tag: 'iq',
      attrs: { type: 'result' },
      content: [{ tag: 'report_id', attrs: {}, content: new TextEncoder().encode('R-2') }],
    };
    expect(parseSpamReportId(decodeNode(encodeNode(bytes)))).toBe('R-2');
    expect(parseSpamReportId(fromXml('<iq type="result"/>'))).toBeUndefined();
    expect(parseSpamReportId(fromXml('<iq type="result"><report_id/></iq>'))).toBeUndefined();
  });
});
