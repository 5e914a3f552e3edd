/**
 * The synchronous HMAC-SHA256 / HKDF-SHA256 exports against @noble/hashes used at its best and raw
 * node:crypto, on the shapes the protocol computes (issue 10: a hand-written SHA-256 stays only if
 * it beats noble in the same run). Part of `npm run bench -w @wakit/crypto`.
 *
 * Rows per group, all checked to compute the same bytes first:
 * - raw node:crypto `createHmac`/`hkdfSync`: the floor and baseline;
 * - `@wakit/crypto`: the package's exports (`HmacSha256Key`, `hmacSha256`, `hkdfSha256`), built;
 * - noble `hmac()`: the one-shot function, the key padded again for every MAC;
 * - noble pre-keyed: `hmac.create(sha256, key)` once, then per MAC `_cloneInto` of those two
 *   midstates into one reused scratch instance (no allocation but the tag); for HKDF, the extract
 *   under a zero salt clones a cached zero-salt key, then noble's `expand`.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { expand, hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { type _HMAC, hmac } from '@noble/hashes/hmac.js';
import { type _SHA256, sha256 } from '@noble/hashes/sha2.js';
import { HmacSha256Key, hkdfSha256, hmacSha256 } from '@wakit/crypto';
import { type BenchCase, benchGroup, type CaseResult } from '../../../bench.shared';

type NobleHmac = _HMAC<_SHA256>;

/** `hmac.create(sha256, key)`, typed as the SHA-256 HMAC it is (noble types it `_HMAC<any>`). */
const nobleKey = (key: Uint8Array): NobleHmac => hmac.create(sha256, key) as NobleHmac;

const RAW = 'raw node:crypto (floor)';
const OURS = '@wakit/crypto';
const NOBLE = 'noble hmac()/hkdf()';
const NOBLE_KEYED = 'noble pre-keyed, _cloneInto';

/** One scratch HMAC the pre-keyed rows clone into: every call runs to its digest synchronously. */
let scratch: NobleHmac | undefined;

