/**
 * `npm run bench -w @wakit/crypto` (run `npx tsup` first, or `npm run bench` at the root, which
 * builds): each primitive on nobleCrypto, nodeCrypto, nodeCrypto without key caches, and raw
 * node:crypto, in one run. Raw node:crypto is the baseline, the physical floor on this machine:
 * keys already imported as KeyObjects, outputs left as the Buffers OpenSSL returns (no
 * concatenation, no argument checks, no promise).
 *
 * The AES-GCM groups add each provider's prepared key (`aesGcmKey`, what the Noise transport uses),
 * through its promise and its synchronous method (`encryptSync`/`decryptSync`, no promise, as the raw
 * rows), and raw node:crypto from the key bytes, the form the providers hand to OpenSSL.
 * XEdDSA has no node:crypto counterpart; its floor row is OpenSSL's Ed25519 on the same curve.
 * The HMAC, HKDF and SHA-256 groups add a `sync` row: the package's synchronous `hmacSha256`/
 * `HmacSha256Key`/`hkdfSha256`/`sha256` (its own SHA-256), on Signal's and message ids' shapes.
 * The randomBytes group has the providers' pooled draws against one CSPRNG call per draw.
 * Provider calls return promises; the harness awaits them, so each row pays the microtask a caller
 * pays, while the raw rows (synchronous) pay none.
 */

// The built packages (dist/), as users get them.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { HmacSha256Key, hkdfSha256, hmacSha256, nobleCrypto, sha256 } from '@wakit/crypto';
import { createNodeCrypto, nodeCrypto } from '@wakit/crypto/node';
import { type BenchCase, benchGroup, type CaseResult, recordResults } from '../../../bench.shared';
import { benchSyncKdf } from './sync-kdf';

const uncached = createNodeCrypto({ keyCacheSize: 0 });
const providers = [
  ['noble', nobleCrypto],
  ['node', nodeCrypto],
  ['node, no key cache', uncached],
] as const;
const RAW = 'raw node:crypto';
const SYNC = 'sync (@wakit/crypto, own SHA-256)';

const key = randomBytes(32);
const iv = randomBytes(12);
const keyObject = createSecretKey(key);
const groups: Record<string, CaseResult[]> = {};

/** The provider rows plus the raw row, after checking that every row computes the same bytes. */
async function group(
  title: string,
  call: (crypto: typeof nobleCrypto) => Promise<Uint8Array | boolean>,
  raw: () => unknown,
  options: {
    bytes?: number;
    rows?: readonly (typeof providers)[number][];
    rawName?: string;
    /** The synchronous HMAC/HKDF computing the same bytes, as one more row. */
    sync?: () => Uint8Array;
    /** More rows, each checked against the first provider's result when it returns bytes. */
    more?: readonly BenchCase[];
  } = {},
): Promise<void> {
  const rows = options.rows ?? providers;
  const first = await call(rows[0][1]);
  if (options.sync && Buffer.compare(first as Uint8Array, options.sync()) !== 0) {
    throw new Error(`${title}: the sync row disagrees with ${rows[0][0]}`);
  }
  for (const [name, crypto] of rows) {
    const again = await call(crypto);
    if (typeof first !== 'boolean' && Buffer.compare(first as Uint8Array, again as Uint8Array) !== 0) {
      throw new Error(`${title}: ${name} disagrees with ${rows[0][0]}; the comparison would be meaningless`);
    }
    if (typeof first === 'boolean' && first !== again) throw new Error(`${title}: ${name} disagrees`);
  }
  for (const row of options.more ?? []) {
    const result = await row.fn();
    if (result instanceof Uint8Array && Buffer.compare(first as Uint8Array, result) !== 0) {
      throw new Error(`${title}: ${row.name} disagrees with ${rows[0][0]}`);
    }
  }
  const rawName = options.rawName ?? RAW;
  const cases: BenchCase[] = [
    { name: rawName, fn: raw, ...(options.bytes ? { bytes: options.bytes } : {}) },
    ...rows.map(([name, crypto]) => ({
      name,
      fn: () => call(crypto),
      ...(options.bytes ? { bytes: options.bytes } : {}),
    })),
    ...(options.sync
      ? [{ name: SYNC, fn: options.sync, ...(options.bytes ? { bytes: options.bytes } : {}) }]
      : []),
    ...(options.more ?? []).map((row) => ({ ...row, ...(options.bytes ? { bytes: options.bytes } : {}) })),
  ];
  groups[title] = await benchGroup(title, cases, rawName);
}

