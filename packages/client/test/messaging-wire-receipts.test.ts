import { type BinaryNode, fromXml } from '@wakit/binary-node';
import { serializePublicKey } from '@wakit/signal';
import { extractE2ESessionFromRetryReceipt } from 'baileys/lib/Utils/signal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedStanzaError } from '../src/errors';
import { type IncomingMessage, parseIncomingMessage } from '../src/messaging/wire/incoming';
import {
  deliveryReceipt,
  deliveryReceiptType,
  parseReceipt,
  type Receipt,
  type RetryKeys,
  readReceipt,
  retryReceipt,
} from '../src/messaging/wire/receipts';
import { arbitraryNode, expectOnly, mutated } from './messaging-wire-helpers';

const OWN = { pn: '100:5@s.whatsapp.net', lid: '900:5@lid' };
const CT = Uint8Array.of(0x33, 1);

function incoming(attrs: Record<string, string>): IncomingMessage {
  return parseIncomingMessage(
    {
      tag: 'message',
      attrs: { id: 'M1', t: '1700000000', ...attrs },
      content: [{ tag: 'enc', attrs: { type: 'msg' }, content: CT }],
    },
    OWN,
  );
}

const PEER = incoming({ from: '200:2@s.whatsapp.net' });
const OWN_COPY = incoming({ from: '100:3@s.whatsapp.net', recipient: '200:0@s.whatsapp.net' });
const OWN_PEER = incoming({ from: '100@s.whatsapp.net', category: 'peer' });
const GROUP = incoming({ from: '120363@g.us', participant: '800:2@lid' });
const STATUS = incoming({ from: 'status@broadcast', participant: '200:2@s.whatsapp.net' });

describe('deliveryReceiptType', () => {
  it('is peer_msg, sender, inactive or none, as WA Web decides (docs/protocol.md §7.4)', () => {
    expect(deliveryReceiptType(OWN_PEER, true)).toBe('peer_msg');
    expect(deliveryReceiptType(OWN_COPY, false)).toBe('sender');
    expect(deliveryReceiptType(PEER, false)).toBe('inactive');
    expect(deliveryReceiptType(PEER, true)).toBeUndefined();
    expect(deliveryReceiptType(GROUP, false)).toBe('inactive');
    // Status updates are never answered "inactive" (whatsapp-rust delivery_receipt_type).
    expect(deliveryReceiptType(STATUS, false)).toBeUndefined();
  });
});

describe('deliveryReceipt', () => {
  it('echoes the sender device in to for 1:1 messages', () => {
    expect(deliveryReceipt(PEER)).toEqual({
      tag: 'receipt',
      attrs: { to: '200:2@s.whatsapp.net', id: 'M1' },
    });
    expect(deliveryReceipt(PEER, 'inactive')).toEqual({
      tag: 'receipt',
      attrs: { to: '200:2@s.whatsapp.net', type: 'inactive', id: 'M1' },
    });
  });

  it('names the chat in recipient (device stripped) on a sender receipt, but not on peer_msg', () => {
    expect(deliveryReceipt(OWN_COPY, 'sender').attrs).toEqual({
      to: '100:3@s.whatsapp.net',
      type: 'sender',
      recipient: '200@s.whatsapp.net',
      id: 'M1',
    });
    expect(deliveryReceipt(OWN_PEER, 'peer_msg').attrs).toEqual({
      to: '100@s.whatsapp.net',
      type: 'peer_msg',
      id: 'M1',
    });
    // A stray recipient on someone else's message is not echoed (only sender receipts carry one).
    const stray = incoming({ from: '200:2@s.whatsapp.net', recipient: '300@s.whatsapp.net' });
    expect(deliveryReceipt(stray, 'inactive').attrs).toEqual({
      to: '200:2@s.whatsapp.net',
      type: 'inactive',
      id: 'M1',
    });
  });

  it('addresses groups and status to the chat with the sender device as participant', () => {
    expect(deliveryReceipt(GROUP).attrs).toEqual({ to: '120363@g.us', participant: '800:2@lid', id: 'M1' });
    expect(deliveryReceipt(STATUS).attrs).toEqual({
      to: 'status@broadcast',
      participant: '200:2@s.whatsapp.net',
      context: 'status',
      id: 'M1',
    });
  });
});

