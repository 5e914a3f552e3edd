/**
 * DESIGN.md's dependency direction and portability rules as data. A package missing from this
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
  'binary-node': { internal: [], portable: { except: [] } },
  proto: { internal: [], portable: { except: [] } },
  crypto: { internal: [], portable: { except: ['node/', 'node.ts', 'node-provider.ts'] } },
  noise: { internal: ['crypto', 'proto'], portable: { except: [] } },
  signal: { internal: ['crypto'], portable: { except: [] } },
  client: { internal: ['binary-node', 'proto', 'crypto', 'noise', 'signal'], portable: false },
  features: { internal: ['client', 'binary-node'], portable: false },
  wakit: { internal: ['client', 'features'], portable: false },
  server: { internal: ['binary-node', 'proto', 'crypto', 'noise', 'signal'], portable: false },
};

/** Globals that exist only on Node; portable code must not mention them. */
export const NODE_ONLY_GLOBALS: readonly string[] = [
  'Buffer',
  'process',
  '__dirname',
  '__filename',
  'require',
];
