/**
 * Grouped group receipts (`wire/grouped-receipts.ts`; whatsmeow `handleGroupedReceipt`): one
 * receipt per message and reader, bad readers skipped and counted, and the receipt handler's
 * events for them.
 */
import { fromXml } from '@wakit/binary-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedStanzaError } from '../src/errors';
import { receiptHandler } from '../src/messaging/receipts';
import { isGroupedReceipt, parseGroupedReceipt } from '../src/messaging/wire/grouped-receipts';
import { bareStanza, GroupNet } from './group-harness';
import { arbitraryNode, expectOnly, mutated } from './messaging-wire-helpers';

const GROUPED = fromXml(
  '<receipt from="120363@g.us" type="read" t="1700000000" id="R1">' +
    '<participants key="M1"><user jid="200:2@s.whatsapp.net" t="1700000005"/><user jid="300@lid"/></participants>' +
    '<participants key="M2"><user jid="200:2@s.whatsapp.net" t="1700000007"/></participants>' +
    '</receipt>',
);

describe('grouped group receipts', () => {
  it('are told apart from receipts of one reader', () => {
    expect(isGroupedReceipt(GROUPED)).toBe(true);
    for (const xml of [
      '<receipt from="120363@g.us" participant="200:2@s.whatsapp.net" id="A"/>',
      '<receipt from="120363@g.us" id="A"/>',
      '<receipt from="200:2@s.whatsapp.net" id="A"><participants key="A"/></receipt>',
    ])
      expect(isGroupedReceipt(fromXml(xml)), xml).toBe(false);
    expect(
      isGroupedReceipt(fromXml('<receipt from="status@broadcast"><participants key="A"/></receipt>')),
    ).toBe(true);
  });

  it('give one receipt per message and reader, with its own time or the stanza one', () => {
    expect(parseGroupedReceipt(GROUPED)).toEqual({
      chat: '120363@g.us',
      skipped: 0,
      receipts: [
        {
          id: 'M1',
          ids: ['M1'],
          from: '120363@g.us',
          chat: '120363@g.us',
          sender: '200:2@s.whatsapp.net',
          type: 'read',
          timestamp: 1700000005,
        },
        {
          id: 'M1',
          ids: ['M1'],
          from: '120363@g.us',
          chat: '120363@g.us',
          sender: '300@lid',
          type: 'read',
          timestamp: 1700000000,
        },
        {
          id: 'M2',
          ids: ['M2'],
          from: '120363@g.us',
          chat: '120363@g.us',
          sender: '200:2@s.whatsapp.net',
          type: 'read',
          timestamp: 1700000007,
        },
      ],
    });
  });

  it('skip and count a reader that does not read, keeping the others', () => {
    const read = parseGroupedReceipt(
      fromXml(
        '<receipt from="120363@g.us"><participants key="M1">' +
          '<user jid="@s.whatsapp.net"/><user/><user jid="200@s.whatsapp.net" t="soon"/><user jid="300@lid"/>' +
          '</participants></receipt>',
      ),
    );
    expect(read.skipped).toBe(3);
    expect(read.receipts.map((r) => [r.sender, r.type, r.timestamp])).toEqual([
      ['300@lid', undefined, undefined],
    ]);
  });

  it('refuse a message list without its key, and throw nothing but MalformedStanzaError', () => {
    expect(() =>
      parseGroupedReceipt(
        fromXml('<receipt from="120363@g.us"><participants><user jid="300@lid"/></participants></receipt>'),
      ),
    ).toThrow(MalformedStanzaError);
    fc.assert(
      fc.property(arbitraryNode, (node) => expectOnly(MalformedStanzaError, () => parseGroupedReceipt(node))),
    );
    fc.assert(
      fc.property(mutated(GROUPED), (node) =>
        expectOnly(MalformedStanzaError, () => parseGroupedReceipt(node)),
      ),
    );
  });

  it('become one receipt event per message and reader', async () => {
    const net = new GroupNet();
    const dev = await net.addDevice('15550000001', 1);
    await receiptHandler(dev.m).handle(bareStanza(GROUPED));
    expect(dev.events.filter((e) => e.event === 'receipt').map((e) => e.payload)).toEqual([
      {
        chat: '120363@g.us',
        sender: '200:2@s.whatsapp.net',
        ids: ['M1'],
        type: 'read',
        timestamp: 1700000005,
      },
      { chat: '120363@g.us', sender: '300@lid', ids: ['M1'], type: 'read', timestamp: 1700000000 },
      {
        chat: '120363@g.us',
        sender: '200:2@s.whatsapp.net',
        ids: ['M2'],
        type: 'read',
        timestamp: 1700000007,
      },
    ]);
    expect(dev.errors).toEqual([]);
  });
});