describe('readReceipt', () => {
  it('puts the first id in id and the rest in <list><item id/> (docs/protocol.md §7.4)', () => {
    expect(readReceipt('200@s.whatsapp.net', ['A', 'B', 'C'], undefined, 1_700_000_123.9, 'read')).toEqual({
      tag: 'receipt',
      attrs: { id: 'A', to: '200@s.whatsapp.net', type: 'read', t: '1700000123' },
      content: [
        {
          tag: 'list',
          attrs: {},
          content: [
            { tag: 'item', attrs: { id: 'B' } },
            { tag: 'item', attrs: { id: 'C' } },
          ],
        },
      ],
    });
    expect(readReceipt('200@s.whatsapp.net', ['A'], undefined, 1, 'read-self')).toEqual({
      tag: 'receipt',
      attrs: { id: 'A', to: '200@s.whatsapp.net', type: 'read-self', t: '1' },
    });
  });

  it('names the sender without device as participant in groups only (whatsmeow MarkRead)', () => {
    expect(readReceipt('1@g.us', ['A'], '800:2@lid', 1, 'read').attrs.participant).toBe('800@lid');
    expect(
      readReceipt('200@s.whatsapp.net', ['A'], '200:2@s.whatsapp.net', 1, 'read').attrs,
    ).not.toHaveProperty('participant');
    expect(readReceipt('800@lid', ['A'], '800:2@lid', 1, 'read').attrs).not.toHaveProperty('participant');
  });

  it('refuses an empty id list', () => {
    expect(() => readReceipt('1@lid', [], undefined, 1, 'read')).toThrow(RangeError);
  });
});

const KEYS: RetryKeys = {
  identity: new Uint8Array(32).fill(1),
  preKey: { id: 0x0a0b0c, publicKey: new Uint8Array(32).fill(2) },
  signedPreKey: { id: 7, publicKey: new Uint8Array(32).fill(3), signature: new Uint8Array(64).fill(4) },
  deviceIdentity: Uint8Array.of(5, 6),
};

/** What the server forwards to the original sender: our `to` becomes `from`, and it stamps `t`. */
function forwarded(receipt: BinaryNode): BinaryNode {
  const { to, ...rest } = receipt.attrs;
  return { ...receipt, attrs: { from: to!, ...rest, t: '1700000500' } };
}

