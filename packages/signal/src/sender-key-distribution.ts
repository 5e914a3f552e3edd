/**
 * Creating our sender key for a group and taking in other senders' keys, as pure functions on
 * records (`GroupSessionBuilder` wraps them with a store). The rules are libsignal's
 * (`create_sender_key_distribution_message` / `process_sender_key_distribution_message` in
 * whatsapp-rust `wacore/libsignal/src/protocol/group_cipher.rs`).
 */
import { nobleCrypto } from '@wakit/crypto';
import { copyBytes } from './_bytes';
import type { SenderKeyOptions } from './sender-key-cipher';
import {
  decodeSenderKeyDistributionMessage,
  encodeSenderKeyDistributionMessage,
  SENDER_CHAIN_KEY_LENGTH,
  type SenderKeyDistributionMessage,
} from './sender-key-distribution-message';
import {
  addSenderKeyState,
  emptySenderKeyRecord,
  type SenderKeyRecord,
  type SenderKeyState,
} from './sender-key-record';

/** Options of `createSenderKeyDistributionMessage`. */
export interface CreateSenderKeyOptions extends SenderKeyOptions {
  /**
   * Start a new sender key even when one exists (a fresh key id, chain and signing key), as WhatsApp
   * does after a participant leaves the group so that they cannot read what follows. Older states
   * stay in the record, behind the new one.
   */
  rotate?: boolean;
}

/** What `createSenderKeyDistributionMessage` returns. */
export interface CreateSenderKeyResult {
  /** The record holding the sender key; the input itself when nothing was created. */
  readonly record: SenderKeyRecord;
  /** True when a new state was created (so the record must be stored). */
  readonly created: boolean;
  /** The SKDM to send, pairwise, to every device that lacks our key. */
  readonly message: SenderKeyDistributionMessage;
}

function distributionOf(state: SenderKeyState): SenderKeyDistributionMessage {
  const fields = {
    keyId: state.keyId,
    iteration: state.iteration,
    chainKey: state.chainKey,
    signingKey: state.signingKey,
  };
  return { ...fields, serialized: encodeSenderKeyDistributionMessage(fields) };
}

/**
 * The SKDM of our sender key in `record`, creating the key first when the record has none of ours
 * (or `rotate` is set): a random key id below 2^31 (libsignal-java's ids are 31-bit), a random
 * 32-byte chain key at iteration 0 and a new signing key pair. An existing key is reused, as in
 * libsignal; its SKDM carries the chain at its current iteration, so a recipient can decrypt what is
 * sent from now on, not what was sent before.
 *
 * Our "current state" is the record's newest; a newest state without a private key (someone else's
 * key filed under our own name) does not count, and a new one is created in front of it.
 */
export async function createSenderKeyDistributionMessage(
  record: SenderKeyRecord | undefined,
  options: CreateSenderKeyOptions = {},
): Promise<CreateSenderKeyResult> {
  const crypto = options.crypto ?? nobleCrypto;
  const current = record?.states[0];
  if (record !== undefined && current?.signingPrivateKey !== undefined && options.rotate !== true) {
    return { record, created: false, message: distributionOf(current) };
  }
  const base = record ?? emptySenderKeyRecord();
  let keyId: number;
  do {
    const random = crypto.randomBytes(4);
    keyId = new DataView(random.buffer, random.byteOffset, 4).getUint32(0) >>> 1;
    // A new key must not take the id of one still in the record: it would replace that state.
  } while (base.states.some((s) => s.keyId === keyId));
  // A key meant for signing, where the provider has one (cheaper to sign with first: provider.ts).
  const signing = await (crypto.generateSigningKeyPair?.() ?? crypto.generateKeyPair());
  const state: SenderKeyState = {
    keyId,
    iteration: 0,
    chainKey: crypto.randomBytes(SENDER_CHAIN_KEY_LENGTH),
    signingKey: signing.publicKey,
    signingPrivateKey: signing.privateKey,
    skippedKeys: [],
  };
  return { record: addSenderKeyState(base, state), created: true, message: distributionOf(state) };
}

/**
 * `record` with the sender key of an SKDM (bytes, or already decoded) added as its newest state.
 * An SKDM for a key the record already has (same id and signing key) changes nothing but its place:
 * a repeated or replayed SKDM cannot rewind the chain. Five states are kept at most.
 *
 * @throws UnsupportedVersionError or InvalidMessageError when the SKDM bytes are malformed.
 */
export function processSenderKeyDistributionMessage(
  record: SenderKeyRecord | undefined,
  skdm: Uint8Array | SenderKeyDistributionMessage,
): SenderKeyRecord {
  const message = skdm instanceof Uint8Array ? decodeSenderKeyDistributionMessage(skdm) : skdm;
  if (message.chainKey.length !== SENDER_CHAIN_KEY_LENGTH || message.signingKey.length !== 32) {
    throw new RangeError('"skdm" expected a 32-byte chainKey and a raw 32-byte signingKey');
  }
  for (const [name, value] of [
    ['keyId', message.keyId],
    ['iteration', message.iteration],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`"skdm.${name}" expected a uint32, got ${value}`);
    }
  }
  const state: SenderKeyState = {
    keyId: message.keyId,
    iteration: message.iteration,
    chainKey: copyBytes(message.chainKey),
    signingKey: copyBytes(message.signingKey),
    skippedKeys: [],
  };
  return addSenderKeyState(record ?? emptySenderKeyRecord(), state);
}
