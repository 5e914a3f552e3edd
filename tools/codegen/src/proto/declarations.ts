/**
 * The top-level declarations of one compiled .proto file: each message or enum with its verbatim
 * source text and the other top-level declarations it refers to. Nested types belong to their
 * top-level parent (they cannot live in another file), so a reference to `Message.ImageMessage`
 * counts as a reference to `Message`.
 *
 * Source text is cut by whole lines from the compiler's source info, never re-printed from the
 * descriptor: field numbers, options and defaults stay exactly as upstream wrote them. The subset of
 * proto the cut supports is checked, and anything else (imports, options, services, extensions,
 * two declarations on one line) is an error rather than silently dropped. Detached comments (such as
 * the file's `/// WhatsApp Version` banner) describe no declaration and are not carried over.
 */
import type { DescriptorProto, FileDescriptorProto } from '@bufbuild/protobuf/wkt';

/** One top-level message or enum. */
export interface Declaration {
  /** Name within the package, e.g. `Message`. */
  name: string;
  kind: 'message' | 'enum';
  /** Position in the source file; the split keeps declarations in this order. */
  index: number;
  /** The declaration's source lines (with any attached `//` comment lines), verbatim. */
  text: string;
  /** Names of the other top-level declarations its fields (or its nested types' fields) use. */
  references: string[];
}

// FileDescriptorProto field numbers, used as source-info paths.
const MESSAGE_TYPE_FIELD = 4;
const ENUM_TYPE_FIELD = 5;

function unsupported(file: FileDescriptorProto, what: string): never {
  throw new Error(`${file.name}: the proto splitter does not support ${what}`);
}

function checkSupported(file: FileDescriptorProto): void {
  if (!['', 'proto2', 'proto3'].includes(file.syntax)) unsupported(file, `syntax "${file.syntax}"`);
  if (file.dependency.length > 0) unsupported(file, 'imports');
  if (file.service.length > 0) unsupported(file, 'services');
  if (file.extension.length > 0) unsupported(file, 'extensions');
  if (file.options !== undefined) unsupported(file, 'file options');
  if (!file.sourceCodeInfo) unsupported(file, 'descriptors without source info');
}

/** Map every fully qualified type name (".pkg.Outer.Inner") to its top-level declaration name. */
function ownersOf(file: FileDescriptorProto): Map<string, string> {
  const owners = new Map<string, string>();
  const prefix = file.package ? `.${file.package}` : '';
  const visit = (message: DescriptorProto, scope: string, top: string) => {
    const name = `${scope}.${message.name}`;
    owners.set(name, top);
    for (const nested of message.nestedType) visit(nested, name, top);
    for (const nested of message.enumType) owners.set(`${name}.${nested.name}`, top);
  };
  for (const message of file.messageType) visit(message, prefix, message.name);
  for (const en of file.enumType) owners.set(`${prefix}.${en.name}`, en.name);
  return owners;
}

function referencesOf(
  file: FileDescriptorProto,
  message: DescriptorProto,
  owners: Map<string, string>,
): string[] {
  const found = new Set<string>();
  const visit = (m: DescriptorProto) => {
    if (m.extension.length > 0) unsupported(file, `extensions (in ${m.name})`);
    for (const field of m.field) {
      if (!field.typeName) continue;
      const owner = owners.get(field.typeName);
      // A type from outside the file would need an import, which checkSupported already rejected.
      if (owner === undefined)
        throw new Error(`${file.name}: ${m.name}.${field.name} uses unknown ${field.typeName}`);
      if (owner !== message.name) found.add(owner);
    }
    for (const nested of m.nestedType) visit(nested);
  };
  visit(message);
  return [...found].sort();
}

/**
 * Read the top-level declarations of `file` (compiled from `source`, with source info).
 * Throws on constructs the line-based cut cannot carry over faithfully.
 */
export function readDeclarations(file: FileDescriptorProto, source: string): Declaration[] {
  checkSupported(file);
  const lines = source.split('\n');
  const owners = ownersOf(file);
  const spans = new Map<string, number[]>();
  for (const location of file.sourceCodeInfo!.location) {
    const [field, index] = location.path;
    if (location.path.length !== 2 || (field !== MESSAGE_TYPE_FIELD && field !== ENUM_TYPE_FIELD)) continue;
    spans.set(`${field}/${index}`, location.span);
  }

  const cut = (field: number, index: number, name: string, keyword: string) => {
    const span = spans.get(`${field}/${index}`);
    if (!span) unsupported(file, `a declaration without source info (${name})`);
    const first = span[0]!;
    const last = span.length === 4 ? span[2]! : first;
    if (
      !lines[first]!.trimStart().startsWith(`${keyword} ${name}`) ||
      !lines[last]!.trimEnd().endsWith('}')
    ) {
      unsupported(file, `${name} sharing its first or last line with other text`);
    }
    let start = first;
    while (start > 0 && lines[start - 1]!.trimStart().startsWith('//')) start--;
    return { start, end: last, text: lines.slice(start, last + 1).join('\n') };
  };

  type Cut = Omit<Declaration, 'index'> & { start: number; end: number };
  const cuts: Cut[] = [];
  for (const [i, message] of file.messageType.entries()) {
    const references = referencesOf(file, message, owners);
    cuts.push({
      name: message.name,
      kind: 'message',
      references,
      ...cut(MESSAGE_TYPE_FIELD, i, message.name, 'message'),
    });
  }
  for (const [i, en] of file.enumType.entries()) {
    cuts.push({ name: en.name, kind: 'enum', references: [], ...cut(ENUM_TYPE_FIELD, i, en.name, 'enum') });
  }
  cuts.sort((a, b) => a.start - b.start);
  for (let i = 1; i < cuts.length; i++) {
    if (cuts[i]!.start <= cuts[i - 1]!.end) {
      unsupported(file, `${cuts[i - 1]!.name} and ${cuts[i]!.name} sharing a line`);
    }
  }
  return cuts.map(({ name, kind, text, references }, index) => ({ name, kind, index, text, references }));
}
