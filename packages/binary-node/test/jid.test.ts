import { isLocalProtocolError, LocalProtocolError } from '@wakit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNode } from '../src/decode';
import { encodeNode } from '../src/encode';
import { InvalidJidError } from '../src/errors';
import {
  createJid,
  DOMAIN_TYPES,
  isKnownServer,
  type Jid,
  META_AI_JID,
  OFFICIAL_BUSINESS_JID,
  PSA_JID,
  SERVER_JID,
  SERVERS,
  STATUS_BROADCAST_JID,
  serverForDomainType,
} from '../src/jid';
import { isSameUser, jidEquals, normalizeJid, toNonAd, withDevice } from '../src/jid-compare';
import { formatJid, isCanonicalJid, toAdString } from '../src/jid-format';
import { parseJid, toJid, tryParseJid } from '../src/jid-parse';
import {
  domainType,
  isBot,
  isBroadcast,
  isGroup,
  isHosted,
  isInterop,
  isLidUser,
  isMessenger,
  isNewsletter,
  isPnUser,
  isServerJid,
  isStatusBroadcast,
} from '../src/jid-predicates';

/** `[input, [user, server, device, agent, integrator], canonical string]` */
const VALID: [string, [string, string, number, number, number], string][] = [
  ['123@s.whatsapp.net', ['123', 's.whatsapp.net', 0, 0, 0], '123@s.whatsapp.net'],
  ['123:4@s.whatsapp.net', ['123', 's.whatsapp.net', 4, 0, 0], '123:4@s.whatsapp.net'],
  ['123:0@s.whatsapp.net', ['123', 's.whatsapp.net', 0, 0, 0], '123@s.whatsapp.net'],
  // AD string (phash form): agent and device always present.
  ['123.0:0@s.whatsapp.net', ['123', 's.whatsapp.net', 0, 0, 0], '123@s.whatsapp.net'],
  // An agent on an AD server is kept in the parts but never rendered (the domain byte replaces it).
  ['123_1:2@s.whatsapp.net', ['123', 's.whatsapp.net', 2, 1, 0], '123:2@s.whatsapp.net'],
  ['123.1:2@bot', ['123', 'bot', 2, 1, 0], '123.1:2@bot'],
  ['123_1:2@bot', ['123', 'bot', 2, 1, 0], '123.1:2@bot'],
  ['123.255@bot', ['123', 'bot', 0, 255, 0], '123.255@bot'],
  ['5-123:2@interop', ['123', 'interop', 2, 0, 5], '5-123:2@interop'],
  ['65535-123@interop', ['123', 'interop', 0, 0, 65535], '65535-123@interop'],
  ['5-123.3:2@interop', ['123', 'interop', 2, 3, 5], '5-123.3:2@interop'],
  ['5-12-3@interop', ['12-3', 'interop', 0, 0, 5], '5-12-3@interop'],
  ['123@interop', ['123', 'interop', 0, 0, 0], '123@interop'],
  ['1000:3@msgr', ['1000', 'msgr', 3, 0, 0], '1000:3@msgr'],
  ['1000:0@msgr', ['1000', 'msgr', 0, 0, 0], '1000@msgr'],
  ['@s.whatsapp.net', ['', 's.whatsapp.net', 0, 0, 0], '@s.whatsapp.net'],
  ['s.whatsapp.net', ['', 's.whatsapp.net', 0, 0, 0], '@s.whatsapp.net'],
  ['g.us', ['', 'g.us', 0, 0, 0], '@g.us'],
  ['@example.org', ['', 'example.org', 0, 0, 0], '@example.org'],
  ['120363025246125486@g.us', ['120363025246125486', 'g.us', 0, 0, 0], '120363025246125486@g.us'],
  ['1234567890-1605123456@g.us', ['1234567890-1605123456', 'g.us', 0, 0, 0], '1234567890-1605123456@g.us'],
  ['status@broadcast', ['status', 'broadcast', 0, 0, 0], 'status@broadcast'],
  ['16505361212@c.us', ['16505361212', 'c.us', 0, 0, 0], '16505361212@c.us'],
  ['123:65535@lid', ['123', 'lid', 65535, 0, 0], '123:65535@lid'],
  ['123:99@hosted.lid', ['123', 'hosted.lid', 99, 0, 0], '123:99@hosted.lid'],
  ['server@c.us', ['server', 'c.us', 0, 0, 0], 'server@c.us'],
  ['a.b@example.com', ['a.b', 'example.com', 0, 0, 0], 'a.b@example.com'],
  // A separator followed by anything but digits is part of the user.
  ['abc.def_1x@call', ['abc.def_1x', 'call', 0, 0, 0], 'abc.def_1x@call'],
  ['abc_@call', ['abc_', 'call', 0, 0, 0], 'abc_@call'],
];

