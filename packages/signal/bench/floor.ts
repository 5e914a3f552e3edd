/**
 * The floor of each workload: the cryptography a Signal implementation on Node cannot avoid, done
 * directly, with no protocol around it (no records, no store, no message encoding, no promises):
 * - OpenSSL: AES-256-CBC for every message (a fresh key each time, as message keys are); X25519
 *   key generation, public-key import and agreement where a session or a DH ratchet turn needs
 *   them; Ed25519 sign and verify for a sender-key message (XEdDSA needs one of each, plus a
 *   Montgomery to Edwards conversion and extra hashing, left out here, so the true floor is lower
 *   in rate than this row).
 * - The protocol's key derivations and MACs (chain steps, HKDF of message keys and root keys, the
 *   8-byte message MAC), with @wakit/crypto's synchronous HMAC and HKDF: for these one- to
 *   five-block inputs the fastest HMAC-SHA256 we found on Node. Measured here (2026-11-22, same
 *   process, a fresh key each MAC): ours ~2.5 us for a 1-byte message and ~4.5 us for 284 bytes;
 *   node:crypto `createHmac` ~6 us (its per-call overhead outweighs the hashing; this CPU has no
 *   SHA extensions); hash-wasm 4.x's wasm HMAC ~4.5-5 us for either, even with its key prepared.
 * Long-lived keys (identities, a signed prekey, the sender's signing key) are imported once, as a
 * provider's key cache would; keys that are new each time are imported each time. No code built on
 * these primitives can beat this row, so a target above its rate is out of reach whatever the code.
 */
import { Buffer } from 'node:buffer';
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject,
  randomFillSync,
  sign,
  verify,
} from 'node:crypto';
import { HmacSha256Key, hkdfSha256 } from '@wakit/crypto';
import { HELLO, type Implementation } from './peers';

const PLACEHOLDER_X = Buffer.alloc(32).toString('base64url');

/** An X25519 key pair as a fresh key arrives: private key imported, public key raw. */
interface X25519Pair {
  privateKey: KeyObject;
  publicKey: Buffer;
}

/** X25519 key generation the way a provider with raw-key storage does it: import d, export x. */
function generateX25519(): X25519Pair {
  const d = randomFillSync(Buffer.alloc(32)).toString('base64url');
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d, x: PLACEHOLDER_X },
    format: 'jwk',
  });
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: Buffer.from(x!, 'base64url') };
}

function importX25519Public(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * An Ed25519 key pair from a random seed (JWK import, as @wakit/crypto's node provider does; not
 * `generateKeyPairSync`, whose keygen jobs can hang a later key export on Node 20, see
 * `@wakit/crypto` node/xeddsa-sign.ts).
 */
function generateEd25519(): { privateKey: KeyObject; publicKey: KeyObject } {
  const d = randomFillSync(Buffer.alloc(32)).toString('base64url');
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d, x: PLACEHOLDER_X },
    format: 'jwk',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const agree = (privateKey: KeyObject, publicKey: KeyObject) => diffieHellman({ privateKey, publicKey });

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const WHISPER_MESSAGE_KEYS = ascii('WhisperMessageKeys');
const WHISPER_RATCHET = ascii('WhisperRatchet');
const WHISPER_TEXT = ascii('WhisperText');
const WHISPER_GROUP = ascii('WhisperGroup');
const MESSAGE_KEY_SEED = Uint8Array.of(1);
const CHAIN_KEY_SEED = Uint8Array.of(2);
/** Two 33-byte identity keys and the 42 bytes a `msg` has around its ciphertext: what the MAC covers. */
const IDENTITY_A = new Uint8Array(33).fill(5);
const IDENTITY_B = new Uint8Array(33).fill(6);
const HEADER = new Uint8Array(42).fill(7);

/** A chain key step (two HMACs under one key): the next chain key and a message key seed. */
function stepChain(chainKey: Uint8Array) {
  const key = new HmacSha256Key(chainKey);
  return { seed: key.mac(MESSAGE_KEY_SEED), next: key.mac(CHAIN_KEY_SEED) };
}

function aesEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

function aesDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}

/** The 8-byte MAC of a `msg` (sender identity, receiver identity, version and body). */
function messageMac(macKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return new HmacSha256Key(macKey).macParts([IDENTITY_A, IDENTITY_B, HEADER, ciphertext]).subarray(0, 8);
}

/**
 * The crypto of one `msg` on a chain both sides hold: the sender steps its chain, derives the message
 * keys, encrypts and MACs; the receiver steps its copy, derives the same keys, checks the MAC and
 * decrypts.
 */
function chainMessage() {
  let senderChain: Uint8Array = randomFillSync(new Uint8Array(32));
  let receiverChain: Uint8Array = senderChain.slice();
  return (plaintext: Uint8Array): Uint8Array => {
    const sent = stepChain(senderChain);
    senderChain = sent.next;
    const keys = hkdfSha256(sent.seed, 80, { info: WHISPER_MESSAGE_KEYS });
    const ciphertext = aesEncrypt(keys.subarray(0, 32), keys.subarray(64, 80), plaintext);
    const mac = messageMac(keys.subarray(32, 64), ciphertext);

    const received = stepChain(receiverChain);
    receiverChain = received.next;
    const theirs = hkdfSha256(received.seed, 80, { info: WHISPER_MESSAGE_KEYS });
    if (Buffer.compare(messageMac(theirs.subarray(32, 64), ciphertext), mac) !== 0)
      throw new Error('bad MAC');
    return aesDecrypt(theirs.subarray(0, 32), theirs.subarray(64, 80), ciphertext);
  };
}

