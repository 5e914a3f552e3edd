import type { CryptoProvider } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CipherState } from '../src/cipher-state';
import {
  FrameTooLargeError,
  NoiseDecryptError,
  NonceExhaustedError,
  SyncCipherUnavailableError,
} from '../src/errors';
import { FrameDecoder } from '../src/frame-decoder';
import { NoiseTransport } from '../src/transport';
import { FRAME_MAX_SIZE, WA_NONCE_LIMIT } from '../src/wa-constants';
import {
  bytesToHex,
  concat,
  hexToBytes,
  PROVIDERS,
  thrown,
  withoutPreparedKeys,
  withoutSyncKeys,
} from './wa-helpers';

const KEY_A = hexToBytes('0e34efece6dc4516c05c53bb7e0c2128bc66c053da4e0b18afb0afe8e648c05d');
const KEY_B = hexToBytes('5092572187a71abe8044010b9c8419633272b45b2babf4ca316966edc3eb9bde');

/** WhatsApp's IV: 8 zero bytes || 32-bit big-endian counter (docs/protocol.md §2.1). */
function waIv(counter: number): Uint8Array {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, counter);
  return iv;
}

/** A connected pair on `crypto`, as the handshake builds it: client sends with A, server with B. */
function pairOn(crypto: CryptoProvider) {
  const cipher = (key: Uint8Array) => new CipherState(key, { crypto, nonceLimit: WA_NONCE_LIMIT });
  return {
    client: new NoiseTransport(cipher(KEY_A), cipher(KEY_B)),
    server: new NoiseTransport(cipher(KEY_B), cipher(KEY_A)),
  };
}