/** `[input, fragment of the reason]` */
const INVALID: [string, string][] = [
  ['', 'not a known server'],
  ['hello', 'not a known server'],
  ['a@b@c', 'more than one "@"'],
  ['123@', 'server is empty'],
  ['123@S.WHATSAPP.NET', 'server must be lowercase'],
  ['123@s..net', 'server must be lowercase'],
  ['123@-x', 'server must be lowercase'],
  ['123@s_x', 'server must be lowercase'],
  [':1@s.whatsapp.net', 'user is empty'],
  ['.5@bot', 'user is empty'],
  ['5-@interop', 'user is empty'],
  ['123:@s.whatsapp.net', 'device must be'],
  ['123:01@s.whatsapp.net', 'device must be'],
  ['123:65536@s.whatsapp.net', 'device must be'],
  ['123:-1@s.whatsapp.net', 'device must be'],
  ['123:+1@s.whatsapp.net', 'device must be'],
  ['123:1x@s.whatsapp.net', 'device must be'],
  ['123:1:2@s.whatsapp.net', 'more than one ":"'],
  ['123.256@bot', 'agent must be'],
  ['123.01@bot', 'agent must be'],
  ['123_99999999999999999999@bot', 'agent must be'],
  ['0-123@interop', 'integrator must be'],
  ['65536-123@interop', 'integrator must be'],
  ['x-123@interop', 'integrator must be'],
  ['A.25.0@example.com', 'ends like an agent'],
  ['a_1.2@bot', 'ends like an agent'],
  ['123.4.0:0@s.whatsapp.net', 'ends like an agent'],
  ['a b@s.whatsapp.net', 'may only hold'],
  ['+123@s.whatsapp.net', 'may only hold'],
  ['ü@lid', 'may only hold'],
];

const ALL_SERVERS = Object.values(SERVERS);

/**
 * Canonical JIDs on every known server and two unknown ones. Users end in a letter or are all
 * digits, so they never end like an agent (`.5`); interop users without an integrator are
 * digits only, so they never hold the `-` that would read as one.
 */
const canonicalJid: fc.Arbitrary<Jid> = fc
  .record({
    server: fc.constantFrom(...ALL_SERVERS, 'example.com', 'x-1'),
    serverOnly: fc.boolean(),
    mixedUser: fc.stringMatching(/^[A-Za-z0-9._-]{0,12}[A-Za-z]$/),
    digitUser: fc.stringMatching(/^[0-9]{1,20}$/),
    useDigits: fc.boolean(),
    device: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })),
    agent: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xff })),
    integrator: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0xffff })),
  })
  .map((r): Jid => {
    if (r.serverOnly) return createJid('', r.server);
    const adServer = ['s.whatsapp.net', 'lid', 'hosted', 'hosted.lid'].includes(r.server);
    const integrator = r.server === 'interop' ? r.integrator : 0;
    const user = r.useDigits || (r.server === 'interop' && integrator === 0) ? r.digitUser : r.mixedUser;
    return createJid(user, r.server, { device: r.device, agent: adServer ? 0 : r.agent, integrator });
  });

/** Strings over the JID alphabet, plus some arbitrary characters, so separators collide often. */
const jidLikeString = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abc.:_-@sgu'.split('')), maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  // Near misses: a canonical JID with one separator or digit inserted somewhere.
  fc
    .tuple(canonicalJid.map(formatJid), fc.nat(), fc.constantFrom(...'.:_-@0'.split('')))
    .map(([s, at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1))),
);

