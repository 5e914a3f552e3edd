/**
 * The root README's examples are the files in examples/, verbatim, and they work: run as a user
 * runs them (tsx, the packages by name), they exit 0 without reporting an error (a user's own
 * disconnect is not one) and print what they promise.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const EXAMPLES = [
  {
    file: 'examples/link-locally.ts',
    // Linked, logged in, and the QR code was drawn.
    expectOutput: (stdout: string) => {
      expect(stdout).toMatch(/linked as 15550001234:\d+@s\.whatsapp\.net\nlogged in\n$/);
      expect(stdout).toContain('▀');
    },
  },
  {
    file: 'examples/message-locally.ts',
    // Bob got the text with Alice's push name, Alice's send was acked, the read receipt came back.
    expectOutput: (stdout: string) => {
      expect(stdout).toContain('bob got "hello, Bob" from User 1234\n');
      expect(stdout).toMatch(/alice sent 3EB0[0-9A-F]{18}\n/);
      expect(stdout).toMatch(/alice saw it read\n$/);
    },
  },
];

describe.each(EXAMPLES)('the README example $file', ({ file, expectOutput }) => {
  it('is the example file, verbatim', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const example = readFileSync(`${ROOT}${file}`, 'utf8');
    expect(readme).toContain(`<!-- ${file} `);
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('runs and exits cleanly', () => {
    // The workspace sources stand in for the built packages a user's script would load.
    const result = spawnSync(process.execPath, ['--conditions=@wakit/source', '--import', 'tsx', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expectOutput(result.stdout);
  });
});
