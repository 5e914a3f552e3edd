/**
 * `npm run bench -w @wakit/noise`: WhatsApp handshakes per second (client and server in memory, XX)
 * per CryptoProvider, and transport throughput (encrypt + frame) against raw node:crypto AES-256-GCM
 * with WhatsApp's IV layout, the physical floor. Every transport row is first checked to produce the
 * very bytes of the raw baseline, so they measure the same work. Then one frame's round trip
 * (encryptFrame, then decrypt; and encryptFrameSync, then decryptSync) against raw
 * createCipheriv/createDecipheriv (frame-round-trip.ts).
 *
 * The shared harness awaits each operation that returns a promise (every CryptoProvider method
 * does) and not the synchronous raw baseline, so the baseline pays no microtask it would not pay in
 * real code.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
// The built packages (dist/), as users get them. Run `npx tsup` in crypto, proto and noise first.
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import {
  CipherState,
  ClientHandshake,
  FrameDecoder,
  NoiseTransport,
  ServerFrameDecoder,
  ServerHandshake,
  WA_NONCE_LIMIT,
} from '@wakit/noise';
import { issueCertChain } from '@wakit/noise/testing';
import { type BenchCase, benchGroup, type CaseResult, recordResults } from '../../../bench.shared';
import { benchFrameRoundTrip } from './frame-round-trip';

const PROVIDERS: CryptoProvider[] = [nodeCrypto, nobleCrypto];
const groups: Record<string, CaseResult[]> = {};

// Handshakes: a fresh client ephemeral and server ephemeral per handshake, as on a real connection.
const handshakeCases: BenchCase[] = [];
for (const crypto of PROVIDERS) {
  const staticKeyPair = await crypto.generateKeyPair();
  const noiseKey = await crypto.generateKeyPair();
  const issued = await issueCertChain({ crypto, leafKey: staticKeyPair.publicKey });
  const payload = randomBytes(200);
  const handshake = async () => {
    const client = new ClientHandshake({ crypto, noiseKey, payload, rootPublicKey: issued.rootPublicKey });
    const server = new ServerHandshake({ crypto, staticKeyPair, certChain: issued.bytes });
    const [hello] = new ServerFrameDecoder().push(await client.start());
    const [serverHello] = new FrameDecoder().push((await server.receive(hello!))!);
    const [finish] = new FrameDecoder().push((await client.receive(serverHello!))!);
    await server.receive(finish!);
    return server.result.transport;
  };
  await handshake();
  handshakeCases.push({ name: `wakit (${crypto.name})`, fn: handshake });
}
groups.handshake = await benchGroup(
  'full WhatsApp XX handshake, client + server in memory (handshakes/s)',
  handshakeCases,
  `wakit (${nodeCrypto.name})`,
);

// Transport: encrypt one frame payload and frame it, counter advancing, as a session sends.
const KEY = randomBytes(32);

/** Raw node:crypto: a cipher per frame, IV = 8 zero bytes || BE counter, length || ciphertext || tag. */
function rawSender() {
  const iv = Buffer.alloc(12);
  let counter = 0;
  return (plaintext: Uint8Array): Uint8Array => {
    iv.writeUInt32BE(counter++, 8);
    const cipher = createCipheriv('aes-256-gcm', KEY, iv);
    const body = cipher.update(plaintext);
    cipher.final();
    const frame = Buffer.allocUnsafe(3 + body.length + 16);
    frame.writeUIntBE(body.length + 16, 0, 3);
    body.copy(frame, 3);
    cipher.getAuthTag().copy(frame, 3 + body.length);
    return frame;
  };
}

function wakitSender(crypto: CryptoProvider): NoiseTransport {
  const cipher = () => new CipherState(KEY, { crypto, nonceLimit: WA_NONCE_LIMIT });
  return new NoiseTransport(cipher(), cipher());
}

for (const size of [64 * 1024, 256]) {
  const plaintext = randomBytes(size);
  // Same key, same counters: every implementation must produce the raw baseline's bytes.
  const reference = rawSender()(plaintext);
  for (const crypto of PROVIDERS) {
    const frame = await wakitSender(crypto).encryptFrame(plaintext);
    if (Buffer.compare(frame, reference) !== 0)
      throw new Error(`${crypto.name}: frames differ from raw node:crypto`);
  }
  const raw = rawSender();
  const label = size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
  groups[`encrypt+frame ${label}`] = await benchGroup(
    `transport encrypt + frame, ${label} payloads`,
    [
      { name: 'raw node:crypto', fn: () => raw(plaintext), bytes: size },
      ...PROVIDERS.map((crypto) => {
        const transport = wakitSender(crypto);
        return { name: `wakit (${crypto.name})`, fn: () => transport.encryptFrame(plaintext), bytes: size };
      }),
    ],
    'raw node:crypto',
  );
}

await benchFrameRoundTrip(groups);

recordResults('noise', groups);
