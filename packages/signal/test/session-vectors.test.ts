/**
 * The 15 whole-session scenarios of libsignal-protocol-javascript (`test/testvectors.js`, with the
 * harness semantics of its `SessionCipherTest.js`), byte for byte, on both providers. Key
 * generation pops the vector's FIFO of private keys (see the file's `conventions`), so every
 * ciphertext we send must equal the expected bytes, including `pkmsg`s.
 *
 * END_SESSION: a send step with `endSession` closes the open session after encrypting, as the
 * upstream harness does. A receive step that expects END_SESSION only checks the flag: upstream
 * closes nothing there, and must not, since in "Shuffled End Session ... Bob II" the END_SESSION
 * of the first session arrives after the second session has become the open one, whose next
 * message is still expected to encrypt.
 */
import { describe, expect, it } from 'vitest';
import { readProto } from '../src/_protobuf';
import { ProtocolAddress } from '../src/address';
import { MemorySignalStore } from '../src/memory-store';
import { SessionBuilder } from '../src/session-builder';
import { SessionCipher } from '../src/session-cipher';
import { hex, KeyQueue, keyPairOf, loadVectors, PROVIDERS, text, unhex } from './session-helpers';

interface Step {
  direction: 'send' | 'receive';
  smsText?: string;
  endSession?: boolean;
  ourBaseKey?: string;
  ourEphemeralKey?: string;
  ourIdentityKey?: string;
  registrationId?: number;
  getKeys?: {
    identityKey: string;
    devices: {
      deviceId: number;
      registrationId: number;
      preKey?: { keyId: number; publicKey: string };
      signedPreKey: { keyId: number; publicKey: string; signature: string };
    }[];
  };
  expectedCiphertext?: string;
  libsignal_node_output_type?: 1 | 3;
  message?: string;
  type?: 1 | 3;
  newEphemeralKey?: string;
  ourPreKey?: string;
  preKeyId?: number;
  ourSignedPreKey?: string;
  signedPreKeyId?: number;
  expectedSmsText?: string;
  expectTerminateSession?: boolean;
  plaintext_padded_hex: string;
}

const vectors = loadVectors<{ scenarios: { name: string; steps: Step[] }[]; counts: { steps: number } }>(
  'signal-session-vectors-libsignal-js.json',
);

/** TextSecure padding (not WhatsApp's): the content, 0x80, then zeros. */
function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 0x80) throw new Error('bad TextSecure padding');
  return padded.subarray(0, end);
}

/** PushMessageContent: body = field 1, flags = field 4 (END_SESSION = 1). */
function content(padded: Uint8Array): { body?: string; flags?: number } {
  const fields = readProto(unpad(padded), 'PushMessageContent');
  const body = fields.get(1);
  const flags = fields.get(4);
  return {
    ...(body instanceof Uint8Array ? { body: text(body) } : {}),
    ...(typeof flags === 'number' ? { flags } : {}),
  };
}

const END_SESSION = 1;

describe('libsignal-js session vectors', () => {
  it('has the 15 scenarios and 83 steps the provenance promises', () => {
    expect(vectors.scenarios).toHaveLength(15);
    expect(vectors.scenarios.reduce((n, s) => n + s.steps.length, 0)).toBe(vectors.counts.steps);
  });

  for (const [providerName, base] of PROVIDERS) {
    for (const scenario of vectors.scenarios) {
      it(`reproduces "${scenario.name}" byte for byte (${providerName})`, async () => {
        const keys = new KeyQueue(base);
        const crypto = keys.crypto;
        const address = new ProtocolAddress('+14151231234', 1);
        let store: MemorySignalStore | undefined;
        const storeFor = async (step: Step): Promise<MemorySignalStore> => {
          if (store === undefined) {
            if (step.ourIdentityKey === undefined) throw new Error('first step names no identity');
            // Bob's registration id never reaches a byte he sends in these scenarios.
            store = new MemorySignalStore(
              await keyPairOf(step.ourIdentityKey, base),
              step.registrationId ?? 1,
            );
          }
          return store;
        };

        for (const [index, step] of scenario.steps.entries()) {
          const where = `step ${index} (${step.direction})`;
          if (step.direction === 'send') {
            if (step.ourBaseKey !== undefined) keys.push(step.ourBaseKey, step.ourEphemeralKey!);
            const s = await storeFor(step);
            if (step.getKeys !== undefined) {
              const device = step.getKeys.devices[0]!;
              await new SessionBuilder(s, address, { crypto }).processPreKeyBundle({
                registrationId: device.registrationId,
                deviceId: device.deviceId,
                identityKey: unhex(step.getKeys.identityKey),
                signedPreKey: {
                  keyId: device.signedPreKey.keyId,
                  publicKey: unhex(device.signedPreKey.publicKey),
                  signature: unhex(device.signedPreKey.signature),
                },
                preKey: device.preKey && {
                  keyId: device.preKey.keyId,
                  publicKey: unhex(device.preKey.publicKey),
                },
              });
            }
            const cipher = new SessionCipher(s, address, { crypto });
            const sent = await cipher.encrypt(unhex(step.plaintext_padded_hex));
            expect(sent.type, where).toBe(step.libsignal_node_output_type === 3 ? 'pkmsg' : 'msg');
            expect(hex(sent.ciphertext), where).toBe(step.expectedCiphertext);
            if (step.endSession) await cipher.closeOpenSession();
          } else {
            if (step.newEphemeralKey !== undefined) keys.push(step.newEphemeralKey);
            const s = await storeFor(step);
            if (step.ourSignedPreKey !== undefined) {
              s.addSignedPreKey(step.signedPreKeyId!, await keyPairOf(step.ourSignedPreKey, base));
            }
            if (step.ourPreKey !== undefined)
              s.addPreKey(step.preKeyId!, await keyPairOf(step.ourPreKey, base));
            const cipher = new SessionCipher(s, address, { crypto });
            const received =
              step.type === 3
                ? await cipher.decryptPreKeyMessage(unhex(step.message!))
                : await cipher.decryptMessage(unhex(step.message!));
            expect(hex(received.plaintext), where).toBe(step.plaintext_padded_hex);
            const decoded = content(received.plaintext);
            if (step.expectTerminateSession) expect(decoded.flags, where).toBe(END_SESSION);
            else expect(decoded.body, where).toBe(step.expectedSmsText);
          }
        }
        expect(keys.remaining, 'every queued key was used').toBe(0);
      });
    }
  }
});