// AES rows beyond the providers': each provider's prepared key (aesGcmKey, what the Noise transport
// uses), and raw node:crypto from the key bytes rather than a KeyObject (what the providers pass).
const preparedNode = nodeCrypto.aesGcmKey!(key);
const preparedNoble = nobleCrypto.aesGcmKey!(key);
const RAW_BYTES = 'raw node:crypto, key bytes';

for (const size of [65_536, 256]) {
  const plaintext = randomBytes(size);
  const raw = (k: typeof key | typeof keyObject) => () => {
    const cipher = createCipheriv('aes-256-gcm', k, iv);
    return [cipher.update(plaintext), cipher.final(), cipher.getAuthTag()];
  };
  await group(
    `AES-256-GCM encrypt, ${size} bytes`,
    (crypto) => crypto.aesGcmEncrypt(key, iv, plaintext),
    raw(keyObject),
    {
      bytes: size,
      more: [
        { name: RAW_BYTES, fn: raw(key) },
        { name: 'noble, prepared key', fn: () => preparedNoble.encrypt(iv, plaintext) },
        { name: 'node, prepared key', fn: () => preparedNode.encrypt(iv, plaintext) },
        { name: 'node, prepared key, sync', fn: () => preparedNode.encryptSync!(iv, plaintext) },
      ],
    },
  );
}

{
  const sealed = await nodeCrypto.aesGcmEncrypt(key, iv, randomBytes(256));
  const raw = (k: typeof key | typeof keyObject) => () => {
    const decipher = createDecipheriv('aes-256-gcm', k, iv);
    decipher.setAuthTag(sealed.subarray(256));
    return [decipher.update(sealed.subarray(0, 256)), decipher.final()];
  };
  await group(
    'AES-256-GCM decrypt, 256 bytes',
    (crypto) => crypto.aesGcmDecrypt(key, iv, sealed),
    raw(keyObject),
    {
      bytes: 256,
      more: [
        { name: RAW_BYTES, fn: raw(key) },
        { name: 'noble, prepared key', fn: () => preparedNoble.decrypt(iv, sealed) },
        { name: 'node, prepared key', fn: () => preparedNode.decrypt(iv, sealed) },
        { name: 'node, prepared key, sync', fn: () => preparedNode.decryptSync!(iv, sealed) },
      ],
    },
  );
}

{
  const ours = await nobleCrypto.generateKeyPair();
  const peer = await nobleCrypto.generateKeyPair();
  const jwk = (d: Uint8Array, x: Uint8Array) => ({
    kty: 'OKP',
    crv: 'X25519',
    d: Buffer.from(d).toString('base64url'),
    x: Buffer.from(x).toString('base64url'),
  });
  const privateObject = createPrivateKey({ key: jwk(ours.privateKey, ours.publicKey), format: 'jwk' });
  const { d: _d, ...publicJwk } = jwk(peer.privateKey, peer.publicKey);
  const publicObject = createPublicKey({ key: publicJwk, format: 'jwk' });
  await group(
    'X25519 agreement (same keys each call)',
    (crypto) => crypto.sharedKey(ours.privateKey, peer.publicKey),
    () => diffieHellman({ privateKey: privateObject, publicKey: publicObject }),
  );
}

