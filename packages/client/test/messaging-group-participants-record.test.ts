/**
 * The stored form of a group's participants (`group-participants-record.ts`): what it writes reads
 * back the same, and what it did not write (another version, damaged bytes, JIDs no metadata
 * reply gives) reads as absent, never as a throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGroupParticipants, encodeGroupParticipants } from '../src/messaging/group-participants-record';
import type { GroupParticipants } from '../src/messaging/wire/group-participants';

const GROUP = '120363000000000001@g.us';
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('stored group participants', () => {
  it('read back as written, with the LID or PN each participant had', () => {
    const info: GroupParticipants = {
      jid: GROUP,
      addressingMode: 'lid',
      participants: [
        { jid: '101@lid', pn: '15550000001@s.whatsapp.net' },
        { jid: '102@lid' },
        { jid: '103@lid', pn: '15550000003@s.whatsapp.net' },
      ],
    };
    expect(decodeGroupParticipants(GROUP, encodeGroupParticipants(info))).toEqual(info);
    const pn: GroupParticipants = {
      jid: GROUP,
      addressingMode: 'pn',
      participants: [{ jid: '15550000001@s.whatsapp.net', lid: '101@lid' }],
    };
    expect(decodeGroupParticipants(GROUP, encodeGroupParticipants(pn))).toEqual(pn);
  });

  it('any participants round-trip', () => {
    const user = fc
      .tuple(fc.stringMatching(/^[0-9]{1,15}$/), fc.constantFrom('s.whatsapp.net', 'lid'))
      .map(([u, server]) => `${u}@${server}`);
    const participant = fc.record({ jid: user, lid: user, pn: user }, { requiredKeys: ['jid'] });
    fc.assert(
      fc.property(
        fc.constantFrom('pn' as const, 'lid' as const),
        fc.array(participant),
        (mode, participants) => {
          const info = { jid: GROUP, addressingMode: mode, participants };
          expect(decodeGroupParticipants(GROUP, encodeGroupParticipants(info))).toEqual(info);
        },
      ),
    );
  });

  it('anything else reads as absent', () => {
    const row = ['15550000001@s.whatsapp.net', null, null];
    for (const bytes of [
      new Uint8Array(0),
      Uint8Array.of(0xff, 0xfe),
      new TextEncoder().encode('{"v":1,'),
      json(null),
      json([]),
      json({ v: 2, mode: 'pn', participants: [row] }),
      json({ v: 1, mode: 'phone', participants: [row] }),
      json({ v: 1, mode: 'pn', participants: {} }),
      json({ v: 1, mode: 'pn', participants: [['15550000001@s.whatsapp.net', null]] }),
      json({ v: 1, mode: 'pn', participants: [[1, null, null]] }),
      // A device, a server and a non-canonical JID are not what the metadata names.
      json({ v: 1, mode: 'pn', participants: [['15550000001:2@s.whatsapp.net', null, null]] }),
      json({ v: 1, mode: 'pn', participants: [['@s.whatsapp.net', null, null]] }),
      json({ v: 1, mode: 'pn', participants: [['15550000001@s.whatsapp.net', 'x', null]] }),
      json({ v: 1, mode: 'pn', participants: [['15550000001@s.whatsapp.net', null, 7]] }),
    ]) {
      expect(decodeGroupParticipants(GROUP, bytes)).toBeUndefined();
    }
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const read = decodeGroupParticipants(GROUP, bytes);
        expect(read === undefined || read.jid === GROUP).toBe(true);
      }),
    );
  });
});