/** A DH ratchet root step: HKDF of the agreement under the root key. */
function rootStep(rootKey: Uint8Array, shared: Uint8Array): Uint8Array {
  return hkdfSha256(shared, 64, { salt: rootKey, info: WHISPER_RATCHET }).subarray(0, 32);
}

export const nodeCryptoFloor: Implementation = {
  name: 'floor: the crypto alone (OpenSSL, JS HMAC/HKDF)',
  async conversation() {
    const message = chainMessage();
    // Each side's current ratchet key pair; a DH turn replaces the receiver's.
    const ratchet = { alice: generateX25519(), bob: generateX25519() };
    let rootKey: Uint8Array = randomFillSync(new Uint8Array(32));
    let last: 'alice' | 'bob' = 'bob';
    return {
      async send(from, plaintext) {
        if (from !== last) {
          // A new ratchet key from `from`: the receiver imports it, agrees with its current key,
          // generates its next pair and agrees again, a root step each (Double Ratchet §3.5).
          // (The sender's half happened when it generated that key; counted on its receiving turn.)
          const to = from === 'alice' ? 'bob' : 'alice';
          const theirs = importX25519Public(ratchet[from].publicKey);
          rootKey = rootStep(rootKey, agree(ratchet[to].privateKey, theirs));
          ratchet[to] = generateX25519();
          rootKey = rootStep(rootKey, agree(ratchet[to].privateKey, theirs));
          last = from;
        }
        return message(plaintext);
      },
    };
  },
  async sessionSetup() {
    const bobIdentity = generateX25519();
    const bobSignedPreKey = generateX25519();
    const bobIdentityPublic = importX25519Public(bobIdentity.publicKey);
    const bobSignedPreKeyPublic = importX25519Public(bobSignedPreKey.publicKey);
    const signer = generateEd25519();
    const signature = sign(null, bobSignedPreKey.publicKey, signer.privateKey);
    const alices = Array.from({ length: 8 }, () => generateX25519());
    const aliceIdentityPublics = alices.map((alice) => importX25519Public(alice.publicKey));
    const x3dh = (agreements: Buffer[]) =>
      hkdfSha256(Buffer.concat([Buffer.alloc(32, 0xff), ...agreements]), 64, { info: WHISPER_TEXT });
    let n = 0;
    return async () => {
      const alice = alices[n % alices.length]!;
      const aliceIdentityPublic = aliceIdentityPublics[n++ % alices.length]!;
      // Alice: check the signed prekey, X3DH with a fresh base key, her first ratchet key.
      if (!verify(null, bobSignedPreKey.publicKey, signer.publicKey, signature))
        throw new Error('bad signature');
      const base = generateX25519();
      const aliceSecret = x3dh([
        agree(alice.privateKey, bobSignedPreKeyPublic),
        agree(base.privateKey, bobIdentityPublic),
        agree(base.privateKey, bobSignedPreKeyPublic),
      ]);
      const aliceRatchet = generateX25519();
      rootStep(aliceSecret.subarray(0, 32), agree(aliceRatchet.privateKey, bobSignedPreKeyPublic));
      // Bob: the same X3DH from his side, then a DH ratchet turn on her ratchet key.
      const baseAtBob = importX25519Public(base.publicKey);
      const ratchetAtBob = importX25519Public(aliceRatchet.publicKey);
      const bobSecret = x3dh([
        agree(bobSignedPreKey.privateKey, aliceIdentityPublic),
        agree(bobIdentity.privateKey, baseAtBob),
        agree(bobSignedPreKey.privateKey, baseAtBob),
      ]);
      const root = rootStep(bobSecret.subarray(0, 32), agree(bobSignedPreKey.privateKey, ratchetAtBob));
      rootStep(root, agree(generateX25519().privateKey, ratchetAtBob));
      // The first message, on the chain both now hold.
      return chainMessage()(HELLO);
    };
  },
  async group() {
    const signer = generateEd25519();
    let senderChain: Uint8Array = randomFillSync(new Uint8Array(32));
    let receiverChain: Uint8Array = senderChain.slice();
    return {
      async send(plaintext) {
        const sent = stepChain(senderChain);
        senderChain = sent.next;
        const keys = hkdfSha256(sent.seed, 48, { info: WHISPER_GROUP });
        const ciphertext = aesEncrypt(keys.subarray(16, 48), keys.subarray(0, 16), plaintext);
        const signature = sign(null, ciphertext, signer.privateKey);

        if (!verify(null, ciphertext, signer.publicKey, signature)) throw new Error('bad signature');
        const received = stepChain(receiverChain);
        receiverChain = received.next;
        const theirs = hkdfSha256(received.seed, 48, { info: WHISPER_GROUP });
        return aesDecrypt(theirs.subarray(16, 48), theirs.subarray(0, 16), ciphertext);
      },
    };
  },
};