describe('retryReceipt', () => {
  it('has the §7.5 shape: <retry v id t count [error]>, <registration>, and <keys> when given', () => {
    expect(retryReceipt({ msg: PEER, count: 2, registrationId: 0x01020304, keys: KEYS, reason: 7 })).toEqual({
      tag: 'receipt',
      attrs: { to: '200:2@s.whatsapp.net', id: 'M1', type: 'retry' },
      content: [
        { tag: 'retry', attrs: { v: '1', id: 'M1', t: '1700000000', count: '2', error: '7' } },
        { tag: 'registration', attrs: {}, content: Uint8Array.of(1, 2, 3, 4) },
        {
          tag: 'keys',
          attrs: {},
          content: [
            { tag: 'type', attrs: {}, content: Uint8Array.of(5) },
            { tag: 'identity', attrs: {}, content: KEYS.identity },
            {
              tag: 'key',
              attrs: {},
              content: [
                { tag: 'id', attrs: {}, content: Uint8Array.of(0x0a, 0x0b, 0x0c) },
                { tag: 'value', attrs: {}, content: KEYS.preKey.publicKey },
              ],
            },
            {
              tag: 'skey',
              attrs: {},
              content: [
                { tag: 'id', attrs: {}, content: Uint8Array.of(0, 0, 7) },
                { tag: 'value', attrs: {}, content: KEYS.signedPreKey.publicKey },
                { tag: 'signature', attrs: {}, content: KEYS.signedPreKey.signature },
              ],
            },
            { tag: 'device-identity', attrs: {}, content: KEYS.deviceIdentity },
          ],
        },
      ],
    });
    const first = retryReceipt({ msg: PEER, count: 1, registrationId: 1 });
    expect((first.content as BinaryNode[]).map((c) => c.tag)).toEqual(['retry', 'registration']);
    expect((first.content as BinaryNode[])[0]!.attrs).not.toHaveProperty('error');
  });

  it('routes like WA Web: participant in groups, category="peer" or recipient for our own messages', () => {
    expect(retryReceipt({ msg: GROUP, count: 1, registrationId: 1 }).attrs).toEqual({
      to: '120363@g.us',
      id: 'M1',
      type: 'retry',
      participant: '800:2@lid',
    });
    expect(retryReceipt({ msg: OWN_PEER, count: 1, registrationId: 1 }).attrs).toMatchObject({
      category: 'peer',
    });
    expect(retryReceipt({ msg: OWN_COPY, count: 1, registrationId: 1 }).attrs).toMatchObject({
      to: '100:3@s.whatsapp.net',
      recipient: '200@s.whatsapp.net',
    });
    expect(retryReceipt({ msg: PEER, count: 1, registrationId: 1 }).attrs).not.toHaveProperty('recipient');
  });

  it('refuses keys of the wrong size and counts below 1', () => {
    expect(() => retryReceipt({ msg: PEER, count: 0, registrationId: 1 })).toThrow(RangeError);
    expect(() =>
      retryReceipt({
        msg: PEER,
        count: 2,
        registrationId: 1,
        keys: { ...KEYS, identity: new Uint8Array(33) },
      }),
    ).toThrow(RangeError);
    expect(() => retryReceipt({ msg: PEER, count: 2, registrationId: 2 ** 32 })).toThrow(RangeError);
  });

  it('round-trips through the server to parseReceipt, keys becoming a 33-byte bundle', () => {
    const keys = fc.record({
      identity: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      preKey: fc.record({
        id: fc.integer({ min: 0, max: 0xffffff }),
        publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      }),
      signedPreKey: fc.record({
        id: fc.integer({ min: 0, max: 0xffffff }),
        publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
        signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
      }),
      deviceIdentity: fc.uint8Array({ minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(PEER, OWN_COPY, OWN_PEER, GROUP),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.option(keys, { nil: undefined }),
        (msg, count, registrationId, k) => {
          const node = retryReceipt({ msg, count, registrationId, ...(k === undefined ? {} : { keys: k }) });
          const parsed = parseReceipt(forwarded(node));
          expect(parsed.type).toBe('retry');
          expect(parsed.id).toBe(msg.id);
          expect(parsed.retry).toMatchObject({ count, id: msg.id, t: '1700000000', registrationId });
          if (k === undefined) {
            expect(parsed.retry?.keys).toBeUndefined();
          } else {
            expect(parsed.retry?.keys).toEqual({
              registrationId,
              identityKey: serializePublicKey(k.identity),
              signedPreKey: {
                keyId: k.signedPreKey.id,
                publicKey: serializePublicKey(k.signedPreKey.publicKey),
                signature: k.signedPreKey.signature,
              },
              preKey: { keyId: k.preKey.id, publicKey: serializePublicKey(k.preKey.publicKey) },
              deviceIdentity: k.deviceIdentity,
            });
            // Baileys 7 reads the same bundle out of our receipt.
            const theirs = extractE2ESessionFromRetryReceipt(forwarded(node));
            expect(theirs).not.toBeNull();
            expect(new Uint8Array(theirs!.identityKey)).toEqual(parsed.retry!.keys!.identityKey);
            expect(theirs!.registrationId).toBe(registrationId);
            expect(theirs!.signedPreKey.keyId).toBe(k.signedPreKey.id);
            expect(new Uint8Array(theirs!.signedPreKey.publicKey)).toEqual(
              parsed.retry!.keys!.signedPreKey.publicKey,
            );
            expect(new Uint8Array(theirs!.signedPreKey.signature)).toEqual(k.signedPreKey.signature);
            expect(theirs!.preKey?.keyId).toBe(k.preKey.id);
            expect(new Uint8Array(theirs!.preKey!.publicKey)).toEqual(parsed.retry!.keys!.preKey!.publicKey);
          }
        },
      ),
    );
  });
});

describe('parseReceipt', () => {
  it('reads a 1:1 delivery receipt: chat = from without device, no type', () => {
    expect(
      parseReceipt(fromXml('<receipt from="200:2@s.whatsapp.net" id="A" t="1700000001"/>')),
    ).toEqual<Receipt>({
      id: 'A',
      ids: ['A'],
      from: '200:2@s.whatsapp.net',
      chat: '200@s.whatsapp.net',
      sender: '200:2@s.whatsapp.net',
      type: undefined,
      timestamp: 1_700_000_001,
    });
  });

  it('reads every id of a read receipt, skipping items without one (whatsmeow)', () => {
    const receipt = parseReceipt(
      fromXml(
        '<receipt from="800@lid" id="A" type="read" t="5"><list><item id="B"/><item/><other id="X"/><item id="C"/></list></receipt>',
      ),
    );
    expect(receipt.ids).toEqual(['A', 'B', 'C']);
    expect(receipt.type).toBe('read');
    expect(receipt.chat).toBe('800@lid');
  });

  it('takes the chat from recipient on receipts from our own other devices', () => {
    const receipt = parseReceipt(
      fromXml('<receipt from="100:3@s.whatsapp.net" recipient="200:1@s.whatsapp.net" id="A" type="sender"/>'),
    );
    expect(receipt).toMatchObject({
      chat: '200@s.whatsapp.net',
      sender: '100:3@s.whatsapp.net',
      recipient: '200:1@s.whatsapp.net',
    });
  });

  it('reads group receipts: chat = group, sender = participant', () => {
    const receipt = parseReceipt(
      fromXml('<receipt from="1@g.us" participant="800:2@lid" id="A" t="5" type="read"/>'),
    );
    expect(receipt).toMatchObject({ chat: '1@g.us', sender: '800:2@lid', participant: '800:2@lid' });
  });

  it('refuses what a receipt requires missing or garbled', () => {
    const bad = [
      '<receipt id="A"/>',
      '<receipt from="1@lid"/>',
      '<receipt from="nope" id="A"/>',
      '<receipt from="@s.whatsapp.net" id="A"/>',
      '<receipt from="1@lid" id="A" t="x"/>',
      '<receipt from="1@g.us" id="A"/>',
      '<receipt from="1@g.us" participant="@lid" id="A"/>',
      '<receipt from="1@lid" recipient="@lid" id="A"/>',
      '<receipt from="1@lid" id="A" type="retry"/>',
      '<receipt from="1@lid" id="A" type="retry"><retry id="A"/></receipt>',
      '<receipt from="1@lid" id="A" type="retry"><retry count="-1" id="A"/></receipt>',
      '<receipt from="1@lid" id="A" type="retry"><retry count="1" id="A"/><registration>AB</registration></receipt>',
      '<receipt from="1@lid" id="A" type="retry"><retry count="2" id="A"/><keys><identity>x</identity></keys></receipt>',
    ];
    for (const xml of bad) expect(() => parseReceipt(fromXml(xml)), xml).toThrow(MalformedStanzaError);
  });

  it('throws nothing but MalformedStanzaError, on arbitrary nodes and on damaged retry receipts', () => {
    const valid = forwarded(retryReceipt({ msg: GROUP, count: 3, registrationId: 9, keys: KEYS }));
    fc.assert(
      fc.property(arbitraryNode, (node) => expectOnly(MalformedStanzaError, () => parseReceipt(node))),
    );
    fc.assert(
      fc.property(mutated(valid), (node) => expectOnly(MalformedStanzaError, () => parseReceipt(node))),
    );
  });
});
