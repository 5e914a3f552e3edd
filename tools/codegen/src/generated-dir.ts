/**
 * A generator produces the complete contents of one directory. Writing replaces the directory's
 * files exactly (stale files are removed); checking compares without touching anything, so
 * `--check` fails on a changed, missing or leftover file alike.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** One generated file, path relative to the directory it belongs to. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** All files of one generated directory. */
export interface GeneratedDir {
  /** Absolute path of the directory the generator owns. */
  dir: string;
  files: GeneratedFile[];
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
  } catch {
    return []; // the directory does not exist yet
  }
}

/** Differences between what is on disk and what the generator produced, as readable lines. */
export function diffGeneratedDir(gen: GeneratedDir): string[] {
  const problems: string[] = [];
  const expected = new Map(gen.files.map((f) => [f.path, f.content]));
  for (const [path, content] of expected) {
    let actual: string | undefined;
    try {
      actual = readFileSync(join(gen.dir, path), 'utf8');
    } catch {
      problems.push(`missing: ${path}`);
      continue;
    }
    if (actual !== content) problems.push(`stale: ${path}`);
  }
  for (const path of listFiles(gen.dir)) {
    if (!expected.has(path)) problems.push(`not generated (remove it): ${path}`);
  }
  return problems.map((p) => `${relative(process.cwd(), gen.dir) || gen.dir}: ${p}`);
}

/**
 * Makes the directory hold exactly the generated files: writes only files whose content changed
 * and removes only leftovers. Never wiping the directory first matters: other packages' type
 * checks read these files through the `@wakit/source` condition, possibly while a generator runs,
 * and must never see a file missing. Unchanged files also keep their mtimes (no rebuild churn).
 */
export function writeGeneratedDir(gen: GeneratedDir): void {
  const expected = new Set(gen.files.map((f) => f.path));
  for (const path of listFiles(gen.dir)) {
    if (!expected.has(path)) rmSync(join(gen.dir, path));
  }
  for (const file of gen.files) {
    const target = join(gen.dir, file.path);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined; // new file
    }
    if (current === file.content) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}