/** HMAC under a noble key prepared once: clone its midstates, absorb `parts`, digest. */
function nobleKeyedMac(prepared: NobleHmac, parts: readonly Uint8Array[]): Uint8Array {
  const mac = prepared._cloneInto(scratch);
  scratch = mac;
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** The zero-salt extract key, prepared once (RFC 5869 §2.2: no salt is HashLen zeros). */
const zeroSalt = nobleKey(new Uint8Array(32));

/** HKDF with the extract key cached when the salt is the default one; noble's expand after. */
function nobleKeyedHkdf(ikm: Uint8Array, length: number, info: Uint8Array, salt?: Uint8Array): Uint8Array {
  const prk = salt === undefined ? nobleKeyedMac(zeroSalt, [ikm]) : hmac(sha256, salt, ikm);
  return expand(sha256, prk, info, length);
}

function same(title: string, rows: readonly [string, () => Uint8Array][]): void {
  const expected = Buffer.from(rows[0]![1]());
  for (const [name, fn] of rows.slice(1)) {
    if (!expected.equals(fn())) throw new Error(`${title}: ${name} disagrees with ${rows[0]![0]}`);
  }
}

async function group(
  groups: Record<string, CaseResult[]>,
  title: string,
  rows: readonly [string, () => Uint8Array][],
): Promise<void> {
  same(title, rows);
  const cases: BenchCase[] = rows.map(([name, fn]) => ({ name, fn }));
  groups[title] = await benchGroup(title, cases, RAW);
}

const join = (a: Uint8Array, b: Uint8Array) => Buffer.concat([a, b]);

/**
 * Signal's chain step (KDF_CK; sender keys alike): a fresh 32-byte chain key, two MACs under it.
 * The 1-byte inputs are the real ones (0x01, 0x02); the 33-byte row is the same step over an input
 * the size of a serialized public key, to show the trend once the message is more than a byte.
 */
async function chainSteps(groups: Record<string, CaseResult[]>): Promise<void> {
  const chainKey = randomBytes(32);
  for (const size of [1, 33]) {
    const first = randomBytes(size);
    const second = randomBytes(size);
    await group(groups, `sync: chain step, 2 HMACs of ${size} byte(s) under a fresh 32-byte key`, [
      [
        RAW,
        () =>
          join(
            createHmac('sha256', chainKey).update(first).digest(),
            createHmac('sha256', chainKey).update(second).digest(),
          ),
      ],
      [
        OURS,
        () => {
          const key = new HmacSha256Key(chainKey);
          return join(key.mac(first), key.mac(second));
        },
      ],
      [NOBLE, () => join(hmac(sha256, chainKey, first), hmac(sha256, chainKey, second))],
      [
        NOBLE_KEYED,
        () => {
          const key = nobleKey(chainKey);
          return join(nobleKeyedMac(key, [first]), nobleKeyedMac(key, [second]));
        },
      ],
    ]);
    // The MACs alone, the key prepared once outside the timed call (raw node:crypto cannot
    // prepare one, so its row still keys each MAC).
    const ours = new HmacSha256Key(chainKey);
    const noble = nobleKey(chainKey);
    await group(groups, `sync: HMAC of ${size} byte(s) under a key prepared once`, [
      [RAW, () => createHmac('sha256', chainKey).update(first).digest()],
      [OURS, () => ours.mac(first)],
      [NOBLE, () => hmac(sha256, chainKey, first)],
      [NOBLE_KEYED, () => nobleKeyedMac(noble, [first])],
    ]);
  }
}

/**
 * A Signal message MAC: HMAC under a fresh MAC key over sender identity (33) || receiver identity
 * (33) || version and body, as three parts; totals of 110 (a short text) and 300 bytes.
 */
async function messageMacs(groups: Record<string, CaseResult[]>): Promise<void> {
  const macKey = randomBytes(32);
  const sender = randomBytes(33);
  const receiver = randomBytes(33);
  for (const total of [110, 300]) {
    const body = randomBytes(total - 66);
    const parts = [sender, receiver, body];
    await group(groups, `sync: message MAC, ${total} bytes in 3 parts, fresh key`, [
      [
        RAW,
        () => {
          const mac = createHmac('sha256', macKey);
          for (const part of parts) mac.update(part);
          return mac.digest();
        },
      ],
      [OURS, () => new HmacSha256Key(macKey).macParts(parts)],
      [NOBLE, () => hmac(sha256, macKey, Buffer.concat(parts))],
      [NOBLE_KEYED, () => nobleKeyedMac(nobleKey(macKey), parts)],
    ]);
  }
  // One-shot over one array, as media and app-state MACs call it.
  const data = randomBytes(200);
  await group(groups, 'sync: one-shot HMAC, 200 bytes', [
    [RAW, () => createHmac('sha256', macKey).update(data).digest()],
    [OURS, () => hmacSha256(macKey, data)],
    [NOBLE, () => hmac(sha256, macKey, data)],
    [NOBLE_KEYED, () => nobleKeyedMac(nobleKey(macKey), [data])],
  ]);
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/**
 * HKDF as Signal calls it: 32 bytes (zero salt), 64 bytes under the root key as salt (KDF_RK) and
 * 80 bytes (message keys, zero salt), each from a 32-byte input key.
 */
async function hkdfs(groups: Record<string, CaseResult[]>): Promise<void> {
  const ikm = randomBytes(32);
  const rootKey = randomBytes(32);
  const shapes: [number, Uint8Array | undefined, Uint8Array][] = [
    [32, undefined, ascii('WhisperGroup')],
    [64, rootKey, ascii('WhisperRatchet')],
    [80, undefined, ascii('WhisperMessageKeys')],
  ];
  for (const [length, salt, info] of shapes) {
    const saltText = salt ? '32-byte root key salt' : 'zero salt';
    const rawSalt = salt ?? new Uint8Array(32);
    await group(groups, `sync: HKDF to ${length} bytes, ${saltText}`, [
      [RAW, () => new Uint8Array(hkdfSync('sha256', ikm, rawSalt, info, length))],
      [OURS, () => hkdfSha256(ikm, length, salt ? { salt, info } : { info })],
      [NOBLE, () => nobleHkdf(sha256, ikm, salt, info, length)],
      [NOBLE_KEYED, () => nobleKeyedHkdf(ikm, length, info, salt)],
    ]);
  }
}

/** Runs every group above, adding its results to `groups`. */
export async function benchSyncKdf(groups: Record<string, CaseResult[]>): Promise<void> {
  await chainSteps(groups);
  await messageMacs(groups);
  await hkdfs(groups);
}
