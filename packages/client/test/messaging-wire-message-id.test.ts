import { createHash } from 'node:crypto';
import { generateMessageIDV2 } from 'baileys/lib/Utils/generics.js';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateMessageId, MESSAGE_ID_PREFIX } from '../src/messaging/wire/message-id';
import { withRandomBytes } from './messaging-wire-helpers';

/** The definition of docs/protocol.md §7.1, written out with node:crypto (an independent SHA-256). */
function byDefinition(userBytes: Buffer, nowMs: number, random16: Uint8Array): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(Math.floor(nowMs / 1000)));
  const digest = createHash('sha256').update(time).update(userBytes).update(random16).digest();
  return `3EB0${digest.subarray(0, 9).toString('hex').toUpperCase()}`;
}

const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

describe('generateMessageId', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is 3EB0 + the first 9 bytes of SHA-256(BE seconds ‖ user@c.us ‖ random16), in uppercase hex', () => {
    const id = generateMessageId('15551234567', 1_700_000_000_999, RANDOM);
    expect(id).toBe(byDefinition(Buffer.from('15551234567@c.us'), 1_700_000_000_000, RANDOM));
    // Pinned (checked with Python's hashlib), so a change on both sides at once still shows.
    expect(id).toBe('3EB058FF129F98896B1362');
    expect(id).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(id.startsWith(MESSAGE_ID_PREFIX)).toBe(true);
  });

  it('hashes whole seconds only, and every input changes the id', () => {
    const base = generateMessageId('1', 5_000, RANDOM);
    expect(generateMessageId('1', 5_999, RANDOM)).toBe(base);
    expect(generateMessageId('1', 6_000, RANDOM)).not.toBe(base);
    expect(generateMessageId('2', 5_000, RANDOM)).not.toBe(base);
    const other = RANDOM.slice();
    other[15] ^= 1;
    expect(generateMessageId('1', 5_000, other)).not.toBe(base);
  });

  it('leaves the user part out when there is no own user yet (whatsmeow before login)', () => {
    expect(generateMessageId('', 0, RANDOM)).toBe(byDefinition(Buffer.alloc(0), 0, RANDOM));
  });

  it('refuses random bytes of the wrong length and times before the epoch', () => {
    expect(() => generateMessageId('1', 0, new Uint8Array(15))).toThrow(RangeError);
    expect(() => generateMessageId('1', -1, RANDOM)).toThrow(RangeError);
    expect(() => generateMessageId('1', Number.NaN, RANDOM)).toThrow(RangeError);
  });

  it('matches the definition for any user, time and randomness', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,20}$/),
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (user, nowMs, random) => {
          expect(generateMessageId(user, nowMs, random)).toBe(
            byDefinition(Buffer.from(`${user}@c.us`), nowMs, random),
          );
        },
      ),
    );
  });

  it("equals Baileys' generateMessageIDV2 when user@c.us fills its 20-byte slot (15-digit users)", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9][0-9]{14}$/),
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (user, nowMs, random) => {
          vi.spyOn(Date, 'now').mockReturnValue(nowMs);
          const theirs = withRandomBytes(
            () => random,
            () => generateMessageIDV2(`${user}:3@s.whatsapp.net`),
          );
          expect(theirs).toBe(generateMessageId(user, nowMs, random));
        },
      ),
    );
  });

  it('differs from Baileys for shorter users, whose slot Baileys fills with zero bytes', () => {
    const user = '15551234567'; // 16 bytes with @c.us: Baileys hashes 4 zero bytes after it
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const theirs = withRandomBytes(
      () => RANDOM,
      () => generateMessageIDV2(`${user}@s.whatsapp.net`),
    );
    const zeroFilled = Buffer.concat([Buffer.from(`${user}@c.us`), Buffer.alloc(4)]);
    expect(theirs).toBe(byDefinition(zeroFilled, 1_700_000_000_000, RANDOM));
    expect(theirs).not.toBe(generateMessageId(user, 1_700_000_000_000, RANDOM));
  });
});
