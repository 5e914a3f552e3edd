/**
 * The two buf commands the proto generator needs, run with the binary and plugin installed in
 * node_modules (versions pinned by package-lock.json). Inputs are plain directories of .proto files
 * with no dependencies, so neither command touches the network or the Buf Schema Registry.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromBinary } from '@bufbuild/protobuf';
import { type FileDescriptorSet, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { REPO_ROOT } from '../spec-lock.ts';
import { withTempDir } from '../temp-dir.ts';

const BIN_DIR = join(REPO_ROOT, 'node_modules/.bin');
// buf.yaml and buf.gen.yaml sit next to this file, inside the generator's turbo inputs.
const CONFIG_DIR = fileURLToPath(new URL('.', import.meta.url));

function runBuf(args: string[], cwd: string): void {
  try {
    execFileSync(join(BIN_DIR, 'buf'), args, {
      cwd,
      // buf.gen.yaml names the plugin `protoc-gen-es`; putting node_modules/.bin first on PATH makes
      // buf run the locally installed one whatever else the machine has.
      env: { ...process.env, PATH: `${BIN_DIR}${delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`buf ${args[0]} failed:\n${stderr}`, { cause: error });
  }
}

/** Files of a buf input directory, paths relative to it ("whatsapp/message.proto"). */
export interface ProtoSource {
  path: string;
  content: string;
}

function writeSources(dir: string, sources: readonly ProtoSource[]): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(CONFIG_DIR, 'buf.yaml'), join(dir, 'buf.yaml'));
  for (const source of sources) {
    const target = join(dir, source.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, source.content);
  }
}

/**
 * Compile .proto sources into descriptors (with source info: the splitter needs each declaration's
 * line span). Throws with buf's diagnostics when they do not compile.
 */
export function bufBuild(sources: readonly ProtoSource[]): Promise<FileDescriptorSet> {
  return withTempDir('wakit-buf-build-', (dir) => {
    writeSources(dir, sources);
    const out = join(dir, 'image.binpb');
    runBuf(['build', '.', '--as-file-descriptor-set', '-o', out], dir);
    return fromBinary(FileDescriptorSetSchema, readFileSync(out));
  });
}

/** Run protoc-gen-es (buf.gen.yaml next to this file) over the sources; returns the generated files. */
export function bufGenerate(sources: readonly ProtoSource[]): Promise<ProtoSource[]> {
  return withTempDir('wakit-buf-generate-', (dir) => {
    const input = join(dir, 'in');
    const output = join(dir, 'out');
    writeSources(input, sources);
    runBuf(['generate', input, '--template', join(CONFIG_DIR, 'buf.gen.yaml'), '--output', output], dir);
    return readdirSync(output, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const absolute = join(entry.parentPath, entry.name);
        return { path: absolute.slice(output.length + 1), content: readFileSync(absolute, 'utf8') };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  });
}
