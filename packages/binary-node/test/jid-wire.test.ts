/**
 * The JID model (jid*.ts) and the codec's wire forms (wire-jid.ts) must agree: the canonical
 * string of a JID on a known server travels in a JID form and decodes back to that same string.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createJid,
  decodeNode,
  encodeNode,
  formatJid,
  isCanonicalJid,
  parseJid,
  SERVERS,
} from '../src/index';

const JID_TAGS = new Set([0xf5, 0xf6, 0xf7, 0xfa]);
/** `<message id=V/>`: the value's first byte is at index 5. */
const valueTag = (value: string) => encodeNode({ tag: 'message', attrs: { id: value } })[5];

const server = fc.constantFrom(...Object.values(SERVERS));
const user = fc.oneof(
  fc.stringMatching(/^[0-9]{1,20}$/),
  fc.stringMatching(/^[0-9]{5,12}-[0-9]{5,12}$/),
  fc.constant('status'),
);

const canonicalJid = fc
  .record({
    user,
    server,
    device: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 }), fc.integer({ min: 256, max: 0xffff })),
    integrator: fc.integer({ min: 1, max: 0xffff }),
  })
  .map(({ user, server, device, integrator }) => {
    const devices = server === SERVERS.msgr || server === SERVERS.interop || device <= 255;
    const onDeviceServer = ['s.whatsapp.net', 'lid', 'hosted', 'hosted.lid', 'msgr', 'interop'].includes(
      server,
    );
    return createJid(server === SERVERS.interop ? user.replace('-', '') : user, server, {
      device: devices && onDeviceServer ? device : 0,
      integrator: server === SERVERS.interop ? integrator : 0,
    });
  })
  .filter((jid) => isCanonicalJid(jid) && formatJid(jid).length <= 48);

describe('JIDs on the wire', () => {
  it('the canonical string of every JID on a known server is written in a JID form and decodes to itself', () => {
    fc.assert(
      fc.property(canonicalJid, (jid) => {
        const s = formatJid(jid);
        expect(JID_TAGS.has(valueTag(s)!)).toBe(true);
        const back = decodeNode(encodeNode({ tag: 'message', attrs: { id: s } })).attrs.id!;
        expect(back).toBe(s);
        expect(parseJid(back)).toEqual(jid);
      }),
      { numRuns: 3000 },
    );
  });

  it('the server JID formats as "@s.whatsapp.net", which is the fa 00 03 every reference sends as an IQ target', () => {
    expect(formatJid(parseJid('s.whatsapp.net'))).toBe('@s.whatsapp.net');
    expect(
      Array.from(
        encodeNode({ tag: 'message', attrs: { id: formatJid(parseJid('s.whatsapp.net')) } }).subarray(5),
      ),
    ).toEqual([0xfa, 0x00, 0x03]);
  });
});
