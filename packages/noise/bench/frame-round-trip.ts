/**
 * One transport frame through both directions, as a connection does for every stanza: the sender's
 * `encryptFrame` (AES-256-GCM, 3-byte length in front), then the receiver's `decrypt` of that
 * frame's payload, each side's counter advancing. Part of `npm run bench -w @wakit/noise`.
 *
 * The baseline is raw node:crypto doing the same work with nothing around it, the physical floor:
 * `createCipheriv` with the raw key, one reused IV buffer (8 zero bytes || BE counter), the frame
 * built with one copy; then `createDecipheriv`, `setAuthTag`, `update`, `final`. 120 bytes is
 * about a short text message's node, 1 KiB a larger stanza (a pkmsg with its device identity).
 * Each provider runs twice: through the promises (`encryptFrame`, `decrypt`, awaited by the harness)
 * and through the synchronous methods (`encryptFrameSync`, `decryptSync`), which a connection's frame
 * loop uses when the transport `supportsSync`; those rows pay no promise, as the raw row pays none.
 * Before timing, every row is checked to produce the raw row's frames and to decrypt them back.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { CipherState, NoiseTransport, WA_NONCE_LIMIT } from '@wakit/noise';
import { benchGroup, type CaseResult } from '../../../bench.shared';

const RAW = 'raw node:crypto';
const TAG = 16;
const HEADER = 3;

/** A sender and a receiver over one key, as raw node:crypto would write them. */
function rawPair(key: Uint8Array) {
  const sendIv = Buffer.alloc(12);
  const receiveIv = Buffer.alloc(12);
  let sent = 0;
  let received = 0;
  const encryptFrame = (plaintext: Uint8Array): Buffer => {
    sendIv.writeUInt32BE(sent++, 8);
    const cipher = createCipheriv('aes-256-gcm', key, sendIv);
    const body = cipher.update(plaintext);
    cipher.final();
    const frame = Buffer.allocUnsafe(HEADER + body.length + TAG);
    frame.writeUIntBE(body.length + TAG, 0, HEADER);
    body.copy(frame, HEADER);
    cipher.getAuthTag().copy(frame, HEADER + body.length);
    return frame;
  };
  const decrypt = (payload: Uint8Array): Buffer => {
    receiveIv.writeUInt32BE(received++, 8);
    const decipher = createDecipheriv('aes-256-gcm', key, receiveIv);
    decipher.setAuthTag(payload.subarray(payload.length - TAG));
    const plaintext = decipher.update(payload.subarray(0, payload.length - TAG));
    decipher.final();
    return plaintext;
  };
  return { encryptFrame, decrypt };
}

/** Two transports whose send and receive keys are the same, so one's frames decrypt on the other. */
function wakitPair(key: Uint8Array, crypto: CryptoProvider) {
  const cipher = () => new CipherState(key, { crypto, nonceLimit: WA_NONCE_LIMIT });
  return { sender: new NoiseTransport(cipher(), cipher()), receiver: new NoiseTransport(cipher(), cipher()) };
}

/** Refuses to time rows that do not compute what the raw row computes. */
async function checkSameWork(key: Uint8Array, plaintext: Uint8Array): Promise<void> {
  const raw = rawPair(key);
  const expected = [raw.encryptFrame(plaintext), raw.encryptFrame(plaintext)];
  for (const crypto of [nodeCrypto, nobleCrypto]) {
    const { sender, receiver } = wakitPair(key, crypto);
    if (!sender.supportsSync) throw new Error(`${crypto.name}: no synchronous transport`);
    const syncPair = wakitPair(key, crypto);
    for (const frame of expected) {
      const ours = await sender.encryptFrame(plaintext);
      const oursSync = syncPair.sender.encryptFrameSync(plaintext);
      for (const made of [ours, oursSync]) {
        if (Buffer.compare(made, frame) !== 0) throw new Error(`${crypto.name}: frame differs from raw`);
      }
      const opened = await receiver.decrypt(ours.subarray(HEADER));
      const openedSync = syncPair.receiver.decryptSync(oursSync.subarray(HEADER));
      for (const got of [opened, openedSync]) {
        if (Buffer.compare(got, plaintext) !== 0) throw new Error(`${crypto.name}: round trip differs`);
      }
    }
  }
}

/** Times the round trip at 120 B and 1 KiB; adds one group per size to `groups`. */
export async function benchFrameRoundTrip(groups: Record<string, CaseResult[]>): Promise<void> {
  for (const size of [120, 1024]) {
    const key = randomBytes(32);
    const plaintext = randomBytes(size);
    await checkSameWork(key, plaintext);
    const raw = rawPair(key);
    const label = size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
    groups[`frame round trip ${label}`] = await benchGroup(
      `one frame encrypted and decrypted, ${label} payloads (async: encryptFrame, decrypt; sync: encryptFrameSync, decryptSync)`,
      [
        { name: RAW, fn: () => raw.decrypt(raw.encryptFrame(plaintext).subarray(HEADER)), bytes: size },
        ...[nodeCrypto, nobleCrypto].flatMap((crypto) => {
          const asyncPair = wakitPair(key, crypto);
          const syncPair = wakitPair(key, crypto);
          return [
            {
              name: `wakit (${crypto.name}), async`,
              fn: async () =>
                asyncPair.receiver.decrypt((await asyncPair.sender.encryptFrame(plaintext)).subarray(HEADER)),
              bytes: size,
            },
            {
              name: `wakit (${crypto.name}), sync`,
              fn: () =>
                syncPair.receiver.decryptSync(syncPair.sender.encryptFrameSync(plaintext).subarray(HEADER)),
              bytes: size,
            },
          ];
        }),
      ],
      RAW,
    );
  }
}
