import { fromXml } from '@wakit/binary-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedStanzaError } from '../src/errors';
import { parseMessageAck } from '../src/messaging/wire/ack';
import { arbitraryNode, expectOnly, mutated } from './messaging-wire-helpers';

describe('parseMessageAck', () => {
  it('reads id, t, phash and refresh_lid of an accepted message (docs/protocol.md §7.1)', () => {
    expect(
      parseMessageAck(
        fromXml(
          '<ack class="message" id="3EB0AA" from="1@lid" t="1700000000" phash="2:abcdEFGH" refresh_lid="true"/>',
        ),
      ),
    ).toEqual({ id: '3EB0AA', t: 1_700_000_000, phash: '2:abcdEFGH', refreshLid: true });
    expect(parseMessageAck(fromXml('<ack class="message" id="X"/>'))).toEqual({ id: 'X' });
  });

  it('reads the error code of a refused message', () => {
    expect(parseMessageAck(fromXml('<ack class="message" id="X" error="463" t="5"/>'))).toEqual({
      id: 'X',
      t: 5,
      error: 463,
    });
  });

  it('refuses other acks and missing or garbled fields', () => {
    for (const xml of [
      '<ack class="receipt" id="X"/>',
      '<receipt class="message" id="X"/>',
      '<ack id="X"/>',
      '<ack class="message"/>',
      '<ack class="message" id="X" error="bad"/>',
      '<ack class="message" id="X" t="-1"/>',
    ]) {
      expect(() => parseMessageAck(fromXml(xml)), xml).toThrow(MalformedStanzaError);
    }
  });

  it('throws nothing but MalformedStanzaError', () => {
    const valid = fromXml('<ack class="message" id="X" t="5" error="479" phash="2:x" refresh_lid="true"/>');
    fc.assert(
      fc.property(arbitraryNode, (node) => expectOnly(MalformedStanzaError, () => parseMessageAck(node))),
    );
    fc.assert(
      fc.property(mutated(valid), (node) => expectOnly(MalformedStanzaError, () => parseMessageAck(node))),
    );
  });
});
