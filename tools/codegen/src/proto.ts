/**
 * @wakit/proto's generated code, from spec/whatspec/proto/WAProto.proto.
 *
 * 1. buf compiles the pinned file (hash-checked against spec/spec.lock.json) into descriptors.
 * 2. split.ts cuts it into one .proto per strongly connected component of its declarations.
 * 3. buf compiles the split set again and verify.ts checks every declaration is unchanged.
 * 4. buf runs the local protoc-gen-es (target=ts) over the split set; index-file.ts adds gen/index.ts.
 * Everything happens in temporary directories; the result is returned in memory for main.ts to
 * write or `--check`.
 */
import { basename, join } from 'node:path';
import type { GeneratedDir } from './generated-dir.ts';
import { bufBuild, bufGenerate } from './proto/buf.ts';
import { renderIndex } from './proto/index-file.ts';
import { splitProto } from './proto/split.ts';
import { verifySplit } from './proto/verify.ts';
import { REPO_ROOT, readSpecFile, SPEC_DIR } from './spec-lock.ts';
import { protoWaVersion } from './spec-versions.ts';

/** Where the generated files live; main.ts owns writing it. */
export const PROTO_GEN_DIR = join(REPO_ROOT, 'packages/proto/src/gen');

/** Generate packages/proto/src/gen from the spec in `specDir` (the repository's spec/ by default). */
export async function generateProto(specDir: string = SPEC_DIR): Promise<GeneratedDir> {
  const { text, lock, repository } = readSpecFile('proto', specDir);
  const waVersion = protoWaVersion(text);
  const compiled = await bufBuild([{ path: basename(lock.path), content: text }]);
  const original = compiled.file[0]!;
  const split = splitProto(original, text, [
    `Split by tools/codegen from spec/${lock.path}. Do not edit.`,
    `Source: ${repository} ${lock.upstreamPath} @ ${lock.commit} (MIT), WhatsApp Web ${waVersion}.`,
  ]);
  verifySplit(original, await bufBuild(split.files));
  const generated = await bufGenerate(split.files);
  const index = renderIndex(
    generated.map((f) => f.path),
    { source: `spec/${lock.path}`, repository, lock, waVersion },
  );
  return { dir: PROTO_GEN_DIR, files: [...generated, index] };
}