describe('parseJid and formatJid', () => {
  it.each(VALID)('parses %s into its parts and formats it canonically', (input, parts, canonical) => {
    const [user, server, device, agent, integrator] = parts;
    const jid = parseJid(input);
    expect(jid).toEqual({ user, server, device, agent, integrator });
    expect(tryParseJid(input)).toEqual(jid);
    expect(formatJid(jid)).toBe(canonical);
    expect(formatJid(parseJid(canonical))).toBe(canonical);
  });

  it.each(INVALID)('rejects %j with a reason', (input, reason) => {
    expect(tryParseJid(input)).toBeUndefined();
    expect(() => parseJid(input)).toThrow(InvalidJidError);
    try {
      parseJid(input);
    } catch (error) {
      const e = error as InvalidJidError;
      expect(e.code).toBe('ERR_JID_INVALID');
      expect(e.kind).toBe('local');
      expect(e).toBeInstanceOf(LocalProtocolError);
      expect(isLocalProtocolError(e)).toBe(true);
      expect(e.input).toBe(input);
      expect(e.reason).toContain(reason);
      expect(e.message).toContain(JSON.stringify(input));
    }
  });

  it('rejects non-string input without a foreign error', () => {
    expect(tryParseJid(42 as unknown as string)).toBeUndefined();
    expect(() => parseJid(undefined as unknown as string)).toThrow(InvalidJidError);
  });

  it('cuts a huge input short in the error message', () => {
    const input = `${'1'.repeat(10_000)}@@`;
    expect(() => parseJid(input)).toThrow(/…\(10002 chars\)/);
  });

  it('round-trips every generated canonical JID through its string', () => {
    fc.assert(
      fc.property(canonicalJid, (jid) => {
        const s = formatJid(jid);
        expect(parseJid(s)).toEqual(jid);
        expect(formatJid(parseJid(s))).toBe(s);
        expect(isCanonicalJid(jid)).toBe(true);
      }),
    );
  });

  it('throws nothing but InvalidJidError from parseJid, and nothing from tryParseJid', () => {
    fc.assert(
      fc.property(jidLikeString, (s) => {
        const parsed = tryParseJid(s);
        try {
          expect(parseJid(s)).toEqual(parsed);
        } catch (error) {
          if (!(error instanceof InvalidJidError)) throw error;
          expect(parsed).toBeUndefined();
        }
        if (parsed !== undefined) {
          // Whatever parses formats to a canonical string that reads back to the same address.
          const canonical = formatJid(parsed);
          expect(jidEquals(parseJid(canonical), parsed)).toBe(true);
          expect(formatJid(parseJid(canonical))).toBe(canonical);
        }
      }),
    );
  });

  it('reads back exactly the JIDs isCanonicalJid accepts', () => {
    const anyJid = fc.record({
      user: fc.oneof(
        fc.constant(''),
        fc.string({ unit: fc.constantFrom(...'01a.-_:@ '.split('')), maxLength: 8 }),
      ),
      server: fc.constantFrom(...ALL_SERVERS, 'Bad', ''),
      device: fc.constantFrom(0, 1, 0xffff, 0x10000, -1, 1.5),
      agent: fc.constantFrom(0, 1, 0xff, 0x100),
      integrator: fc.constantFrom(0, 1, 0xffff, 0x10000),
    });
    fc.assert(
      fc.property(anyJid, (jid) => {
        const back = tryParseJid(formatJid(jid));
        const roundTrips = back !== undefined && JSON.stringify(back) === JSON.stringify(jid);
        expect(isCanonicalJid(jid)).toBe(roundTrips);
      }),
    );
  });
});

describe('JID constants', () => {
  it('formats the well-known JIDs as the references spell them', () => {
    expect(formatJid(SERVER_JID)).toBe('@s.whatsapp.net');
    expect(formatJid(STATUS_BROADCAST_JID)).toBe('status@broadcast');
    expect(formatJid(PSA_JID)).toBe('0@s.whatsapp.net');
    expect(formatJid(OFFICIAL_BUSINESS_JID)).toBe('16505361212@c.us');
    expect(formatJid(META_AI_JID)).toBe('13135550002@s.whatsapp.net');
    expect(Object.isFrozen(SERVER_JID)).toBe(true);
  });

  it('knows every server of docs/protocol.md §4.1 and no other', () => {
    const expected = ['s.whatsapp.net', 'lid', 'g.us', 'broadcast', 'newsletter', 'c.us'];
    expected.push('hosted', 'hosted.lid', 'msgr', 'interop', 'bot', 'call');
    expect([...ALL_SERVERS].sort()).toEqual(expected.sort());
    for (const server of expected) expect(isKnownServer(server)).toBe(true);
    expect(isKnownServer('example.com')).toBe(false);
    expect(isKnownServer('constructor')).toBe(false);
  });

  it('maps AD_JID domain bytes to servers and back', () => {
    for (const [server, domain] of [
      ['s.whatsapp.net', 0],
      ['lid', 1],
      ['hosted', 128],
      ['hosted.lid', 129],
    ] as const) {
      expect(serverForDomainType(domain)).toBe(server);
      expect(domainType(`1:2@${server}`)).toBe(domain);
    }
    expect(DOMAIN_TYPES.hostedLid).toBe(129);
    expect(serverForDomainType(2)).toBeUndefined();
    expect(serverForDomainType(130)).toBeUndefined();
    expect(domainType('1@g.us')).toBeUndefined();
    expect(domainType('1@c.us')).toBeUndefined();
    expect(domainType('not a jid')).toBeUndefined();
  });

  it('refuses to create a JID with a part out of range', () => {
    expect(() => createJid('1', 'lid', { device: 0x10000 })).toThrow(RangeError);
    expect(() => createJid('1', 'bot', { agent: 256 })).toThrow(/"agent" expected an integer in 0..255/);
    expect(() => createJid('1', 'interop', { integrator: -1 })).toThrow(RangeError);
    expect(() => createJid('1', 'lid', { device: 1.5 })).toThrow(RangeError);
    expect(createJid('1', 'lid')).toEqual({ user: '1', server: 'lid', device: 0, agent: 0, integrator: 0 });
  });
});

