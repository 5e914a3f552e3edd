import { describe, expect, it } from 'vitest';
import { parseServeInput } from '../src/serve-input';

const QR = '2@AbC+/x==,bm9pc2U=,aWRlbnRpdHk=,YWR2,1';
const DEEP_LINK = `https://wa.me/settings/linked_devices#${QR}`;

describe('parseServeInput', () => {
  it('reads a bare QR text, with or without the deep-link prefix, as a scan by the first phone', () => {
    expect(parseServeInput(QR)).toEqual({ kind: 'scan', phone: undefined, qr: QR });
    expect(parseServeInput(`  ${DEEP_LINK}\r`)).toEqual({ kind: 'scan', phone: undefined, qr: DEEP_LINK });
  });

  it('reads `scan <phone> <qr>` as a scan by that phone, with or without a +', () => {
    expect(parseServeInput(`scan +15550005678 ${QR}`)).toEqual({
      kind: 'scan',
      phone: '15550005678',
      qr: QR,
    });
  });

  it('reads `code <phone> <code>` in either spelling of the code, upper-casing it', () => {
    expect(parseServeInput('code 15550001234 ABCD-EFGH')).toEqual({
      kind: 'code',
      phone: '15550001234',
      code: 'ABCD-EFGH',
    });
    expect(parseServeInput('CODE +15550001234 abcd2345')).toEqual({
      kind: 'code',
      phone: '15550001234',
      code: 'ABCD2345',
    });
  });

  it('ignores blank lines and answers help and ?', () => {
    expect(parseServeInput('')).toEqual({ kind: 'empty' });
    expect(parseServeInput(' \t ')).toEqual({ kind: 'empty' });
    expect(parseServeInput('help')).toEqual({ kind: 'help' });
    expect(parseServeInput('?')).toEqual({ kind: 'help' });
  });

  for (const line of [
    'code 15550001234',
    'code 15550001234 ABC-DEFG',
    'code 12 ABCD-EFGH',
    'code x ABCD-EFGH y',
  ]) {
    it(`explains the code syntax for ${JSON.stringify(line)}`, () => {
      expect(parseServeInput(line)).toEqual({
        kind: 'invalid',
        message: 'expected `code <phone> <XXXX-XXXX>`, e.g. `code 15550001234 ABCD-EFGH`',
      });
    });
  }

  it('explains the scan syntax for a scan without a QR text', () => {
    expect(parseServeInput('scan 15550001234')).toEqual({
      kind: 'invalid',
      message: 'expected `scan <phone> <qr text>`',
    });
    expect(parseServeInput('scan 15550001234 nocommas')).toMatchObject({ kind: 'invalid' });
  });

  it('calls anything else neither a QR text nor a command, quoting at most 40 characters of it', () => {
    expect(parseServeInput('hello there')).toEqual({
      kind: 'invalid',
      message: 'not a QR text or a command: "hello there"; type `help`',
    });
    // Two words with commas: a QR text never has a space, so this is not one.
    expect(parseServeInput('a,b c,d')).toMatchObject({ kind: 'invalid' });
    const long = 'x'.repeat(60);
    expect(parseServeInput(long)).toEqual({
      kind: 'invalid',
      message: `not a QR text or a command: "${'x'.repeat(40)}…"; type \`help\``,
    });
  });
});
