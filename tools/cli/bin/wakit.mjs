#!/usr/bin/env node
/**
 * The `wakit` executable: runs src/main.ts from source, in this process.
 *
 * Why not `tsx --conditions=@wakit/source src/main.ts` like the root `start` script: as a bin that
 * means a child process, and then Ctrl-C reaches both processes (the terminal signals the whole
 * process group) so a relayed copy lands on `wakit serve` while it closes, and exit codes and
 * stdin have to be passed through by hand. Registering tsx and the export condition as module
 * hooks (node >= 20.6) does the same job in one process. tsx comes from the monorepo root's
 * devDependencies; this package is private and only runs inside the workspace.
 */
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
// Hooks registered later run first, so the condition is in place before tsx resolves anything.
register('./source-condition.mjs', import.meta.url);
await import('../src/main.ts');