{
  const ikm = randomBytes(32);
  const salt = new Uint8Array(32);
  const info = new TextEncoder().encode('WhisperMessageKeys');
  await group(
    'HKDF-SHA256, 32-byte key to 80 bytes',
    (crypto) => crypto.hkdf(ikm, 80, { salt, info }),
    () => hkdfSync('sha256', ikm, salt, info, 80),
    { sync: () => hkdfSha256(ikm, 80, { salt, info }) },
  );
}

{
  // Signal's chain step: HMAC(chainKey, 0x01) and HMAC(chainKey, 0x02); the sync row prepares the
  // key once for both, as @wakit/signal does. Outputs joined so every row is checked whole.
  const one = Uint8Array.of(1);
  const two = Uint8Array.of(2);
  const join = (a: Uint8Array, b: Uint8Array) => Buffer.concat([a, b]);
  await group(
    'HMAC-SHA256 chain step: 2 MACs of 1 byte under one key',
    async (crypto) => join(await crypto.hmac('sha256', key, one), await crypto.hmac('sha256', key, two)),
    () => [createHmac('sha256', key).update(one).digest(), createHmac('sha256', key).update(two).digest()],
    {
      sync: () => {
        const prepared = new HmacSha256Key(key);
        return join(prepared.mac(one), prepared.mac(two));
      },
    },
  );
}

// 110 bytes: about a Signal message MAC's input (two 33-byte identities, version, short body).
for (const size of [110, 256]) {
  const data = randomBytes(size);
  await group(
    `HMAC-SHA256, ${size} bytes`,
    (crypto) => crypto.hmac('sha256', key, data),
    () => createHmac('sha256', key).update(data).digest(),
    { bytes: size, sync: () => hmacSha256(key, data) },
  );
}

{
  // Signatures run the shared portable XEdDSA in both providers; the uncached row adds nothing.
  const signers = providers.slice(0, 2);
  const { privateKey, publicKey } = await nobleCrypto.generateKeyPair();
  const message = randomBytes(33); // a signed prekey: 0x05 || public key
  const random = randomBytes(64);
  const signature = await nobleCrypto.sign(privateKey, message, random);
  const ed = generateKeyPairSync('ed25519');
  const edSignature = nodeSign(null, message, ed.privateKey);
  const rawName = 'raw node:crypto Ed25519 (floor)';
  await group(
    'XEdDSA sign',
    (crypto) => crypto.sign(privateKey, message, random),
    () => nodeSign(null, message, ed.privateKey),
    {
      rows: signers,
      rawName,
    },
  );
  await group(
    'XEdDSA verify',
    (crypto) => crypto.verify(publicKey, message, signature),
    () => nodeVerify(null, message, ed.publicKey, edSignature),
    { rows: signers, rawName },
  );
}

{
  // What every message send draws (its id's 16 bytes): the providers serve small draws from a pool
  // filled 4 KiB at a time; the floor is one CSPRNG call per draw. Random rows cannot be compared
  // byte for byte, so only their lengths are checked.
  const title = 'randomBytes, 16 bytes';
  const signers = providers.slice(0, 2);
  for (const [name, crypto] of signers) {
    if (crypto.randomBytes(16).length !== 16) throw new Error(`${title}: ${name} gave the wrong length`);
  }
  groups[title] = await benchGroup(
    title,
    [
      { name: RAW, fn: () => randomFillSync(new Uint8Array(16)) },
      ...signers.map(([name, crypto]) => ({ name, fn: () => crypto.randomBytes(16) })),
    ],
    RAW,
  );
}

{
  // A message id's hash input: 8 bytes of time, `<15 digits>@c.us`, 16 random bytes.
  const data = randomBytes(44);
  await group(
    'SHA-256, 44 bytes',
    (crypto) => crypto.sha256(data),
    () => createHash('sha256').update(data).digest(),
    { bytes: 44, sync: () => sha256(data) },
  );
}

await benchSyncKdf(groups);

recordResults('crypto', groups);
