import { isRemoteProtocolError, RemoteProtocolError } from '@wakit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AttrReader, EMPTY_JID, readAttrs } from '../src/attr-reader';
import { type AttrProblem, AttrsError } from '../src/errors';
import { createJid } from '../src/jid';
import type { BinaryNode } from '../src/node';

const node = (attrs: Record<string, string>): BinaryNode => ({ tag: 'message', attrs });

/**
 * `[getter, attribute value, expected result]` for values each getter accepts, and
 * `[getter, attribute value, fragment of the problem, placeholder]` for values it rejects.
 */
type Getter = (ar: AttrReader, key: string) => unknown;
const get = {
  string: (ar, k) => ar.string(k),
  optionalString: (ar, k) => ar.optionalString(k),
  int: (ar, k) => ar.int(k),
  optionalInt: (ar, k) => ar.optionalInt(k),
  bigint: (ar, k) => ar.bigint(k),
  optionalBigint: (ar, k) => ar.optionalBigint(k),
  bool: (ar, k) => ar.bool(k),
  optionalBool: (ar, k) => ar.optionalBool(k),
  unixTime: (ar, k) => ar.unixTime(k),
  optionalUnixTime: (ar, k) => ar.optionalUnixTime(k),
  jid: (ar, k) => ar.jid(k),
  optionalJid: (ar, k) => ar.optionalJid(k),
  oneOf: (ar, k) => ar.oneOf(k, ['get', 'set']),
} satisfies Record<string, Getter>;
type GetterName = keyof typeof get;

const ACCEPTS: [GetterName, string, unknown][] = [
  ['string', 'abc', 'abc'],
  ['string', '', ''],
  ['optionalString', 'abc', 'abc'],
  ['int', '42', 42],
  ['int', '-7', -7],
  ['int', '9007199254740991', Number.MAX_SAFE_INTEGER],
  ['optionalInt', '0', 0],
  ['bigint', '18446744073709551615', 18446744073709551615n],
  ['optionalBigint', '-1', -1n],
  ['bool', 'true', true],
  ['bool', '1', true],
  ['bool', 'false', false],
  ['optionalBool', '0', false],
  ['unixTime', '1700000000', new Date(1_700_000_000_000)],
  ['optionalUnixTime', '0', new Date(0)],
  ['jid', '123:4@s.whatsapp.net', createJid('123', 's.whatsapp.net', { device: 4 })],
  ['optionalJid', '@g.us', createJid('', 'g.us')],
  ['oneOf', 'set', 'set'],
];

const REJECTS: [GetterName, string, string, unknown][] = [
  ['int', '4.2', 'not a decimal integer', 0],
  ['int', ' 1', 'not a decimal integer', 0],
  ['int', '', 'not a decimal integer', 0],
  ['int', '9007199254740992', 'outside the safe integer range', 0],
  ['optionalInt', '0x10', 'not a decimal integer', 0],
  ['bigint', '1e3', 'not a decimal integer', 0n],
  ['optionalBigint', '+1', 'not a decimal integer', 0n],
  ['bool', 'yes', 'not a boolean', false],
  ['optionalBool', 'TRUE', 'not a boolean', false],
  ['unixTime', '-1', 'not a unix time in seconds', new Date(0)],
  ['unixTime', '99999999999999', 'unix time out of range', new Date(0)],
  ['optionalUnixTime', '1.5', 'not a unix time in seconds', new Date(0)],
  ['jid', '123@', 'not a JID: server is empty', EMPTY_JID],
  ['optionalJid', 'nope', 'not a JID', EMPTY_JID],
  ['oneOf', 'delete', 'not one of "get", "set"', 'get'],
];

const REQUIRED: GetterName[] = ['string', 'int', 'bigint', 'bool', 'unixTime', 'jid', 'oneOf'];
const OPTIONAL: GetterName[] = [
  'optionalString',
  'optionalInt',
  'optionalBigint',
  'optionalBool',
  'optionalUnixTime',
  'optionalJid',
];

