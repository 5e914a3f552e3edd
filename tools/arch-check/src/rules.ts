/**
 * docs/architecture.md's dependency direction and portability rules as data. A package missing from this
 * table fails the check: adding a package means deciding its place here first.
 */
export interface PackageRule {
  /** @wakit packages it may import. */
  internal: readonly string[];
  /**
   * Portable: no `node:` (or bare Node built-in) imports and no `Buffer`/`process` globals in
   * src/, so it runs in browsers, Deno, Bun and workers. `except` lists src/ files (or folders,
   * ending in /) that are the package's Node-only entry points.
   */
  portable: false | { except: readonly string[] };
}

export const RULES: Readonly<Record<string, PackageRule>> = {
  // The one error model: dependency-free, so every package may build on it (docs/architecture.md).
  errors: { internal: [], portable: { except: [] } },
  'binary-node': { internal: ['errors'], portable: { except: [] } },
  proto: { internal: ['errors'], portable: { except: [] } },
  crypto: { internal: ['errors'], portable: { except: ['node/', 'node.ts', 'node-provider.ts'] } },
  noise: { internal: ['errors', 'crypto', 'proto'], portable: { except: [] } },
  signal: { internal: ['errors', 'crypto'], portable: { except: [] } },
  client: { internal: ['errors', 'binary-node', 'proto', 'crypto', 'noise', 'signal'], portable: false },
  features: { internal: ['errors', 'client', 'binary-node'], portable: false },
  wakit: { internal: ['errors', 'client', 'features'], portable: false },
  server: { internal: ['errors', 'binary-node', 'proto', 'crypto', 'noise', 'signal'], portable: false },
};

/** Globals that exist only on Node; portable code must not mention them. */
export const NODE_ONLY_GLOBALS: readonly string[] = [
  'Buffer',
  'process',
  '__dirname',
  '__filename',
  'require',
];
