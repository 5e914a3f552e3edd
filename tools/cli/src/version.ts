/**
 * What `wakit --version` prints. The CLI itself is a private, unpublished workspace tool (its own
 * package.json says 0.0.0 forever), so its number would say nothing; what a bug report needs is
 * which wakit packages ran, and those are released together. `@wakit/client` stands for them: it
 * is the package users install, and `wakit link` runs it.
 */
import { createRequire } from 'node:module';

/** The line `wakit --version` prints, without the newline: `wakit <@wakit/client version>`. */
export function versionLine(): string {
  // A JSON file read through the package's "./package.json" export, so it resolves the same
  // from a clone as from an installed copy.
  const { version } = createRequire(import.meta.url)('@wakit/client/package.json') as { version: string };
  return `wakit ${version}`;
}
