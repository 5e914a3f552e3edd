/**
 * The root README's first example is examples/link-locally.ts, verbatim, and it works: run as a
 * user runs it (tsx, the packages by name), it links through a virtual phone, logs in and exits 0
 * without reporting an error (a user's own disconnect is not one).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = 'examples/link-locally.ts';

describe('the README example', () => {
  it('is the example file, verbatim', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const example = readFileSync(`${ROOT}${EXAMPLE}`, 'utf8');
    expect(readme).toContain(`<!-- ${EXAMPLE} `);
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('links, logs in and exits cleanly', () => {
    // The workspace sources stand in for the built packages a user's script would load.
    const result = spawnSync(process.execPath, ['--conditions=@wakit/source', '--import', 'tsx', EXAMPLE], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/linked as 15550001234:\d+@s\.whatsapp\.net\nlogged in\n$/);
    expect(result.stdout).toContain('▀'); // the QR code was drawn
  });
});
