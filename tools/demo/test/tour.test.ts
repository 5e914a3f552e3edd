import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CERT_CHAIN_HEX, SUCCESS_FRAME_HEX } from '../src/recorded';
import { TOUR_READMES, tour, tourEnding } from '../src/tour';

const vector = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../packages/${path}`, import.meta.url), 'utf8'));

describe('npm start tour', () => {
  it('runs on the same recorded bytes as the packages’ test vectors', () => {
    const nodes = vector('binary-node/test/vectors/wa-binary-node-fixtures.json');
    expect(SUCCESS_FRAME_HEX).toBe(nodes.recorded_nodes[0].hex);
    expect(CERT_CHAIN_HEX).toBe(vector('proto/test/vectors/whatsapp-rust/cert-chain.json').cert_chain_hex);
  });

  it('decodes, re-encodes, runs a handshake and reports what it found', async () => {
    const text = (await tour()).join('\n');
    expect(text).toContain('<success t="1752021890"');
    expect(text).toContain('re-encoded byte for byte: yes');
    expect(text).toContain('own LID 100000000000001 (device 42)');
    expect(text).toContain('00f80a1908cf0429165711fa0003f801f80156');
    expect(text).toContain('leaf serial 329, issued by 3');
    expect(text).toContain('intermediate serial 3, issued by root serial 0');
    expect(text).toContain('4. A WhatsApp Noise XX handshake');
    expect(text).toContain('logged in as 15550001234:1');
    expect(text).toContain(
      'client -> server, encrypted: <iq id="1" type="get" xmlns="w:p" to="@s.whatsapp.net"/>',
    );
    expect(text).toContain('server -> client, encrypted: <iq id="1" type="result" from="@s.whatsapp.net"/>');
    expect(text).toContain("the same server against WhatsApp's real root: refused: intermediate-signature");
    expect(text).toMatch(/Alice -> Bob, pkmsg of \d+ bytes: "hi Bob" \(one-time prekey used: true\)/);
    expect(text).toMatch(/Bob -> Alice, msg of \d+ bytes: "hi Alice"/);
    expect(text).toMatch(
      /Alice -> group, skmsg of \d+ bytes after a \d+-byte sender key distribution: "hi group"/,
    );
  });

  it('ends by naming the packages its steps ran and pointing to npm start and the READMEs', async () => {
    const lines = await tour();
    const ending = lines.slice(lines.lastIndexOf('') + 1).join(' ');
    expect(ending).toContain(
      'That was @wakit/binary-node, @wakit/proto, @wakit/noise and @wakit/signal, each on its own',
    );
    expect(ending).toContain('`npm start` runs it alone');
    expect(ending).not.toMatch(/next to land/i);
    for (const readme of TOUR_READMES) {
      expect(ending).toContain(readme);
      expect(existsSync(new URL(`../../../${readme}`, import.meta.url)), readme).toBe(true);
    }
  });

  it('summarises whichever steps ran', () => {
    expect(tourEnding(['1. one (@wakit/proto)', '   detail @wakit/noise'])[0]).toBe(
      'That was @wakit/proto, each on its own, on recorded and in-memory data.',
    );
  });
});