describe('toAdString', () => {
  it.each([
    ['123@s.whatsapp.net', '123.0:0@s.whatsapp.net'],
    ['123:5@lid', '123.0:5@lid'],
    ['123_7:5@s.whatsapp.net', '123.0:5@s.whatsapp.net'],
    ['123.7:5@bot', '123.7:5@bot'],
    ['5-123@interop', '5-123.0:0@interop'],
    ['@s.whatsapp.net', '@s.whatsapp.net'],
  ])('renders %s as %s', (input, expected) => {
    expect(toAdString(parseJid(input))).toBe(expected);
    expect(jidEquals(parseJid(expected), input)).toBe(true);
  });
});

describe('JID comparisons and transforms', () => {
  it('compares JIDs by the string they render', () => {
    expect(jidEquals('123:0@s.whatsapp.net', '123@s.whatsapp.net')).toBe(true);
    expect(jidEquals('123_4:1@s.whatsapp.net', '123:1@s.whatsapp.net')).toBe(true);
    expect(jidEquals('123.4:1@bot', '123:1@bot')).toBe(false);
    expect(jidEquals('123:1@s.whatsapp.net', '123:2@s.whatsapp.net')).toBe(false);
    expect(jidEquals('123@s.whatsapp.net', '123@c.us')).toBe(false);
    expect(jidEquals('5-1@interop', '6-1@interop')).toBe(false);
    expect(jidEquals({ ...SERVER_JID, device: 3 }, '@s.whatsapp.net')).toBe(true);
    expect(jidEquals('s.whatsapp.net', SERVER_JID)).toBe(true);
    expect(jidEquals('not a jid', 'not a jid')).toBe(false);
  });

  it('treats devices, agents and the c.us spelling as the same user', () => {
    expect(isSameUser('123:5@s.whatsapp.net', '123@c.us')).toBe(true);
    expect(isSameUser(parseJid('123.3:1@bot'), '123@bot')).toBe(true);
    expect(isSameUser('123@s.whatsapp.net', '123@lid')).toBe(false);
    expect(isSameUser('123@s.whatsapp.net', '124@s.whatsapp.net')).toBe(false);
    expect(isSameUser('5-1:2@interop', '6-1:2@interop')).toBe(false);
    expect(isSameUser('bad jid', '123@lid')).toBe(false);
  });

  it('normalizes legacy servers and unrendered parts, keeping the device', () => {
    expect(normalizeJid('123.0:0@c.us')).toBe('123@s.whatsapp.net');
    expect(normalizeJid('123:4@c.us')).toBe('123:4@s.whatsapp.net');
    expect(normalizeJid(parseJid('123_9:4@lid'))).toEqual(createJid('123', 'lid', { device: 4 }));
    expect(normalizeJid(createJid('123', 'bot', { agent: 2 }))).toEqual(
      createJid('123', 'bot', { agent: 2 }),
    );
    expect(normalizeJid({ user: '1', server: 'g.us', device: 0, agent: 0, integrator: 7 }).integrator).toBe(
      0,
    );
    expect(normalizeJid({ ...SERVER_JID, device: 5 })).toEqual(SERVER_JID);
  });

  it('strips device and agent with toNonAd, keeping the integrator', () => {
    expect(toNonAd('123:7@lid')).toBe('123@lid');
    expect(toNonAd('5-123.2:7@interop')).toBe('5-123@interop');
    expect(toNonAd(parseJid('123.2:7@bot'))).toEqual(createJid('123', 'bot'));
    expect(() => toNonAd('not a jid')).toThrow(InvalidJidError);
  });

  it('readdresses a JID to another device', () => {
    expect(withDevice('123@s.whatsapp.net', 3)).toBe('123:3@s.whatsapp.net');
    expect(withDevice('123:3@s.whatsapp.net', 0)).toBe('123@s.whatsapp.net');
    expect(withDevice(createJid('1', 'msgr'), 9)).toEqual(createJid('1', 'msgr', { device: 9 }));
    expect(() => withDevice('123@lid', 0x10000)).toThrow(RangeError);
    expect(() => withDevice('@s.whatsapp.net', 1)).toThrow(TypeError);
  });

  it('parses strings and passes JIDs through with toJid', () => {
    const jid = createJid('1', 'lid');
    expect(toJid(jid)).toBe(jid);
    expect(toJid('1@lid')).toEqual(jid);
    expect(() => toJid('1@')).toThrow(InvalidJidError);
  });
});

