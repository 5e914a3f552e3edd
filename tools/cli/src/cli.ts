/**
 * The `wakit` dispatcher: picks the subcommand, turns usage mistakes into a message and exit code
 * 2, and leaves every other failure to propagate, so bugs keep their stack trace.
 */
import type { CliDeps, Command } from './command';
import { linkCommand } from './commands/link';
import { listenCommand } from './commands/listen';
import { qrCommand } from './commands/qr';
import { sendCommand } from './commands/send';
import { serveCommand } from './commands/serve';
import { isUsageError, UsageError } from './errors';
import { versionLine } from './version';

/** Every subcommand, in the order `wakit --help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  linkCommand,
  sendCommand,
  listenCommand,
  qrCommand,
];

/** Exit code for a malformed command line, as in most Unix tools (and bash's builtins). */
export const EXIT_USAGE = 2;

/** The text of `wakit --help`, ending in a newline. */
export function topLevelUsage(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: wakit <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help (also `wakit help [<command>]`)',
    '  -v, --version  print the version of the wakit packages and exit',
    '',
    'Run `wakit <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

/**
 * Runs the command line `argv` (without the node and script paths) and resolves with the exit
 * code. Rejects only for failures that are not the user's, such as a server that cannot bind.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), nodeDeps());
 * ```
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '-h' || name === '--help' || name === 'help') {
      // `wakit help serve` is `wakit serve --help`, as in git and npm.
      deps.stdout(rest[0] === undefined ? topLevelUsage() : findCommand(rest[0]).usage);
      return 0;
    }
    // -v as well as --version, as node, npm and most tools take it; wakit has no verbose flag for
    // it to clash with.
    if (name === '-v' || name === '--version') {
      if (rest.length > 0) throw new UsageError(`${name} takes no arguments, got ${JSON.stringify(rest[0])}`);
      deps.stdout(`${versionLine()}\n`);
      return 0;
    }
    if (name === undefined) throw new UsageError('no command given');
    return await findCommand(name).run(rest, deps);
  } catch (e) {
    if (!isUsageError(e)) throw e;
    const more = e.command === undefined ? 'wakit --help' : `wakit ${e.command} --help`;
    deps.stderr(`wakit: ${e.message}\nRun \`${more}\` for usage.\n`);
    return EXIT_USAGE;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  return command;
}
