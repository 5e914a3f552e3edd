import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COMMANDS, EXIT_USAGE, runCli, topLevelUsage } from '../src/cli';
import { fakeDeps } from './_fake-deps';

const CLIENT_VERSION = (createRequire(import.meta.url)('@wakit/client/package.json') as { version: string })
  .version;

describe('runCli', () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    it(`prints the command list for ${argv.join(' ')} and exits 0`, async () => {
      const deps = fakeDeps();
      expect(await runCli(argv, deps)).toBe(0);
      expect(deps.out.join('')).toBe(topLevelUsage());
      expect(deps.err).toEqual([]);
    });
  }

  it('lists every command with its summary', () => {
    const usage = topLevelUsage();
    for (const command of COMMANDS)
      expect(usage).toMatch(new RegExp(`^  ${command.name} +${command.summary}$`, 'm'));
  });

  it('prints the same help for `help <command>` as for `<command> --help`', async () => {
    for (const command of COMMANDS) {
      const viaHelp = fakeDeps();
      const viaFlag = fakeDeps();
      expect(await runCli(['help', command.name], viaHelp)).toBe(0);
      expect(await runCli([command.name, '--help'], viaFlag)).toBe(0);
      expect(viaHelp.out.join('')).toBe(command.usage);
      expect(viaFlag.out.join('')).toBe(command.usage);
    }
  });

  it('exits 2 with a pointer to --help when no command is given', async () => {
    const deps = fakeDeps();
    expect(await runCli([], deps)).toBe(EXIT_USAGE);
    expect(deps.err.join('')).toBe('wakit: no command given\nRun `wakit --help` for usage.\n');
    expect(deps.out).toEqual([]);
  });

  it('exits 2 naming an unknown command, also after help', async () => {
    for (const argv of [['frobnicate'], ['help', 'frobnicate']]) {
      const deps = fakeDeps();
      expect(await runCli(argv, deps)).toBe(EXIT_USAGE);
      expect(deps.err.join('')).toContain('wakit: unknown command "frobnicate"');
    }
  });

  it("points a command's usage mistake at that command's help", async () => {
    const deps = fakeDeps();
    expect(await runCli(['serve', '--prot', '80'], deps)).toBe(EXIT_USAGE);
    expect(deps.err.join('')).toMatch(/^wakit: .*'--prot'.*\nRun `wakit serve --help` for usage\.\n$/s);
  });

  for (const argv of [['--version'], ['-v']]) {
    it(`prints the @wakit/client version for ${argv[0]} and exits 0`, async () => {
      const deps = fakeDeps();
      expect(await runCli(argv, deps)).toBe(0);
      expect(deps.out).toEqual([`wakit ${CLIENT_VERSION}\n`]);
      expect(CLIENT_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    });
  }

  it('exits 2 when --version is given arguments', async () => {
    const deps = fakeDeps();
    expect(await runCli(['--version', 'serve'], deps)).toBe(EXIT_USAGE);
    expect(deps.err.join('')).toBe(
      'wakit: --version takes no arguments, got "serve"\nRun `wakit --help` for usage.\n',
    );
  });

  it('lists --help and --version in the help', () => {
    expect(topLevelUsage()).toMatch(/^ {2}-h, --help +show this help/m);
    expect(topLevelUsage()).toMatch(/^ {2}-v, --version +print the version/m);
  });

  it('turns an address serve cannot listen on into a usage error, exit 2', async () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080'), {
      code: 'EADDRINUSE',
    });
    const deps = fakeDeps({ startServer: () => Promise.reject(inUse) });
    expect(await runCli(['serve'], deps)).toBe(EXIT_USAGE);
    expect(deps.err.join('')).toBe(
      'wakit: cannot listen on 127.0.0.1 port 8080: the port is in use (--port 0 picks a free one)\n' +
        'Run `wakit serve --help` for usage.\n',
    );
  });

  it('lets a failure that is not a usage mistake propagate with its stack', async () => {
    const failure = new Error('the test certificate could not be issued');
    const deps = fakeDeps({ startServer: () => Promise.reject(failure) });
    await expect(runCli(['serve'], deps)).rejects.toBe(failure);
  });
});