describe('JID predicates', () => {
  /** `[predicate, JIDs it accepts, JIDs it rejects]` */
  const TABLE: [string, (jid: Jid | string) => boolean, string[], string[]][] = [
    [
      'isPnUser',
      isPnUser,
      ['1@s.whatsapp.net', '1:2@s.whatsapp.net'],
      ['@s.whatsapp.net', '1@c.us', '1@lid'],
    ],
    ['isLidUser', isLidUser, ['1@lid', '1:3@lid'], ['@lid', '1@hosted.lid', '1@s.whatsapp.net']],
    ['isGroup', isGroup, ['1-2@g.us', '120363@g.us'], ['@g.us', '1@s.whatsapp.net']],
    ['isBroadcast', isBroadcast, ['status@broadcast', '1605@broadcast'], ['@broadcast', '1@g.us']],
    ['isStatusBroadcast', isStatusBroadcast, ['status@broadcast'], ['1605@broadcast', 'status@g.us']],
    ['isNewsletter', isNewsletter, ['1@newsletter'], ['@newsletter', '1@g.us']],
    ['isHosted', isHosted, ['1:99@s.whatsapp.net', '1:99@lid', '1@hosted', '1:2@hosted.lid'], ['1:9@lid']],
    ['isInterop', isInterop, ['5-1@interop', '1@interop'], ['@interop', '1@msgr']],
    ['isMessenger', isMessenger, ['1:2@msgr', '1@msgr'], ['@msgr', '1@interop']],
    ['isServerJid', isServerJid, ['@s.whatsapp.net', 's.whatsapp.net', '@g.us'], ['1@s.whatsapp.net', 'x']],
    [
      'isBot',
      isBot,
      ['13135550002@s.whatsapp.net', '13165550012@c.us', '13165550042@s.whatsapp.net', '867051314767696@bot'],
      ['13135550002:1@s.whatsapp.net', '131355500021@s.whatsapp.net', '13135550002@lid', '1@s.whatsapp.net'],
    ],
  ];

  it.each(TABLE)('%s accepts and rejects the right JIDs', (_name, predicate, yes, no) => {
    for (const s of yes) {
      expect(predicate(s), s).toBe(true);
      expect(predicate(parseJid(s)), s).toBe(true);
    }
    for (const s of no) expect(predicate(s), s).toBe(false);
    expect(predicate('not a jid')).toBe(false);
  });
});

describe('canonical JIDs on the wire', () => {
  const hex = (h: string) => Uint8Array.from(h.split(' '), (b) => Number.parseInt(b, 16));

  it('writes the server JID as JID_PAIR(LIST_EMPTY, s.whatsapp.net), as WhatsApp does', () => {
    const bytes = encodeNode({ tag: 'iq', attrs: { to: formatJid(SERVER_JID) } });
    expect([...bytes.slice(-3)]).toEqual([0xfa, 0x00, 0x03]);
  });

  it.each([
    // docs/protocol.md §3.1 vectors: an AD_JID, a server-only JID_PAIR and a LID JID_PAIR.
    ['00 f8 05 07 08 fb 03 3e b0 ab 11 f7 00 05 ff 02 12 34', '1234:5@s.whatsapp.net'],
    ['00 f8 09 19 08 55 04 29 16 57 11 fa 00 03', '@s.whatsapp.net'],
    ['00 f8 07 1b 15 13 08 fc 01 78 11 fa ec 33 76', '100@lid'],
  ])('reads the decoder rendering of %s as the canonical %s', (bytes, to) => {
    const rendered = decodeNode(hex(bytes)).attrs.to!;
    expect(rendered).toBe(to);
    expect(formatJid(parseJid(rendered))).toBe(rendered);
  });
});
