/**
 * Splits one compiled .proto file into one file per strongly connected component of its
 * declarations (see components.ts), so that protobuf-es, which embeds one descriptor per .proto
 * file, emits many small descriptors instead of one 200 KB blob that every import would drag in.
 *
 * Every output file keeps the input's syntax and package, so fully qualified names, and therefore
 * the wire format and JSON names, are unchanged; verify.ts proves that on the compiled result.
 */
import type { FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import type { ProtoSource } from './buf.ts';
import { type Component, groupDeclarations } from './components.ts';
import { readDeclarations } from './declarations.ts';

/** The split files and the grouping they were made from. */
export interface SplitProto {
  files: ProtoSource[];
  components: Component[];
}

/** Directory of the split files: the package path, as buf's PACKAGE_DIRECTORY_MATCH expects. */
export function packageDir(file: FileDescriptorProto): string {
  return file.package.replaceAll('.', '/');
}

/**
 * Split `file` (compiled from `source` with source info). `header` lines become a `//` comment at
 * the top of every output file.
 */
export function splitProto(
  file: FileDescriptorProto,
  source: string,
  header: readonly string[] = [],
): SplitProto {
  const components = groupDeclarations(readDeclarations(file, source));
  const dir = packageDir(file);
  const pathOf = (stem: string) => `${dir}/${stem}.proto`;
  const files = components.map((component) => {
    const parts = [
      [...header.map((line) => `// ${line}`.trimEnd()), `syntax = "${file.syntax || 'proto2'}";`].join('\n'),
      `package ${file.package};`,
    ];
    if (component.imports.length > 0) {
      parts.push(component.imports.map((stem) => `import "${pathOf(stem)}";`).join('\n'));
    }
    parts.push(...component.members.map((m) => m.text));
    return { path: pathOf(component.stem), content: `${parts.join('\n\n')}\n` };
  });
  return { files, components };
}