describe('readAttrs', () => {
  it.each(ACCEPTS)('%s reads %j', (getter, value, expected) => {
    const ar = readAttrs(node({ k: value }));
    expect(get[getter](ar, 'k')).toEqual(expected);
    expect(ar.ok).toBe(true);
    expect(ar.errors).toEqual([]);
    expect(() => ar.check()).not.toThrow();
  });

  it.each(REJECTS)(
    '%s records a problem for %j and returns a placeholder',
    (getter, value, problem, placeholder) => {
      const ar = readAttrs(node({ k: value }));
      expect(get[getter](ar, 'k')).toEqual(placeholder);
      expect(ar.ok).toBe(false);
      expect(ar.errors).toHaveLength(1);
      expect(ar.errors[0]!.key).toBe('k');
      expect(ar.errors[0]!.value).toBe(value);
      expect(ar.errors[0]!.problem).toContain(problem);
    },
  );

  it.each(REQUIRED)('%s records "missing" for an absent attribute', (getter) => {
    const ar = readAttrs(node({}));
    get[getter](ar, 'k');
    expect(ar.errors).toEqual([{ key: 'k', problem: 'missing' }]);
  });

  it.each(OPTIONAL)('%s returns undefined for an absent attribute without a problem', (getter) => {
    const ar = readAttrs(node({ other: 'x' }));
    expect(get[getter](ar, 'k')).toBeUndefined();
    expect(ar.ok).toBe(true);
  });

  it('collects every problem and throws them together from check', () => {
    const ar = readAttrs(node({ from: 'bad@', t: 'soon', id: 'A1' }));
    expect(ar.jid('from')).toBe(EMPTY_JID);
    expect(ar.unixTime('t')).toEqual(new Date(0));
    expect(ar.string('id')).toBe('A1');
    expect(ar.int('count')).toBe(0);
    expect(ar.optionalJid('participant')).toBeUndefined();

    const expected: AttrProblem[] = [
      { key: 'from', problem: 'not a JID: server is empty', value: 'bad@' },
      { key: 't', problem: 'not a unix time in seconds', value: 'soon' },
      { key: 'count', problem: 'missing' },
    ];
    expect(ar.errors).toEqual(expected);
    let caught: unknown;
    try {
      ar.check();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AttrsError);
    expect(caught).toBeInstanceOf(RemoteProtocolError);
    const e = caught as AttrsError;
    expect(isRemoteProtocolError(e)).toBe(true);
    expect(e.code).toBe('ERR_ATTRS');
    expect(e.tag).toBe('message');
    expect(e.problems).toEqual(expected);
    expect(e.message).toBe(
      '<message> has 3 invalid attribute(s): from: not a JID: server is empty (got "bad@"); ' +
        't: not a unix time in seconds (got "soon"); count: missing',
    );
  });

  it('keeps the thrown problems when reading goes on afterwards', () => {
    const ar = readAttrs(node({}));
    ar.string('a');
    expect(() => ar.check()).toThrow(AttrsError);
    ar.string('b');
    try {
      ar.check();
    } catch (error) {
      expect((error as AttrsError).problems.map((p) => p.key)).toEqual(['a', 'b']);
    }
  });

  it('reads only own string attributes, never inherited ones like constructor', () => {
    const attrs: Record<string, string> = {};
    Object.defineProperty(attrs, '__proto__', { value: '1', enumerable: true });
    const ar = readAttrs(node(attrs));
    expect(ar.has('constructor')).toBe(false);
    expect(ar.optionalString('toString')).toBeUndefined();
    expect(ar.int('__proto__')).toBe(1);
    const loose = readAttrs({ tag: 'a', attrs: { x: undefined, y: 5 } } as unknown as BinaryNode);
    expect(loose.has('x')).toBe(false);
    expect(loose.has('y')).toBe(false);
    expect(ar.ok && loose.ok).toBe(true);
  });

  it('narrows oneOf to the allowed literals', () => {
    const type: 'get' | 'set' | 'result' = readAttrs(node({ type: 'result' })).oneOf('type', [
      'get',
      'set',
      'result',
    ]);
    expect(type).toBe('result');
  });

  it('reads back every safe integer and unix time it is given', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 8.64e12 }), (n, seconds) => {
        const ar = readAttrs(node({ n: String(n), t: String(seconds) }));
        expect(ar.int('n')).toBe(n);
        expect(ar.bigint('n')).toBe(BigInt(n));
        expect(ar.unixTime('t').getTime()).toBe(seconds * 1000);
        expect(ar.ok).toBe(true);
      }),
    );
  });

  it('records a problem rather than throwing for any attribute value', () => {
    const getters = Object.values(get) as Getter[];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (value) => {
        const ar = readAttrs(node({ k: value }));
        for (const read of getters) read(ar, 'k');
        expect(ar.errors.every((p) => p.key === 'k' && p.value === value)).toBe(true);
      }),
    );
  });
});
