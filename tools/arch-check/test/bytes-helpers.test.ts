/**
 * One name, one meaning (docs/style.md): every package keeps its own private `_bytes.ts`, so the copies
 * can drift apart. This test finds every `packages/<name>/src/**\/_bytes.ts` at run time (a new
 * copy is checked without editing this file), imports it, and checks that each export named in the
 * conventions below behaves as the convention says:
 *
 * - `equalBytes(a, b)`: plain equality; may stop at the first difference (never for secrets);
 * - `constantTimeEqual(a, b)`: the same answer, without stopping early over the contents: every
 *   index of both arrays is read wherever the first difference is (a length mismatch may return
 *   false at once, lengths are public); for MACs, tags and secrets;
 * - `concatBytes(...parts)`: variadic, the concatenation in a fresh array;
 * - `copyBytes(bytes)`: a fresh plain `Uint8Array` with the same contents and its own buffer.
 *
 * It also refuses the old aliases of these names (`sameBytes`, `timingSafeEqual`, `bytesEqual`):
 * two names for one thing is how one name came to mean two things.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ALIASES = ['sameBytes', 'timingSafeEqual', 'bytesEqual'];
/** Copies known to exist when this test was written: finding fewer means the search broke. */
const KNOWN = ['crypto', 'noise', 'server', 'signal'].map((name) => `packages/${name}/src/_bytes.ts`);

/** Every `_bytes.ts` under a package's `src/`, as repository-relative paths. */
function findByteHelpers(): string[] {
  const found: string[] = [];
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', name, 'src');
    if (!existsSync(src)) continue;
    for (const entry of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (basename(entry) === '_bytes.ts') found.push(`packages/${name}/src/${entry.split('\\').join('/')}`);
    }
  }
  return found.sort();
}

type Equality = (a: Uint8Array, b: Uint8Array) => boolean;
type Concat = (...parts: Uint8Array[]) => Uint8Array;
type Copy = (bytes: Uint8Array) => Uint8Array;

const bytes = (maxLength = 48) => fc.uint8Array({ maxLength });

function plainEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * `bytes` behind a proxy that records which indices are read. Methods run on the real array (a
 * typed-array method refuses a proxy as `this`), so only indexed reads are seen: the constant-time
 * check therefore expects an index loop, which is how every copy compares.
 */
function watched(source: Uint8Array): { view: Uint8Array; reads: Set<number> } {
  const reads = new Set<number>();
  const view = new Proxy(source, {
    get(target, property) {
      if (typeof property === 'string' && /^\d+$/.test(property)) reads.add(Number(property));
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { view, reads };
}

/** Two arrays of one length (1–64) that are equal or differ at exactly one index, anywhere. */
const equalOrOneDifference = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .chain((a) =>
    fc.record({
      a: fc.constant(a),
      at: fc.nat({ max: a.length - 1 }),
      delta: fc.integer({ min: 0, max: 255 }),
    }),
  )
  .map(({ a, at, delta }) => {
    const b = new Uint8Array(a);
    b[at]! ^= delta;
    return { a, b };
  });

/** Equal pairs, pairs differing in one byte and unrelated pairs: an equality must get all right. */
const pairs = fc.oneof(
  equalOrOneDifference,
  fc.record({ a: bytes(), b: bytes() }),
  bytes().map((a) => ({ a, b: new Uint8Array(a) })),
);

function checkEquality(name: string, equal: Equality): void {
  it(`${name} is plain equality of the contents`, () => {
    fc.assert(
      fc.property(pairs, ({ a, b }) => {
        expect(equal(a, b)).toBe(plainEqual(a, b));
        expect(equal(b, a)).toBe(plainEqual(a, b));
      }),
    );
    // Views and Buffers compare by contents, not by their backing memory.
    const backing = Uint8Array.of(9, 1, 2, 3, 9);
    expect(equal(backing.subarray(1, 4), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(equal(Buffer.from([1, 2, 3]), Uint8Array.of(1, 2, 3))).toBe(true);
  });
}

function checkConstantTime(equal: Equality): void {
  it('constantTimeEqual reads every index of both arrays, wherever they differ', () => {
    fc.assert(
      fc.property(equalOrOneDifference, ({ a, b }) => {
        const left = watched(a);
        const right = watched(b);
        expect(equal(left.view, right.view)).toBe(plainEqual(a, b));
        const all = a.length;
        expect([left.reads.size, right.reads.size]).toEqual([all, all]);
      }),
    );
  });
}

function checkConcat(concat: Concat): void {
  it('concatBytes takes its parts as arguments and returns their concatenation, fresh', () => {
    fc.assert(
      fc.property(fc.array(bytes(), { maxLength: 5 }), (parts) => {
        const expected = parts.flatMap((part) => [...part]);
        const snapshot = parts.map((part) => [...part]);
        const out = concat(...parts);
        expect(out).toBeInstanceOf(Uint8Array);
        expect([...out]).toEqual(expected);
        out.fill(0xaa);
        expect(parts.map((part) => [...part])).toEqual(snapshot);
      }),
    );
  });
}

function checkCopy(copy: Copy): void {
  it('copyBytes returns a plain Uint8Array with the same contents in a buffer of its own', () => {
    const inputs = fc.oneof(
      bytes(),
      // A view into a larger buffer and a Node Buffer: `slice()` on the latter would be a view.
      fc.record({ data: bytes(), before: fc.nat({ max: 8 }) }).map(({ data, before }) => {
        const backing = new Uint8Array(before + data.length + 3);
        backing.set(data, before);
        return backing.subarray(before, before + data.length);
      }),
      bytes().map((data) => Buffer.from(data)),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        const before = [...input];
        const out = copy(input);
        expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
        expect([...out]).toEqual(before);
        expect(out.buffer).not.toBe(input.buffer);
        expect([out.byteOffset, out.byteLength]).toEqual([0, out.buffer.byteLength]);
        out.fill(0x55);
        expect([...input]).toEqual(before);
      }),
    );
  });
}

const files = findByteHelpers();
/** Each file's exports, loaded before the suites are declared so they can be declared per export. */
const helpers = await Promise.all(
  files.map(async (file) => {
    const module = (await import(pathToFileURL(join(ROOT, file)).href)) as Record<string, unknown>;
    return [file, module] as const;
  }),
);

describe('byte helpers: one name, one meaning across the monorepo', () => {
  it(`finds every package's _bytes.ts (${files.length} found)`, () => {
    expect(files).toEqual(expect.arrayContaining(KNOWN));
  });

  for (const [file, module] of helpers) {
    describe(file, () => {
      it('exports none of the retired aliases', () => {
        expect(Object.keys(module).filter((name) => ALIASES.includes(name))).toEqual([]);
      });
      if (typeof module.equalBytes === 'function') checkEquality('equalBytes', module.equalBytes as Equality);
      if (typeof module.constantTimeEqual === 'function') {
        checkEquality('constantTimeEqual', module.constantTimeEqual as Equality);
        checkConstantTime(module.constantTimeEqual as Equality);
      }
      if (typeof module.concatBytes === 'function') checkConcat(module.concatBytes as Concat);
      if (typeof module.copyBytes === 'function') checkCopy(module.copyBytes as Copy);
    });
  }
});
