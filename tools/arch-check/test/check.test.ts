import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRepository } from '../src/check';

const goodPackageJson = (name: string, dependencies: Record<string, string> = {}) =>
  JSON.stringify({
    name: `@wakit/${name}`,
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.18.1' },
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    },
    dependencies,
  });

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'arch-check-'));
  const withRoot = { 'package.json': JSON.stringify({ engines: { node: '>=20.18.1' } }), ...files };
  for (const [path, content] of Object.entries(withRoot)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('architecture check', () => {
  it('passes a repository that follows the rules', () => {
    const root = repo({
      'packages/binary-node/package.json': goodPackageJson('binary-node', { fflate: '1' }),
      'packages/binary-node/src/index.ts': `import { x } from './x';\nimport { Unzlib } from 'fflate';\n// Buffer and node:fs in a comment do not count\nconst s = 'process';\nclass B { process(a) { return a; }\n  static process2() {} }\nconst o = { process: 1, Buffer() {} };\nexport const y = o.process;\n`,
      'packages/noise/package.json': goodPackageJson('noise', { '@wakit/crypto': '*' }),
      'packages/noise/src/index.ts': `export { sha256 } from '@wakit/crypto';\n`,
      'packages/crypto/package.json': goodPackageJson('crypto'),
      'packages/crypto/src/node-provider.ts': `import { createHash } from 'node:crypto';\n`,
    });
    expect(checkRepository(root)).toEqual([]);
  });

  it("reports a package whose Node floor is not the root's", () => {
    const pkg = JSON.parse(goodPackageJson('proto')) as Record<string, unknown>;
    const root = repo({
      'packages/proto/package.json': JSON.stringify({ ...pkg, engines: { node: '>=20' } }),
      'packages/proto/src/index.ts': 'export const x = 1;\n',
    });
    expect(checkRepository(root)).toEqual([
      "proto: package.json engines.node is >=20, expected the root's >=20.18.1",
    ]);
  });

  it("reports a package without the repository's LICENSE", () => {
    const root = repo({
      LICENSE: 'MIT License\n',
      'packages/proto/package.json': goodPackageJson('proto'),
      'packages/proto/src/index.ts': 'export const x = 1;\n',
      'packages/errors/package.json': goodPackageJson('errors'),
      'packages/errors/LICENSE': 'MIT License\n',
      'packages/errors/src/index.ts': 'export const y = 1;\n',
    });
    expect(checkRepository(root)).toEqual(["proto: LICENSE is missing or differs from the repository's"]);
  });

  it('reports Node built-ins and Node-only globals in a portable package', () => {
    const root = repo({
      'packages/binary-node/package.json': goodPackageJson('binary-node'),
      'packages/binary-node/src/a.ts': `import { readFileSync } from 'node:fs';\nimport zlib from 'zlib';\nexport const b = Buffer.from('x');\nexport const e = process.env;\n`,
    });
    const problems = checkRepository(root);
    expect(problems).toContain(
      'binary-node: src/a.ts imports node:fs; this package must stay portable (no Node built-ins)',
    );
    expect(problems).toContain(
      'binary-node: src/a.ts imports zlib; this package must stay portable (no Node built-ins)',
    );
    expect(problems).toContain(
      'binary-node: src/a.ts uses the Node-only global Buffer; this package must stay portable',
    );
    expect(problems).toContain(
      'binary-node: src/a.ts uses the Node-only global process; this package must stay portable',
    );
  });

  it('reports imports against the dependency direction and undeclared dependencies', () => {
    const root = repo({
      'packages/noise/package.json': goodPackageJson('noise'),
      'packages/noise/src/a.ts': `import { encodeNode } from '@wakit/binary-node';\nimport x from 'left-pad/sub';\n`,
    });
    const problems = checkRepository(root);
    expect(problems).toContain(
      "noise: src/a.ts imports @wakit/binary-node, against docs/architecture.md's dependency direction",
    );
    expect(problems).toContain(
      'noise: src/a.ts imports @wakit/binary-node, which package.json does not declare in dependencies',
    );
    expect(problems).toContain(
      'noise: src/a.ts imports left-pad, which package.json does not declare in dependencies',
    );
  });

  it('reports imports that reach into another package by relative path', () => {
    const root = repo({
      'packages/signal/package.json': goodPackageJson('signal'),
      'packages/signal/src/a.ts': `import { x } from '../../crypto/src/x';\n`,
    });
    expect(checkRepository(root)).toContain(
      'signal: src/a.ts imports ../../crypto/src/x, outside its own src/',
    );
  });

  it('reports a package with no place in the rules and a malformed package.json', () => {
    const root = repo({
      'packages/mystery/package.json': goodPackageJson('mystery'),
      'packages/proto/package.json': JSON.stringify({
        name: '@wakit/proto',
        exports: { '.': { import: { default: 'x', types: 'y' } } },
      }),
    });
    const problems = checkRepository(root);
    expect(problems).toContain(
      'mystery: not in tools/arch-check/src/rules.ts; give it a place in the dependency graph first',
    );
    expect(problems).toContain('proto: package.json must have "type": "module"');
    expect(problems).toContain('proto: package.json must have "sideEffects": false');
    expect(problems).toContain('proto: exports["."].import must list "types" first');
    expect(problems).toContain('proto: exports["."].require must list "types" first');
  });
});
