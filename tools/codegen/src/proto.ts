import { join } from 'node:path';
import type { GeneratedDir } from './generated-dir.ts';
import { REPO_ROOT } from './spec-lock.ts';

// Placeholder until the proto generator lands (being written now); returns the current files unchanged.
export function generateProto(): GeneratedDir {
  return { dir: join(REPO_ROOT, 'packages/proto/src/gen'), files: [] };
}
