/** The round-trip property every message test shares: encode, decode, compare, re-encode. */
import { type DescMessage, equals, fromBinary, type MessageShape, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { expect } from 'vitest';
import { toHex } from './vectors.ts';

/**
 * Asserts that every generated message decodes to an equal message, and that encoding the decoded
 * message gives the same bytes (the encoding is a function of the message, so a relay that decodes
 * and re-encodes never alters what a peer signed).
 */
export function assertRoundTrip<Desc extends DescMessage>(
  desc: Desc,
  messages: fc.Arbitrary<MessageShape<Desc>>,
  parameters: fc.Parameters<[MessageShape<Desc>]> = {},
): void {
  fc.assert(
    fc.property(messages, (message) => {
      const bytes = toBinary(desc, message);
      const decoded = fromBinary(desc, bytes);
      if (!equals(desc, decoded, message)) expect(decoded).toEqual(message); // prints the difference
      expect(equals(desc, decoded, message)).toBe(true);
      expect(toHex(toBinary(desc, decoded))).toBe(toHex(bytes));
    }),
    parameters,
  );
}