describe.each(
  [...PROVIDERS, withoutSyncKeys(nodeCrypto), withoutPreparedKeys(nodeCrypto)].map(
    (crypto) => [crypto.name, crypto] as const,
  ),
)('NoiseTransport (%s)', (_, crypto) => {
  const pair = () => pairOn(crypto);

  it('encrypts with AES-256-GCM, empty AD and WhatsApp IVs counting from 0', async () => {
    const { client } = pair();
    for (let counter = 0; counter < 3; counter++) {
      const plaintext = Uint8Array.of(counter, 0xf8, 2);
      const expected = await crypto.aesGcmEncrypt(KEY_A, waIv(counter), plaintext, new Uint8Array(0));
      expect(bytesToHex(await client.encrypt(plaintext))).toBe(bytesToHex(expected));
      expect(client.sendCounter).toBe(counter + 1);
    }
  });

  it('frames the ciphertext with its 3-byte length', async () => {
    const { client, server } = pair();
    const frame = await client.encryptFrame(new Uint8Array(300));
    expect(bytesToHex(frame.subarray(0, 3))).toBe('00013c');
    expect(frame.length).toBe(3 + 316);
    expect(await server.decrypt(frame.subarray(3))).toEqual(new Uint8Array(300));
  });

  it('passes frames both ways in order, through any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }),
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }),
        fc.nat(40),
        async (up, down, chunkSize) => {
          const { client, server } = pair();
          const wire: Uint8Array[] = [];
          for (const message of up) wire.push(await client.encryptFrame(message));
          const stream = concat(...wire);
          const decoder = new FrameDecoder();
          const received: Uint8Array[] = [];
          const step = chunkSize + 1;
          for (let offset = 0; offset < stream.length; offset += step) {
            for (const frame of decoder.push(stream.subarray(offset, offset + step))) {
              received.push(await server.decrypt(frame));
            }
          }
          expect(received).toEqual(up);
          for (const message of down)
            expect(await client.decrypt(await server.encrypt(message))).toEqual(message);
          expect([client.sendCounter, client.receiveCounter]).toEqual([up.length, down.length]);
          expect([server.sendCounter, server.receiveCounter]).toEqual([down.length, up.length]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects a tampered ciphertext with NoiseDecryptError without advancing the receive counter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.nat(), async (message, bit) => {
        const { client, server } = pair();
        const ciphertext = await client.encrypt(message);
        const tampered = ciphertext.slice();
        const index = Math.floor(bit / 8) % tampered.length;
        tampered[index]! ^= 1 << (bit % 8);
        await expect(server.decrypt(tampered)).rejects.toThrow(NoiseDecryptError);
        expect(server.receiveCounter).toBe(0);
        expect(await server.decrypt(ciphertext)).toEqual(message);
        expect(server.receiveCounter).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects frames out of order, truncated, or read with the wrong direction key', async () => {
    const { client, server } = pair();
    const first = await client.encrypt(Uint8Array.of(1));
    const second = await client.encrypt(Uint8Array.of(2));
    await expect(server.decrypt(second)).rejects.toThrow(NoiseDecryptError);
    await expect(server.decrypt(first.subarray(0, 10))).rejects.toThrow(NoiseDecryptError);
    await expect(client.decrypt(first)).rejects.toThrow(NoiseDecryptError);
    expect(await server.decrypt(first)).toEqual(Uint8Array.of(1));
    expect(await server.decrypt(second)).toEqual(Uint8Array.of(2));
  });

  it('stops at 2^32 messages per direction: counter 2^32 - 1 is the last one', async () => {
    const sender = new CipherState(KEY_A, { crypto, nonceLimit: WA_NONCE_LIMIT });
    const receiver = new CipherState(KEY_A, { crypto, nonceLimit: WA_NONCE_LIMIT });
    sender.setNonce(WA_NONCE_LIMIT - 1);
    receiver.setNonce(WA_NONCE_LIMIT - 1);
    const transport = new NoiseTransport(sender, receiver);
    const last = await transport.encrypt(Uint8Array.of(9));
    expect(last).toEqual(
      await crypto.aesGcmEncrypt(KEY_A, waIv(0xffff_ffff), Uint8Array.of(9), new Uint8Array(0)),
    );
    await expect(transport.encrypt(Uint8Array.of(9))).rejects.toThrow(NonceExhaustedError);
    await expect(transport.encryptFrame(Uint8Array.of(9))).rejects.toThrow(NonceExhaustedError);
    expect(await transport.decrypt(last)).toEqual(Uint8Array.of(9));
    await expect(transport.decrypt(last)).rejects.toThrow(NonceExhaustedError);
  });

  it('refuses a plaintext whose ciphertext would not fit a frame, without spending a counter', async () => {
    const { client, server } = pair();
    await expect(client.encryptFrame(new Uint8Array(FRAME_MAX_SIZE - 16))).rejects.toThrow(
      FrameTooLargeError,
    );
    expect(client.sendCounter).toBe(0);
    const largest = await client.encryptFrame(new Uint8Array(FRAME_MAX_SIZE - 17));
    expect(bytesToHex(largest.subarray(0, 3))).toBe('ffffff');
    expect((await server.decrypt(largest.subarray(3))).length).toBe(FRAME_MAX_SIZE - 17);
  });
});

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'NoiseTransport synchronous methods (%s)',
  (_, crypto) => {
    const pair = () => pairOn(crypto);

    it('supports them on both providers', () => {
      expect(pair().client.supportsSync).toBe(true);
    });

    it('makes the frames encryptFrame makes, and reads them back, any mix of sync and async calls, any chunking', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.boolean()), { maxLength: 8 }),
          fc.nat(40),
          async (messages, chunkSize) => {
            const { client, server } = pair();
            // The one-shot path, which shares no code with the synchronous one but the framing checks.
            const reference = pairOn(withoutPreparedKeys(crypto)).client;
            const wire: Uint8Array[] = [];
            for (const [message, sealSync] of messages) {
              const frame = sealSync ? client.encryptFrameSync(message) : await client.encryptFrame(message);
              expect(bytesToHex(frame)).toBe(bytesToHex(await reference.encryptFrame(message)));
              wire.push(frame);
            }
            const stream = concat(...wire);
            const decoder = new FrameDecoder();
            const received: Uint8Array[] = [];
            const step = chunkSize + 1;
            for (let offset = 0; offset < stream.length; offset += step) {
              for (const frame of decoder.push(stream.subarray(offset, offset + step))) {
                const openSync = messages[received.length]![2];
                received.push(openSync ? server.decryptSync(frame) : await server.decrypt(frame));
              }
            }
            expect(received).toEqual(messages.map(([message]) => message));
            expect([client.sendCounter, server.receiveCounter]).toEqual([messages.length, messages.length]);
          },
        ),
        { numRuns: 30 },
      );
    });

    it('encryptSync gives the unframed ciphertext under the next counter', async () => {
      const { client } = pair();
      await client.encrypt(Uint8Array.of(1));
      const expected = await crypto.aesGcmEncrypt(KEY_A, waIv(1), Uint8Array.of(2), new Uint8Array(0));
      expect(bytesToHex(client.encryptSync(Uint8Array.of(2)))).toBe(bytesToHex(expected));
      expect(client.sendCounter).toBe(2);
    });

    it('throws NoiseDecryptError for a tampered, reordered or misdirected frame, the receive counter unchanged', () => {
      const { client, server } = pair();
      const first = client.encryptSync(Uint8Array.of(1));
      const second = client.encryptSync(Uint8Array.of(2));
      const tampered = first.slice();
      tampered[0]! ^= 0x80;
      for (const bad of [tampered, second, first.subarray(0, 10)]) {
        expect(thrown(() => server.decryptSync(bad))).toBeInstanceOf(NoiseDecryptError);
      }
      expect(thrown(() => client.decryptSync(first))).toBeInstanceOf(NoiseDecryptError);
      expect(server.receiveCounter).toBe(0);
      expect(server.decryptSync(first)).toEqual(Uint8Array.of(1));
      expect(server.decryptSync(second)).toEqual(Uint8Array.of(2));
    });

    it('stops at 2^32 messages per direction and refuses an oversized frame without spending a counter', () => {
      const sender = new CipherState(KEY_A, { crypto, nonceLimit: WA_NONCE_LIMIT });
      const receiver = new CipherState(KEY_A, { crypto, nonceLimit: WA_NONCE_LIMIT });
      sender.setNonce(WA_NONCE_LIMIT - 1);
      receiver.setNonce(WA_NONCE_LIMIT - 1);
      const transport = new NoiseTransport(sender, receiver);
      expect(() => transport.encryptFrameSync(new Uint8Array(FRAME_MAX_SIZE - 16))).toThrow(
        FrameTooLargeError,
      );
      const last = transport.encryptFrameSync(Uint8Array.of(9));
      expect(() => transport.encryptFrameSync(Uint8Array.of(9))).toThrow(NonceExhaustedError);
      expect(() => transport.encryptSync(Uint8Array.of(9))).toThrow(NonceExhaustedError);
      expect(transport.decryptSync(last.subarray(3))).toEqual(Uint8Array.of(9));
      expect(() => transport.decryptSync(last.subarray(3))).toThrow(NonceExhaustedError);
    });
  },
);

