import { renderQr } from '@wakit/client/qr';
import { describe, expect, it } from 'vitest';
import { parseQrArgs, qrCommand } from '../src/commands/qr';
import { UsageError } from '../src/errors';
import { fakeDeps } from './_fake-deps';

describe('parseQrArgs', () => {
  it('renders with the standard quiet zone and no inversion by default', () => {
    expect(parseQrArgs(['hello'])).toEqual({ text: 'hello', render: { invert: false } });
  });

  it('maps --invert, --compact and --quiet-zone to render options', () => {
    expect(parseQrArgs(['--invert', '--compact', 'x'])).toEqual({
      text: 'x',
      render: { invert: true, quietZone: 2 },
    });
    expect(parseQrArgs(['--quiet-zone', '0', 'x'])?.render).toEqual({ invert: false, quietZone: 0 });
    expect(parseQrArgs(['--quiet-zone=12', 'x'])?.render.quietZone).toBe(12);
  });

  it('takes text that starts with a dash after --', () => {
    expect(parseQrArgs(['--', '--not-an-option'])?.text).toBe('--not-an-option');
  });

  it('rejects zero or several texts, both quiet zone options, and a bad width', () => {
    for (const args of [
      [],
      ['two', 'words'],
      ['--compact', '--quiet-zone', '3', 'x'],
      ['--quiet-zone', '-1', 'x'],
      ['--quiet-zone', '2.5', 'x'],
      ['--quiet-zone', '100', 'x'],
      ['--inverted', 'x'],
    ]) {
      expect(() => parseQrArgs(args), JSON.stringify(args)).toThrow(UsageError);
    }
  });
});

describe('wakit qr', () => {
  it('prints the rendering of its argument followed by a newline', async () => {
    const deps = fakeDeps();
    expect(await qrCommand.run(['--invert', '--compact', 'wakit'], deps)).toBe(0);
    expect(deps.out).toEqual([`${renderQr('wakit', { invert: true, quietZone: 2 })}\n`]);
  });

  it('reads the text from stdin for -, dropping one trailing newline', async () => {
    const deps = fakeDeps({ stdin: '2@ref,a,b,c,1\n' });
    expect(await qrCommand.run(['-'], deps)).toBe(0);
    expect(deps.out).toEqual([`${renderQr('2@ref,a,b,c,1')}\n`]);
  });

  it('refuses empty text with a usage error', async () => {
    await expect(qrCommand.run(['-'], fakeDeps({ stdin: '\n' }))).rejects.toThrow(
      'the text to encode is empty',
    );
    await expect(qrCommand.run([''], fakeDeps())).rejects.toThrow(UsageError);
  });
});
