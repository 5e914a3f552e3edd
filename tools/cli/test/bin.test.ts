import { describe, expect, it } from 'vitest';
import { topLevelUsage } from '../src/cli';
import { renderQr } from '../src/qr-terminal';
import { runWakit } from './_spawn-wakit';

// These run bin/wakit.mjs as a child process: they check that the TypeScript sources load through
// the tsx and export-condition hooks, and that exit codes and streams reach the shell.
describe('bin/wakit.mjs', () => {
  it('prints the command list and exits 0 for --help', async () => {
    const result = await runWakit(['--help']);
    expect(result).toMatchObject({ code: 0, stdout: topLevelUsage(), stderr: '' });
  });

  it('prints a QR code for its argument', async () => {
    const text = '2@c2FtcGxl,AAAA,BBBB,CCCC,1';
    const result = await runWakit(['qr', '--invert', text]);
    expect(result).toMatchObject({ code: 0, stdout: `${renderQr(text, { invert: true })}\n`, stderr: '' });
  });

  it('prints a QR code for text piped to `qr -`', async () => {
    const result = await runWakit(['qr', '-'], 'piped ünïcödé\n');
    expect(result).toMatchObject({ code: 0, stdout: `${renderQr('piped ünïcödé')}\n` });
  });

  it('exits 2 with the message on stderr for a usage mistake', async () => {
    const result = await runWakit(['serve', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('wakit: --port expected an integer from 0 to 65535, got "eighty"');
  });
});
