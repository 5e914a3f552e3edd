import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const QR_DIR = new URL('../src/qr/', import.meta.url);
const sources = readdirSync(QR_DIR).filter((name) => name.endsWith('.ts'));

// `@wakit/client/qr` is meant for any runtime (browsers, Deno, Bun, workers) and for users who
// install nothing else: the rules of the leaf packages, checked on the source text.
describe('@wakit/client/qr sources', () => {
  it('exist', () => {
    expect(sources).toContain('index.ts');
    expect(sources.length).toBeGreaterThan(5);
  });

  for (const name of sources) {
    it(`${name} imports only sibling modules and never uses Buffer`, () => {
      // Without comments, whose examples show how users import the package.
      const text = readFileSync(new URL(name, QR_DIR), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]);
      for (const specifier of specifiers) expect(specifier, name).toMatch(/^\.\/[a-z0-9-]+$/);
      expect(text).not.toMatch(/\bBuffer\b|\brequire\(|\bimport\(/);
    });
  }
});
