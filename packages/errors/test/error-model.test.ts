import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  IoError,
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  WakitError,
} from '../src/index.ts';

class BadBytesError extends RemoteProtocolError {
  static override readonly code = 'ERR_TEST_BAD_BYTES';
}
class MisuseError extends LocalProtocolError {
  static override readonly code = 'ERR_TEST_MISUSE';
}
class ClosedError extends IoError {
  static override readonly code = 'ERR_TEST_CLOSED';
}
/** An intermediate abstract branch with a field, as binary-node's DecodeError is. */
abstract class OffsetError extends RemoteProtocolError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}
class EofError extends OffsetError {
  static override readonly code = 'ERR_TEST_EOF';
}

describe('the tree', () => {
  test('an instance carries its class code and its branch kind as own properties', () => {
    for (const [error, code, kind] of [
      [new BadBytesError('x'), 'ERR_TEST_BAD_BYTES', 'remote'],
      [new MisuseError('x'), 'ERR_TEST_MISUSE', 'local'],
      [new ClosedError('x'), 'ERR_TEST_CLOSED', 'io'],
      [new EofError('short', 7), 'ERR_TEST_EOF', 'remote'],
      [new TimeoutError('late', 5), 'ERR_TIMEOUT', 'io'],
    ] as const) {
      expect(Object.hasOwn(error, 'code') && Object.hasOwn(error, 'kind')).toBe(true);
      expect([error.code, error.kind]).toEqual([code, kind]);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code, kind });
    }
  });

  test('the name is the concrete class name, the message and cause are kept', () => {
    const cause = new Error('inner');
    const error = new BadBytesError('outer', { cause });
    expect(error.name).toBe('BadBytesError');
    expect(error.message).toBe('outer');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('BadBytesError: outer');
  });

  test('instanceof follows the tree', () => {
    const eof = new EofError('short', 3);
    expect(eof).toBeInstanceOf(WakitError);
    expect(eof).toBeInstanceOf(RemoteProtocolError);
    expect(eof).not.toBeInstanceOf(LocalProtocolError);
    expect(eof).not.toBeInstanceOf(IoError);
    expect(eof.offset).toBe(3);
    expect(eof.message).toBe('short (at byte 3)');
    expect(new TimeoutError('late', 1)).toBeInstanceOf(IoError);
  });

  test('statics: a concrete class has its own code; the kind comes from the branch', () => {
    expect(EofError.code).toBe('ERR_TEST_EOF');
    expect(EofError.kind).toBe('remote');
    expect(Object.hasOwn(EofError, 'kind')).toBe(false);
    expect(Object.hasOwn(OffsetError, 'code')).toBe(false);
    expect(TimeoutError.kind).toBe('io');
    expect(new TimeoutError('late', 250).timeoutMs).toBe(250);
  });
});

describe('guards', () => {
  test('recognise each kind and nothing else, also as an array callback (which passes an index)', () => {
    const remote = new BadBytesError('x');
    const local = new MisuseError('x');
    const io = new ClosedError('x');
    expect([remote, local, io].map(isWakitError)).toEqual([true, true, true]);
    expect([remote, local, io].map(isRemoteProtocolError)).toEqual([true, false, false]);
    expect([remote, local, io].map(isLocalProtocolError)).toEqual([false, true, false]);
    expect([remote, local, io].map(isIoError)).toEqual([false, false, true]);
  });

  test('match a class by its code, and an abstract branch by its kind', () => {
    const eof = new EofError('x', 0);
    expect(isWakitError(eof, EofError)).toBe(true);
    expect(isWakitError(eof, BadBytesError)).toBe(false);
    expect(isWakitError(eof, RemoteProtocolError)).toBe(true);
    expect(isWakitError(eof, IoError)).toBe(false);
    expect(isWakitError(new TimeoutError('x', 1), TimeoutError)).toBe(true);
  });

  test('work across copies of a package (another class object with the same code)', () => {
    // What a second copy of a package in node_modules gives: same shape, other class identity.
    class CopyOfEofError extends RemoteProtocolError {
      static override readonly code = 'ERR_TEST_EOF';
    }
    const fromCopy = new CopyOfEofError('x');
    expect(fromCopy).not.toBeInstanceOf(EofError);
    expect(isWakitError(fromCopy, EofError)).toBe(true);
    const structural = Object.assign(new Error('plain'), { code: 'ERR_TEST_EOF', kind: 'remote' });
    expect(isWakitError(structural, EofError)).toBe(true);
  });

  test('reject errors that only look alike: system errors, unknown kinds, non-errors', () => {
    const econnrefused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(isWakitError(econnrefused)).toBe(false);
    expect(isWakitError(Object.assign(new Error('x'), { code: 'ERR_X', kind: 'peer' }))).toBe(false);
    expect(isWakitError({ code: 'ERR_X', kind: 'remote', message: 'not an Error' })).toBe(false);
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(isWakitError(value)).toBe(false);
      }),
    );
  });
});
