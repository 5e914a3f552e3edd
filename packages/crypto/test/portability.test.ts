/**
 * The portable entry must not reach node:crypto by any path. `npm run check:arch` checks each file
 * in src/ but exempts the node entry's files, so it would not notice a portable file importing one
 * of them; this walks the import graph from src/index.ts to close that gap.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const SPECIFIER = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every file reachable from `entry` through relative imports, with the bare specifiers they use. */
function importGraph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // Comments hold @example imports; they are not code.
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of code.matchAll(SPECIFIER)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) visit(`${join(dirname(file), specifier)}.ts`);
      else bare.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return { files: [...files].map((f) => relative(SRC, f)).sort(), bare: [...bare].sort() };
}

describe('the portable entry', () => {
  const graph = importGraph('index.ts');

  it('reaches the noble provider and XEdDSA (the walk follows imports)', () => {
    expect(graph.files).toContain('noble-provider.ts');
    expect(graph.files).toContain('xeddsa.ts');
  });

  it('reaches no file of the node entry', () => {
    expect(graph.files.filter((f) => f === 'node.ts' || f.startsWith('node/'))).toEqual([]);
  });

  it('imports only @noble packages and @wakit/errors (itself portable), nothing from node:', () => {
    expect(graph.bare.filter((s) => !s.startsWith('@noble/') && s !== '@wakit/errors')).toEqual([]);
  });
});

describe('the node entry', () => {
  it('does import node:crypto (so the walk above would have seen it)', () => {
    expect(importGraph('node.ts').bare).toContain('node:crypto');
  });
});
