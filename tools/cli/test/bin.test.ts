import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderQr } from '@wakit/client/qr';
import { describe, expect, it } from 'vitest';
import { topLevelUsage } from '../src/cli';
import { runWakit, type WakitResult } from './_spawn-wakit';

const CLIENT_VERSION = (createRequire(import.meta.url)('@wakit/client/package.json') as { version: string })
  .version;

/** A usage mistake as the shell sees it: exit 2, nothing on stdout, two short lines on stderr and no stack. */
function expectUsageError(result: WakitResult, message: string, command?: string): void {
  const help = command === undefined ? 'wakit --help' : `wakit ${command} --help`;
  expect(result).toMatchObject({
    code: 2,
    stdout: '',
    stderr: `wakit: ${message}\nRun \`${help}\` for usage.\n`,
  });
}

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

  for (const flag of ['--version', '-v']) {
    it(`prints the version for ${flag} and exits 0`, async () => {
      const result = await runWakit([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `wakit ${CLIENT_VERSION}\n`, stderr: '' });
    });
  }

  it('exits 2 with one line for text too long for a QR code, not a stack trace', async () => {
    expectUsageError(
      await runWakit(['qr', 'x'.repeat(3000)]),
      'the text is 3000 bytes of UTF-8; a QR code holds at most 2953',
      'qr',
    );
    // Counted in bytes: 1,000 × '€' is 3,000 bytes of UTF-8.
    expectUsageError(
      await runWakit(['qr', '-'], '€'.repeat(1000)),
      'the text is 3000 bytes of UTF-8; a QR code holds at most 2953',
      'qr',
    );
  });

  it('exits 2 with one line for an unknown command, an unknown option and empty text', async () => {
    expectUsageError(await runWakit(['frobnicate']), 'unknown command "frobnicate"');
    expectUsageError(await runWakit(['qr', '-'], '\n'), 'the text to encode is empty', 'qr');
    const result = await runWakit(['qr', '--bogus', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wakit: Unknown option '--bogus'.*\nRun `wakit qr --help` for usage\.\n$/);
  });

  it('exits 2 with one line for a --store whose directory does not exist', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'wakit-bin-')), 'no-such-dir');
    expectUsageError(
      await runWakit(['link', '--store', join(missing, 'device.db')]),
      `--store ${join(missing, 'device.db')}: the directory ${missing} does not exist`,
      'link',
    );
  });

  it('exits 2 with one line when serve cannot listen because the port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      expectUsageError(
        await runWakit(['serve', '--port', String(port)], ''),
        `cannot listen on 127.0.0.1 port ${port}: the port is in use (--port 0 picks a free one)`,
        'serve',
      );
    } finally {
      taken.close();
    }
  });

  it('exits 2 with the message on stderr for a usage mistake', async () => {
    const result = await runWakit(['serve', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('wakit: --port expected an integer from 0 to 65535, got "eighty"');
  });
});
