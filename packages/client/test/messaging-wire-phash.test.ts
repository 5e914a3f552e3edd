import { createHash } from 'node:crypto';
import { InvalidJidError } from '@wakit/binary-node';
import { generateParticipantHashV2 } from 'baileys/lib/Utils/generics.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { participantHash } from '../src/messaging/wire/phash';

/**
 * Known answers from whatsapp-rust `wacore/src/messages.rs` `phash_crosscheck_vectors` (@1489b7d),
 * which says they match whatsmeow and WA Web; the first and third hit base64 characters 62/63,
 * where the URL-safe alphabet would differ.
 */
const VECTORS: [string[], string][] = [
  [['5511999999999:3@s.whatsapp.net'], '2:5s+YxCff'],
  [['5511999999999@s.whatsapp.net'], '2:RJWVxcMQ'],
  [['5511988887777:14@s.whatsapp.net', '7469250125917:21@s.whatsapp.net'], '2:AAv/hwhn'],
];

/** docs/protocol.md §6.9 written out with node:crypto: AD strings, sorted, SHA-256, 6 bytes, base64. */
function byDefinition(adStrings: string[]): string {
  const digest = createHash('sha256')
    .update([...adStrings].sort().join(''))
    .digest();
  return `2:${digest.subarray(0, 6).toString('base64').replace(/=+$/, '')}`;
}

describe('participantHash', () => {
  it('gives the whatsapp-rust / whatsmeow known answers', () => {
    for (const [devices, hash] of VECTORS) expect(participantHash(devices)).toBe(hash);
  });

  it('hashes the AD strings user.agent:device@server, sorted, as the definition says', () => {
    // Written by hand: device 0 and the agent are always spelled out.
    expect(participantHash(['9@lid', '1:2@s.whatsapp.net'])).toBe(
      byDefinition(['1.0:2@s.whatsapp.net', '9.0:0@lid']),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            user: fc.stringMatching(/^[1-9][0-9]{0,14}$/),
            device: fc.integer({ min: 0, max: 65535 }),
            server: fc.constantFrom('s.whatsapp.net', 'lid', 'hosted'),
          }),
          { maxLength: 8 },
        ),
        (devices) => {
          const jids = devices.map((d) => `${d.user}${d.device ? `:${d.device}` : ''}@${d.server}`);
          const hash = participantHash(jids);
          expect(hash).toBe(byDefinition(devices.map((d) => `${d.user}.0:${d.device}@${d.server}`)));
          expect(hash).toMatch(/^2:[A-Za-z0-9+/]{8}$/);
          expect(participantHash([...jids].reverse())).toBe(hash);
        },
      ),
    );
  });

  it('differs from Baileys generateParticipantHashV2, which hashes the JIDs as given (DISAGREE, §6.9)', () => {
    const devices = ['5511999999999:3@s.whatsapp.net'];
    const baileys = generateParticipantHashV2([...devices]);
    const digest = createHash('sha256').update(devices.join('')).digest('base64');
    expect(baileys).toBe(`2:${digest.slice(0, 6)}`);
    expect(baileys).not.toBe(participantHash(devices));
  });

  it('refuses strings that are not JIDs', () => {
    expect(() => participantHash(['nope'])).toThrow(InvalidJidError);
  });
});
