import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import { buildPairingQRData } from 'baileys/lib/Utils/companion-reg-client-utils.js';
import { describe, expect, it } from 'vitest';
import { companionPlatformDisplay, companionPlatformId } from '../src/auth/companion-platform';
import { generateCredentials } from '../src/auth/credentials';
import { FIRST_QR_TIMEOUT_MS, handlePairDevice, NEXT_QR_TIMEOUT_MS } from '../src/auth/pair-qr';

const crypto = nodeCrypto;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function pairDevice(refs: (string | Uint8Array)[], id = '1234.5678-9'): BinaryNode {
  return {
    tag: 'iq',
    attrs: { from: '@s.whatsapp.net', type: 'set', id, xmlns: 'md' },
    content: [
      {
        tag: 'pair-device',
        attrs: {},
        content: refs.map((ref) => ({
          tag: 'ref',
          attrs: {},
          content: typeof ref === 'string' ? new TextEncoder().encode(ref) : ref,
        })),
      },
    ],
  };
}

describe('handlePairDevice', () => {
  it('acks with the request id and makes one QR string per ref, in order', async () => {
    const credentials = await generateCredentials(crypto);
    const refs = ['2@AbC/dEf+123==', '2@second', '2@third', '2@fourth', '2@fifth', '2@sixth'];
    const { ack, qrs } = handlePairDevice(pairDevice(refs), credentials);
    expect(ack).toEqual({ tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'result', id: '1234.5678-9' } });
    // The server JID goes out as a JID pair with an empty user (fa 00 03), as the references send it.
    expect(Buffer.from(encodeNode(ack)).toString('hex')).toContain('fa0003');
    expect(qrs).toHaveLength(6);
    const expected = refs.map(
      (ref) =>
        `https://wa.me/settings/linked_devices#${ref},${b64(credentials.noiseKey.publicKey)},${b64(credentials.identityKey.publicKey)},${b64(credentials.advSecretKey)},1`,
    );
    expect(qrs).toEqual(expected);
  });

  it("matches Baileys' buildPairingQRData for the same browser", async () => {
    const credentials = await generateCredentials(crypto);
    for (const browser of [
      ['Mac OS', 'Chrome'],
      ['Windows', 'Edge'],
      ['Ubuntu', 'Firefox'],
      ['Windows', 'Desktop'],
      ['Mac OS', 'Desktop'],
      ['Linux', 'Lynx'],
    ] as const) {
      const { qrs } = handlePairDevice(pairDevice(['2@ref']), credentials, companionPlatformId(browser));
      const theirs = buildPairingQRData(
        '2@ref',
        b64(credentials.noiseKey.publicKey),
        b64(credentials.identityKey.publicKey),
        b64(credentials.advSecretKey),
        [browser[0], browser[1], '1.0'],
      );
      expect(qrs[0]).toBe(theirs);
    }
    expect(companionPlatformDisplay(['Mac OS', 'Chrome'])).toBe('Chrome (Mac OS)');
  });

  it('base64 fields have padding and decode back to the keys', async () => {
    const credentials = await generateCredentials(crypto);
    const [qr] = handlePairDevice(pairDevice(['r']), credentials, '9').qrs;
    const fields = qr!.slice('https://wa.me/settings/linked_devices#'.length).split(',');
    expect(fields).toHaveLength(5);
    expect(fields[1]).toMatch(/=$/); // 32 bytes -> 44 characters with one '='
    expect(new Uint8Array(Buffer.from(fields[1]!, 'base64'))).toEqual(credentials.noiseKey.publicKey);
    expect(new Uint8Array(Buffer.from(fields[2]!, 'base64'))).toEqual(credentials.identityKey.publicKey);
    expect(new Uint8Array(Buffer.from(fields[3]!, 'base64'))).toEqual(credentials.advSecretKey);
    expect(fields[4]).toBe('9');
  });

  it('survives the binary codec: refs decoded from the wire give the same strings', async () => {
    const credentials = await generateCredentials(crypto);
    const iq = pairDevice(['2@XyZ123', '2@abcdef']);
    const decoded = decodeNode(encodeNode(iq));
    expect(handlePairDevice(decoded, credentials).qrs).toEqual(handlePairDevice(iq, credentials).qrs);
  });

  it('skips children that are not usable refs but still acks', async () => {
    const credentials = await generateCredentials(crypto);
    const iq = pairDevice(['2@good', 'has,comma', new Uint8Array(0), Uint8Array.of(0xff, 0xfe)]);
    (iq.content as BinaryNode[])[0]!.content = [
      ...((iq.content as BinaryNode[])[0]!.content as BinaryNode[]),
      { tag: 'other', attrs: {}, content: new TextEncoder().encode('2@nope') },
    ];
    const { ack, qrs } = handlePairDevice(iq, credentials);
    expect(ack.attrs.id).toBe('1234.5678-9');
    expect(qrs).toHaveLength(1);
    expect(qrs[0]).toContain('#2@good,');
  });

  it('throws typed errors for an iq without id or <pair-device>, RangeError for a bad platform char', async () => {
    const credentials = await generateCredentials(crypto);
    const noId = pairDevice(['2@a']);
    delete (noId.attrs as Record<string, string>).id;
    expect(() => handlePairDevice(noId, credentials)).toThrow(expect.objectContaining({ code: 'ERR_ATTRS' }));
    expect(() => handlePairDevice({ tag: 'iq', attrs: { id: '1' } }, credentials)).toThrow(
      expect.objectContaining({ code: 'ERR_BINARY_MISSING_CHILD' }),
    );
    expect(() => handlePairDevice(pairDevice(['2@a']), credentials, 'chrome')).toThrow(RangeError);
  });

  it('keeps the rotation timings of the references (60 s, then 20 s)', () => {
    expect(FIRST_QR_TIMEOUT_MS).toBe(60_000);
    expect(NEXT_QR_TIMEOUT_MS).toBe(20_000);
  });
});
