/**
 * spec/spec.lock.json pins every spec file the generators read: upstream repository, path, commit
 * and sha256. Generators refuse to run on a file whose hash differs from the lock, so a hand edit
 * under spec/ cannot slip into generated code; `npm run spec:update` is the only way to change them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SPEC_DIR = join(REPO_ROOT, 'spec');
export const LOCK_PATH = join(SPEC_DIR, 'spec.lock.json');

export interface LockedFile {
  /** Path under spec/. */
  path: string;
  /** Path in the upstream repository. */
  upstreamPath: string;
  commit: string;
  sha256: string;
  /** WhatsApp Web version the upstream extraction was made from. */
  waVersion: string;
}

export interface SpecLock {
  repository: string;
  license: string;
  files: Record<'tokens' | 'proto', LockedFile>;
}

/** The lock of a spec directory (the repository's spec/ unless another is given, as in tests). */
export function readLock(specDir: string = SPEC_DIR): SpecLock {
  return JSON.parse(readFileSync(join(specDir, 'spec.lock.json'), 'utf8')) as SpecLock;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Read a locked spec file, verifying its hash. */
export function readSpecFile(
  name: keyof SpecLock['files'],
  specDir: string = SPEC_DIR,
): { text: string; lock: LockedFile; repository: string } {
  const spec = readLock(specDir);
  const lock = spec.files[name];
  const bytes = readFileSync(join(specDir, lock.path));
  const actual = sha256(bytes);
  if (actual !== lock.sha256) {
    throw new Error(
      `spec/${lock.path} has sha256 ${actual}, but spec/spec.lock.json pins ${lock.sha256}. ` +
        'Edit spec files only through `npm run spec:update`.',
    );
  }
  return { text: bytes.toString('utf8'), lock, repository: spec.repository };
}
