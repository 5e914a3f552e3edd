/**
 * `wakit serve` against the real @wakit/server: in-process through runCli, and as a child process
 * stopped by a real SIGINT. Both check the printed URL from outside (a WebSocket upgrade, then a
 * refused connection once stopped) and the shape of the printed root key.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import { startServerLazily } from '../src/load-server';
import { fakeDeps } from './_fake-deps';
import { isRefused, upgradeStatus } from './_probe';
import { finished, firstLine, spawnWakit } from './_spawn-wakit';

interface Banner {
  url: string;
  rootPublicKey: string;
}

function expectBanner(line: string): Banner {
  const banner = JSON.parse(line) as Banner;
  expect(banner.url).toMatch(/^wss?:\/\/127\.0\.0\.1:\d+/);
  expect(banner.rootPublicKey).toMatch(/^[0-9a-f]{64}$/);
  return banner;
}

describe('wakit serve with the real server', () => {
  it('serves WebSocket upgrades at the printed URL until stopped, then frees the port', async () => {
    const deps = fakeDeps({ startServer: startServerLazily });
    const run = runCli(['serve', '--port', '0', '--json'], deps);
    // Whichever comes first: the banner, or a failure to start (which would otherwise never print).
    await Promise.race([deps.firstOutput, run]);
    const { url } = expectBanner(deps.out.join(''));
    expect(new URL(url).port).not.toBe('0');
    expect(await upgradeStatus(url)).toBe(101);

    deps.stop('SIGINT');
    expect(await run).toBe(0);
    expect(await isRefused(url)).toBe(true);
  });

  it('stops cleanly with exit code 0 when the process receives SIGINT', async () => {
    const child = spawnWakit(['serve', '--port', '0', '--json']);
    const result = finished(child);
    try {
      const { url } = expectBanner(await firstLine(child));
      expect(await upgradeStatus(url)).toBe(101);

      child.kill('SIGINT');
      const { code, signal, stderr } = await result;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('SIGINT: stopping the server\nstopped\n');
      expect(await isRefused(url)).toBe(true);
    } finally {
      // If an assertion failed before the SIGINT, do not leave a server running.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
