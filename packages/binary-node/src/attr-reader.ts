/**
 * Reading a node's attributes the whatsmeow `AttrUtility` way: every getter records what is wrong
 * and hands back a placeholder, so a parser reads all its fields straight through and checks once,
 * and the error it throws lists every problem at the same time instead of the first one only.
 */
import { type AttrProblem, AttrsError, InvalidJidError } from './errors';
import type { Jid } from './jid';
import { parseJid } from './jid-parse';
import type { BinaryNode } from './node';

/** What the `jid` getter returns when the attribute is missing or invalid. */
export const EMPTY_JID: Jid = /* @__PURE__ */ Object.freeze({
  user: '',
  server: '',
  device: 0,
  agent: 0,
  integrator: 0,
});

const INTEGER = /^-?[0-9]+$/;
const UNSIGNED = /^[0-9]+$/;
/** Latest second a `Date` can hold (ECMA-262 §21.4.1.1: ±8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12;

/**
 * Starts reading `node.attrs`. Only own properties count, so `constructor` or `__proto__` are
 * ordinary (usually missing) attributes.
 *
 * @example
 * const ar = readAttrs(node);
 * const from = ar.jid('from');
 * const id = ar.string('id');
 * const t = ar.unixTime('t');
 * const participant = ar.optionalJid('participant');
 * ar.check(); // throws AttrsError listing every problem above, if any
 */
export function readAttrs(node: BinaryNode): AttrReader {
  return new AttrReader(node);
}

/** Marks a value that did not parse, with the reason. */
class Invalid {
  constructor(readonly problem: string) {}
}

/**
 * Typed getters over one node's attributes. Required getters (`string`, `int`...) record
 * `missing` when the attribute is absent; `optional*` getters return undefined then. Both record
 * a problem when the attribute is present but malformed, and return a placeholder ('' / 0 / 0n /
 * false / `new Date(0)` / `EMPTY_JID` / the first allowed value) so reading can go on.
 */
export class AttrReader {
  readonly #errors: AttrProblem[] = [];

  constructor(
    /** The node being read. */
    readonly node: BinaryNode,
  ) {}

  /** Every problem recorded so far, in the order the getters were called. */
  get errors(): readonly AttrProblem[] {
    return this.#errors;
  }

  /** True while no getter has recorded a problem. */
  get ok(): boolean {
    return this.#errors.length === 0;
  }

  /** Throws `AttrsError` (code `ERR_ATTRS`) listing every recorded problem, if there is any. */
  check(): void {
    if (this.#errors.length > 0) throw new AttrsError(this.node.tag, [...this.#errors]);
  }

  /** True when the attribute is present (as an own property with a string value). */
  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  /** A required string; the empty string counts as present. */
  string(key: string): string {
    return this.required(key, '', (raw) => raw);
  }

  /** An optional string. */
  optionalString(key: string): string | undefined {
    return this.optional(key, '', (raw) => raw);
  }

  /**
   * A required string that must be one of `allowed`.
   *
   * @example
   * const type = ar.oneOf('type', ['get', 'set', 'result', 'error'] as const); // 'get' | 'set' | ...
   */
  oneOf<const T extends string>(key: string, allowed: readonly [T, ...T[]]): T {
    return this.required(key, allowed[0], (raw) =>
      (allowed as readonly string[]).includes(raw)
        ? (raw as T)
        : new Invalid(`not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`),
    );
  }

  /** A required decimal integer (optional `-`) within the safe integer range. */
  int(key: string): number {
    return this.required(key, 0, parseSafeInteger);
  }

  /** An optional decimal integer within the safe integer range. */
  optionalInt(key: string): number | undefined {
    return this.optional(key, 0, parseSafeInteger);
  }

  /** A required decimal integer of any size (64-bit ids, counters). */
  bigint(key: string): bigint {
    return this.required(key, 0n, parseBigInt);
  }

  /** An optional decimal integer of any size. */
  optionalBigint(key: string): bigint | undefined {
    return this.optional(key, 0n, parseBigInt);
  }

  /** A required boolean: `true`/`1` or `false`/`0` (both spellings occur in stanzas). */
  bool(key: string): boolean {
    return this.required(key, false, parseBool);
  }

  /** An optional boolean (`true`/`1` or `false`/`0`). */
  optionalBool(key: string): boolean | undefined {
    return this.optional(key, false, parseBool);
  }

  /**
   * A required timestamp in unix seconds (how stanzas carry `t`), as a `Date` so seconds and
   * milliseconds cannot be mixed up downstream; `date.getTime() / 1000` gives the seconds back.
   */
  unixTime(key: string): Date {
    return this.required(key, new Date(0), parseUnixTime);
  }

  /** An optional timestamp in unix seconds, as a `Date`. */
  optionalUnixTime(key: string): Date | undefined {
    return this.optional(key, new Date(0), parseUnixTime);
  }

  /** A required JID, parsed with `parseJid`; the problem names what is wrong with it. */
  jid(key: string): Jid {
    return this.required(key, EMPTY_JID, parseJidAttr);
  }

  /** An optional JID. */
  optionalJid(key: string): Jid | undefined {
    return this.optional(key, EMPTY_JID, parseJidAttr);
  }

  private raw(key: string): string | undefined {
    const attrs = this.node.attrs;
    if (attrs === undefined || attrs === null || !Object.hasOwn(attrs, key)) return undefined;
    const value: unknown = attrs[key];
    return typeof value === 'string' ? value : undefined;
  }

  private required<T>(key: string, placeholder: T, parse: (raw: string) => T | Invalid): T {
    const raw = this.raw(key);
    if (raw === undefined) {
      this.#errors.push({ key, problem: 'missing' });
      return placeholder;
    }
    return this.parse(key, raw, placeholder, parse);
  }

  private optional<T>(key: string, placeholder: T, parse: (raw: string) => T | Invalid): T | undefined {
    const raw = this.raw(key);
    return raw === undefined ? undefined : this.parse(key, raw, placeholder, parse);
  }

  private parse<T>(key: string, raw: string, placeholder: T, parse: (raw: string) => T | Invalid): T {
    const value = parse(raw);
    if (!(value instanceof Invalid)) return value;
    this.#errors.push({ key, problem: value.problem, value: raw });
    return placeholder;
  }
}

function parseSafeInteger(raw: string): number | Invalid {
  if (!INTEGER.test(raw)) return new Invalid('not a decimal integer');
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : new Invalid('outside the safe integer range');
}

function parseBigInt(raw: string): bigint | Invalid {
  return INTEGER.test(raw) ? BigInt(raw) : new Invalid('not a decimal integer');
}

function parseBool(raw: string): boolean | Invalid {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return new Invalid('not a boolean ("true", "false", "1" or "0")');
}

function parseUnixTime(raw: string): Date | Invalid {
  if (!UNSIGNED.test(raw)) return new Invalid('not a unix time in seconds');
  const seconds = Number(raw);
  return seconds <= MAX_DATE_SECONDS ? new Date(seconds * 1000) : new Invalid('unix time out of range');
}

function parseJidAttr(raw: string): Jid | Invalid {
  try {
    return parseJid(raw);
  } catch (error) {
    if (error instanceof InvalidJidError) return new Invalid(`not a JID: ${error.reason}`);
    throw error;
  }
}
