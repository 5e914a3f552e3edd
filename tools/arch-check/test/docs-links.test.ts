/**
 * The repository's documents stand alone: every relative link in a Markdown file points at a file
 * or folder of the repository, and nothing in docs, sources or tests names a path outside it (the
 * team's notes beside the checkout are not there for a user who has only the repository).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.git', '.turbo', 'findings']);

function files(dir: string, accept: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...files(path, accept));
    else if (accept(entry.name)) found.push(path);
  }
  return found;
}

/** Relative link targets of a Markdown text: `[text](target)`, without a #fragment. */
export function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  return targets
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'))
    .map((t) => t.replace(/#.*$/, ''))
    .filter((t) => t !== '');
}

describe('documents', () => {
  const markdown = files(ROOT, (name) => name.endsWith('.md'));

  it('are found (README, docs, package READMEs)', () => {
    const names = markdown.map((f) => relative(ROOT, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/architecture.md',
        'docs/protocol.md',
        'packages/client/README.md',
      ]),
    );
  });

  it('link only to files that exist in the repository', () => {
    const broken: string[] = [];
    for (const file of markdown) {
      for (const target of relativeLinks(readFileSync(file, 'utf8'))) {
        const path = resolve(dirname(file), decodeURIComponent(target));
        if (!path.startsWith(ROOT) || !existsSync(path)) broken.push(`${relative(ROOT, file)} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('and no source, test or document names the notes outside the repository', () => {
    const texts = files(ROOT, (name) => /\.(md|ts|mjs|json)$/.test(name) && name !== 'package-lock.json');
    const outside = texts.filter((file) =>
      /\.\.\/shared\b|\/work\/shared\b/.test(readFileSync(file, 'utf8')),
    );
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the link reader sees relative links and skips URLs and anchors', () => {
    expect(
      relativeLinks('[a](docs/x.md) [b](https://x.y) [c](#top) [d](../y.md#sec "title") [e](mailto:a@b)'),
    ).toEqual(['docs/x.md', '../y.md']);
  });
});
