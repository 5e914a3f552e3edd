/**
 * Proof that a split changed nothing but file boundaries: every top-level message and enum of the
 * original file, compiled again from the split files, has a byte-identical descriptor (fields,
 * numbers, types resolved to the same fully qualified names, options, defaults, oneofs, nested
 * types, JSON names), and each appears in exactly one split file with the original package.
 */
import { toBinary } from '@bufbuild/protobuf';
import {
  DescriptorProtoSchema,
  EnumDescriptorProtoSchema,
  type FileDescriptorProto,
  type FileDescriptorSet,
} from '@bufbuild/protobuf/wkt';

function fingerprints(file: FileDescriptorProto): Map<string, string> {
  const prints = new Map<string, string>();
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  for (const m of file.messageType) prints.set(m.name, hex(toBinary(DescriptorProtoSchema, m)));
  for (const e of file.enumType) prints.set(e.name, hex(toBinary(EnumDescriptorProtoSchema, e)));
  return prints;
}

/** Throws, listing every difference, unless `split` declares exactly what `original` declares. */
export function verifySplit(original: FileDescriptorProto, split: FileDescriptorSet): void {
  const expected = fingerprints(original);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of split.file) {
    if (file.package !== original.package) problems.push(`${file.name}: package "${file.package}"`);
    if (file.syntax !== original.syntax) problems.push(`${file.name}: syntax "${file.syntax}"`);
    for (const [name, print] of fingerprints(file)) {
      if (seen.has(name)) problems.push(`${name}: declared twice`);
      seen.add(name);
      const want = expected.get(name);
      if (want === undefined) problems.push(`${name} (${file.name}): not in the original`);
      else if (want !== print) problems.push(`${name} (${file.name}): descriptor differs from the original`);
    }
  }
  for (const name of expected.keys()) if (!seen.has(name)) problems.push(`${name}: missing from the split`);
  if (problems.length > 0) throw new Error(`the proto split is not faithful:\n  ${problems.join('\n  ')}`);
}
