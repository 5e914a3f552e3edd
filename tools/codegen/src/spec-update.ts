/**
 * Re-pins spec/ to a local checkout of github.com/oxidezap/whatspec: copies the two files the
 * generators read, records commit, sha256 and WhatsApp Web version in spec.lock.json, rewrites
 * SOURCES.md, and regenerates the code that depends on them.
 *
 * Nothing is written until everything has worked: the new spec is staged in a temporary directory
 * and every generator runs against it first, so a broken upstream file leaves spec/ and the
 * generated code untouched.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type GeneratedDir, writeGeneratedDir } from './generated-dir.ts';
import { generateProto } from './proto.ts';
import { type LockedFile, readLock, SPEC_DIR, type SpecLock, sha256 } from './spec-lock.ts';
import { renderSources } from './spec-sources.ts';
import { protoWaVersion, tokensWaVersion } from './spec-versions.ts';
import { withTempDir } from './temp-dir.ts';
import { generateTokens } from './tokens.ts';

/** A generator run against a spec directory. */
export type SpecGenerator = (specDir: string) => GeneratedDir | Promise<GeneratedDir>;

export interface UpdateSpecOptions {
  /** Local checkout of the whatspec repository; its HEAD is what gets pinned. */
  whatspecDir: string;
  /** The spec directory to update (the repository's spec/ unless a test passes another). */
  specDir?: string;
  /** Generators to re-run; their output directories are rewritten. Default: tokens and proto. */
  generators?: readonly SpecGenerator[];
}

const WA_VERSION_OF: Record<keyof SpecLock['files'], (text: string) => string> = {
  tokens: tokensWaVersion,
  proto: protoWaVersion,
};

function git(dir: string, args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
}

/** Update the spec directory from the checkout; returns the new lock. */
export async function updateSpec(options: UpdateSpecOptions): Promise<SpecLock> {
  const { whatspecDir, specDir = SPEC_DIR, generators = [generateTokens, generateProto] } = options;
  const previous = readLock(specDir);
  const commit = git(whatspecDir, ['rev-parse', 'HEAD']);
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`${whatspecDir}: unexpected commit id "${commit}"`);
  const upstreamPaths = Object.values(previous.files).map((f) => f.upstreamPath);
  const dirty = git(whatspecDir, ['status', '--porcelain', '--', ...upstreamPaths]);
  if (dirty) throw new Error(`${whatspecDir} has local changes, so HEAD would not describe them:\n${dirty}`);

  const contents = new Map<string, Buffer>();
  const files = {} as SpecLock['files'];
  for (const [name, old] of Object.entries(previous.files) as [keyof SpecLock['files'], LockedFile][]) {
    const bytes = readFileSync(join(whatspecDir, old.upstreamPath));
    const text = bytes.toString('utf8');
    contents.set(old.path, bytes);
    files[name] = { ...old, commit, sha256: sha256(bytes), waVersion: WA_VERSION_OF[name](text) };
  }
  const lock: SpecLock = { ...previous, files };
  const lockJson = `${JSON.stringify(lock, null, 2)}\n`;
  const sources = renderSources(lock, contents.get(files.tokens.path)!.toString('utf8'));

  const writeSpec = (dir: string) => {
    for (const [path, bytes] of contents) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    writeFileSync(join(dir, 'spec.lock.json'), lockJson);
    writeFileSync(join(dir, 'SOURCES.md'), sources);
  };
  const generated = await withTempDir('wakit-spec-', async (staged) => {
    cpSync(specDir, staged, { recursive: true });
    writeSpec(staged);
    const out: GeneratedDir[] = [];
    for (const generate of generators) out.push(await generate(staged));
    return out;
  });
  writeSpec(specDir);
  for (const dir of generated) writeGeneratedDir(dir);
  return lock;
}
