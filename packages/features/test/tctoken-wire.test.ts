import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildTcTokenNode,
  buildTokenIssue,
  isTcTokenExpired,
  MalformedFeatureReplyError,
  parseIssuedTokens,
  parsePrivacyTokenNotification,
  shouldIssueTcToken,
  TC_TOKEN_BUCKET_SECONDS,
  TC_TOKEN_BUCKETS,
  tcTokenCutoff,
} from '../src/index';

const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));
const same = (node: BinaryNode, expected: string) => expect(xml(node)).toBe(xml(fromXml(expected)));
const bytes = (...values: number[]) => Uint8Array.from(values);
/** A node with byte content, as the binary codec gives it back. */
const withBytes = (tag: string, attrs: Record<string, string>, content: Uint8Array): BinaryNode => ({
  tag,
  attrs,
  content,
});

describe('trusted-contact token stanzas (docs/protocol.md §10.8)', () => {
  it('issues our token to each peer, stamped, as trusted_contact', () => {
    same(
      buildTokenIssue(['1@lid', '2@s.whatsapp.net'], 1_707_000_000),
      `<iq to="s.whatsapp.net" type="set" xmlns="privacy"><tokens>
        <token jid="1@lid" t="1707000000" type="trusted_contact"/>
        <token jid="2@s.whatsapp.net" t="1707000000" type="trusted_contact"/></tokens></iq>`,
    );
  });

  it('carries a token as the bytes of <tctoken>, without attributes', () => {
    expect(decodeNode(encodeNode(buildTcTokenNode(bytes(1, 2, 3))))).toEqual(
      withBytes('tctoken', {}, bytes(1, 2, 3)),
    );
  });

  it("reads the peers' tokens from an issue reply, skipping other types and empty ones", () => {
    const reply: BinaryNode = {
      tag: 'iq',
      attrs: { type: 'result' },
      content: [
        {
          tag: 'tokens',
          attrs: {},
          content: [
            withBytes('token', { jid: '1@lid', t: '1707000000', type: 'trusted_contact' }, bytes(0xde, 0xad)),
            withBytes('token', { jid: '2@lid', t: '1707000000', type: 'other' }, bytes(1)),
            { tag: 'token', attrs: { jid: '3@lid', t: '1707000000', type: 'trusted_contact' } },
          ],
        },
      ],
    };
    expect(parseIssuedTokens(reply)).toEqual([{ jid: '1@lid', token: bytes(0xde, 0xad), t: 1_707_000_000 }]);
    expect(parseIssuedTokens(fromXml('<iq type="result"/>'))).toEqual([]);
  });

  it('refuses an issued token without a jid or with a t that is not a number', () => {
    const reply = (attrs: Record<string, string>): BinaryNode => ({
      tag: 'iq',
      attrs: {},
      content: [{ tag: 'tokens', attrs: {}, content: [withBytes('token', attrs, bytes(1))] }],
    });
    expect(() => parseIssuedTokens(reply({ t: '1', type: 'trusted_contact' }))).toThrow(
      MalformedFeatureReplyError,
    );
    expect(() => parseIssuedTokens(reply({ jid: '1@lid', t: 'soon', type: 'trusted_contact' }))).toThrow(
      MalformedFeatureReplyError,
    );
  });

  it('reads a privacy_token notification: the issuer, its LID when given, the tokens', () => {
    const node: BinaryNode = {
      tag: 'notification',
      attrs: { from: '15550001111@s.whatsapp.net', type: 'privacy_token', sender_lid: '77@lid' },
      content: [
        {
          tag: 'tokens',
          attrs: {},
          content: [withBytes('token', { type: 'trusted_contact', t: '1707000000' }, bytes(0xca, 0xfe))],
        },
      ],
    };
    expect(parsePrivacyTokenNotification(node)).toEqual({
      from: '15550001111@s.whatsapp.net',
      senderLid: '77@lid',
      tokens: [{ token: bytes(0xca, 0xfe), t: 1_707_000_000 }],
    });
    expect(() =>
      parsePrivacyTokenNotification(fromXml('<notification type="privacy_token" from="1@lid"/>')),
    ).toThrow(MalformedFeatureReplyError);
    expect(() =>
      parsePrivacyTokenNotification(fromXml('<notification type="privacy_token"><tokens/></notification>')),
    ).toThrow(MalformedFeatureReplyError);
  });
});

describe('token buckets (whatsapp-rust wacore/src/iq/tctoken.rs)', () => {
  const D = TC_TOKEN_BUCKET_SECONDS;

  it('are a week each, four of them', () => {
    expect([D, TC_TOKEN_BUCKETS]).toEqual([604_800, 4]);
  });

  it('expire a token issued before the start of the third bucket before the current one', () => {
    const now = 10 * D + 12_345;
    expect(tcTokenCutoff(now)).toBe(7 * D);
    expect(isTcTokenExpired(7 * D, now)).toBe(false);
    expect(isTcTokenExpired(7 * D - 1, now)).toBe(true);
    expect(isTcTokenExpired(now, now)).toBe(false);
    // The cutoff moves a whole bucket at a time, not with the clock.
    expect(isTcTokenExpired(7 * D - 1, 10 * D)).toBe(true);
    expect(isTcTokenExpired(7 * D, 11 * D - 1)).toBe(false);
    expect(isTcTokenExpired(7 * D, 11 * D)).toBe(true);
  });

  it('issue again only in a later bucket than the last issue (never for a clock gone back)', () => {
    expect(shouldIssueTcToken(undefined, 5)).toBe(true);
    expect(shouldIssueTcToken(2 * D, 2 * D + 100)).toBe(false);
    expect(shouldIssueTcToken(2 * D, 3 * D - 1)).toBe(false);
    expect(shouldIssueTcToken(2 * D, 3 * D)).toBe(true);
    expect(shouldIssueTcToken(5 * D + 100, 3 * D + 100)).toBe(false);
  });
});
