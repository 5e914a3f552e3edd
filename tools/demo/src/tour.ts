/**
 * The tour `npm start` prints: each step runs a layer of wakit on recorded WhatsApp data and says
 * what it found. Returns the lines so the test can check them; main.ts prints them.
 */
import { decodeNode, encodeNode, fromXml, parseJid, readAttrs, toXml } from '@wakit/binary-node';
import { CertChain_NoiseCertificate_DetailsSchema, CertChainSchema, fromBinary } from '@wakit/proto';
import { handshakeTour } from './handshake-tour';
import { CERT_CHAIN_HEX, SUCCESS_FRAME_HEX } from './recorded';
import { signalTour } from './signal-tour';

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (b) => Number.parseInt(b, 16));
const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const indent = (text: string) => text.replace(/^/gm, '    ');

export async function tour(): Promise<string[]> {
  const out: string[] = [];

  const frame = fromHex(SUCCESS_FRAME_HEX);
  const success = decodeNode(frame);
  const attrs = readAttrs(success);
  const lid = attrs.jid('lid');
  const t = attrs.unixTime('t');
  attrs.check();
  out.push(
    `1. A real <success> stanza from WhatsApp's servers (${frame.length} bytes), decoded by @wakit/binary-node:`,
    indent(toXml(success)),
    `   own LID ${lid.user} (device ${lid.device}), server time ${t.toISOString()}`,
    `   re-encoded byte for byte: ${toHex(encodeNode(success)) === SUCCESS_FRAME_HEX ? 'yes' : 'NO'}`,
  );

  const iq = fromXml('<iq id="12" type="get" xmlns="w:p" to="@s.whatsapp.net"><ping/></iq>');
  const iqBytes = encodeNode(iq);
  out.push(
    '2. A ping IQ written as XML, encoded to the wire and back:',
    `   ${toHex(iqBytes)}  (${iqBytes.length} bytes; "@s.whatsapp.net" is fa 00 03)`,
    `   ${toXml(decodeNode(iqBytes)).replace(/\n\s*/g, '')}`,
    `   to = ${JSON.stringify(parseJid(iq.attrs.to!))}`,
  );

  const chain = fromBinary(CertChainSchema, fromHex(CERT_CHAIN_HEX));
  const details = (certificate: typeof chain.leaf) =>
    fromBinary(CertChain_NoiseCertificate_DetailsSchema, certificate!.details!);
  const leaf = details(chain.leaf);
  const intermediate = details(chain.intermediate);
  const date = (seconds: bigint | undefined) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
  out.push(
    "3. The server's certificate chain from a recorded handshake, decoded by @wakit/proto:",
    `   intermediate serial ${intermediate.serial}, issued by root serial ${intermediate.issuerSerial}, valid ${date(intermediate.notBefore)} .. ${date(intermediate.notAfter)}`,
    `   leaf serial ${leaf.serial}, issued by ${leaf.issuerSerial}, valid ${date(leaf.notBefore)} .. ${date(leaf.notAfter)}, key ${toHex(leaf.key!).slice(0, 16)}…`,
  );

  out.push(...(await handshakeTour()));
  out.push(...(await signalTour()));

  out.push('', ...tourEnding(out));
  return out;
}

/** The READMEs the ending points to, relative to the repository root (the tour test checks they exist). */
export const TOUR_READMES = ['README.md', 'packages/client/README.md', 'tools/cli/README.md'] as const;

/**
 * The closing lines: which packages the numbered steps above ran, and where to go next. Built
 * from the steps themselves, so a step added or dropped changes the summary with it.
 */
export function tourEnding(steps: readonly string[]): string[] {
  const packages = new Set<string>();
  for (const line of steps) {
    if (!/^\d+\. /.test(line)) continue;
    for (const [name] of line.matchAll(/@wakit\/[a-z-]+/g)) packages.add(name);
  }
  const names = [...packages];
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return [
    `That was ${list}, each on its own, on recorded and in-memory data.`,
    'The demo above put them together: `npm start` runs it alone (the embedded server, two clients',
    'linked by their virtual phones, messages with receipts, an offline catch-up, and a restart from',
    'the SQLite files). To link a device by hand, `npx wakit serve` and `npx wakit link` in two',
    `terminals. More in ${TOUR_READMES.join(', ')}; \`npm test\` runs every test.`,
  ];
}
