/**
 * Entry point of the `wakit` command (started by `bin/wakit.mjs`). Sets the exit code rather than
 * calling `process.exit`, so buffered output to a pipe is flushed before the process ends.
 */
import { runCli } from './cli';
import { nodeDeps } from './node-deps';

process.exitCode = await runCli(process.argv.slice(2), nodeDeps());