describe.each(
  [withoutSyncKeys(nodeCrypto), withoutPreparedKeys(nodeCrypto)].map(
    (crypto) => [crypto.name, crypto] as const,
  ),
)('NoiseTransport synchronous methods without synchronous AES-GCM (%s)', (_, crypto) => {
  it('reports supportsSync false and refuses them without spending a counter', async () => {
    const { client, server } = pairOn(crypto);
    expect(client.supportsSync).toBe(false);
    expect(() => client.encryptFrameSync(Uint8Array.of(1))).toThrow(SyncCipherUnavailableError);
    expect(() => client.encryptSync(Uint8Array.of(1))).toThrow(SyncCipherUnavailableError);
    expect(() => server.decryptSync(new Uint8Array(17))).toThrow(SyncCipherUnavailableError);
    expect([client.sendCounter, server.receiveCounter]).toEqual([0, 0]);
    const frame = await client.encryptFrame(Uint8Array.of(1));
    expect(await server.decrypt(frame.subarray(3))).toEqual(Uint8Array.of(1));
  });

  it('reports supportsSync false when only one direction lacks it', () => {
    const mixed = new NoiseTransport(
      new CipherState(KEY_A, { crypto: nodeCrypto }),
      new CipherState(KEY_B, { crypto }),
    );
    expect(mixed.supportsSync).toBe(false);
  });
});
