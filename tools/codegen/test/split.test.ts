import { describe, expect, it } from 'vitest';
import { bufBuild, bufGenerate } from '../src/proto/buf.ts';
import { readDeclarations } from '../src/proto/declarations.ts';
import { splitProto } from '../src/proto/split.ts';
import { verifySplit } from '../src/proto/verify.ts';

// Small but with every shape the real WAProto has: a cycle through a nested type (Outer.Inner <->
// Loop, like Message <-> ContextInfo), a map with message values, a oneof, defaults, packed
// fields, a top-level enum used from several files, an attached comment and a detached banner.
const SOURCE = `syntax = "proto2";
package demo.v1;

/// Version: 1.2.3

message Outer {
  optional Loop loop = 1;
  optional Inner inner = 2;
  message Inner {
    optional Status status = 1 [default = FAILED];
    map<string, Leaf> leaves = 2;
  }
}

// Loop points back into Outer's nested type.
message Loop {
  optional Outer.Inner back = 1;
  oneof choice {
    string text = 2;
    Leaf leaf = 3;
  }
}

enum Status {
  OK = 0;
  FAILED = 1;
}

message Leaf {
  repeated uint32 values = 1 [packed = true];
}

message Standalone {
  optional bytes data = 7;
}

message UsesLeaf {
  optional Leaf leaf = 1;
  optional Status status = 2 [default = OK];
}
`;

async function compile(source: string) {
  const set = await bufBuild([{ path: 'demo.proto', content: source }]);
  return set.file[0]!;
}

describe('splitting a proto file', () => {
  it('reads each top-level declaration with the declarations it refers to', async () => {
    const declarations = readDeclarations(await compile(SOURCE), SOURCE);
    expect(declarations.map((d) => [d.name, d.kind, d.references])).toEqual([
      ['Outer', 'message', ['Leaf', 'Loop', 'Status']],
      ['Loop', 'message', ['Leaf', 'Outer']],
      ['Status', 'enum', []],
      ['Leaf', 'message', []],
      ['Standalone', 'message', []],
      ['UsesLeaf', 'message', ['Leaf', 'Status']],
    ]);
    expect(declarations[1]!.text).toBe(
      SOURCE.slice(SOURCE.indexOf('// Loop'), SOURCE.indexOf('\n\nenum Status')),
    );
  });

  it('puts a cycle in one file and everything else in its own, importing what each uses', async () => {
    const file = await compile(SOURCE);
    const { components, files } = splitProto(file, SOURCE, ['Split for a test.']);
    expect(components.map((c) => [c.stem, c.members.map((m) => m.name), c.imports])).toEqual([
      ['outer', ['Outer', 'Loop'], ['leaf', 'status']],
      ['status', ['Status'], []],
      ['leaf', ['Leaf'], []],
      ['standalone', ['Standalone'], []],
      ['uses_leaf', ['UsesLeaf'], ['leaf', 'status']],
    ]);
    const outer = files.find((f) => f.path === 'demo/v1/outer.proto')!;
    expect(outer.content).toBe(`// Split for a test.
syntax = "proto2";

package demo.v1;

import "demo/v1/leaf.proto";
import "demo/v1/status.proto";

${SOURCE.slice(SOURCE.indexOf('message Outer'), SOURCE.indexOf('\n\nenum Status'))}
`);
  });

  it('produces files that compile to exactly the original descriptors', async () => {
    const file = await compile(SOURCE);
    const { files } = splitProto(file, SOURCE);
    expect(() => verifySplit(file, { $typeName: 'google.protobuf.FileDescriptorSet', file: [] })).toThrow(
      /Outer: missing from the split/,
    );
    const compiled = await bufBuild(files);
    expect(compiled.file.map((f) => f.name).sort()).toEqual(files.map((f) => f.path).sort());
    verifySplit(file, compiled);
  });

  it('notices a split that changed a field number or lost a declaration', async () => {
    const file = await compile(SOURCE);
    const { files } = splitProto(file, SOURCE);
    const renumbered = files.map((f) => ({
      ...f,
      content: f.content.replace('bytes data = 7', 'bytes data = 8'),
    }));
    await expect(bufBuild(renumbered).then((set) => verifySplit(file, set))).rejects.toThrow(
      /Standalone \(demo\/v1\/standalone.proto\): descriptor differs from the original/,
    );
    const lost = files.filter((f) => !f.path.endsWith('standalone.proto'));
    await expect(bufBuild(lost).then((set) => verifySplit(file, set))).rejects.toThrow(
      /Standalone: missing from the split/,
    );
  });

  it('generates one protobuf-es module per split file', async () => {
    const file = await compile(SOURCE);
    const generated = await bufGenerate(splitProto(file, SOURCE).files);
    expect(generated.map((f) => f.path)).toEqual([
      'demo/v1/leaf_pb.ts',
      'demo/v1/outer_pb.ts',
      'demo/v1/standalone_pb.ts',
      'demo/v1/status_pb.ts',
      'demo/v1/uses_leaf_pb.ts',
    ]);
    const outer = generated.find((f) => f.path === 'demo/v1/outer_pb.ts')!.content;
    expect(outer).toContain('import { file_demo_v1_leaf } from "./leaf_pb.js";');
    expect(outer).toContain('export const LoopSchema');
    expect(outer).toContain(" * Loop points back into Outer's nested type.");
  });

  it.each([
    ['an import', 'import "other.proto";\n', 'imports'],
    ['a service', 'service S {\n  rpc Call(Leaf) returns (Leaf);\n}\n', 'services'],
    ['a file option', 'option java_package = "x";\n', 'file options'],
  ])('refuses to split a file with %s rather than drop it', async (_what, extra, message) => {
    const source = `${SOURCE.replace('package demo.v1;\n', `package demo.v1;\n${extra}`)}`;
    const sources = [
      { path: 'demo.proto', content: source },
      { path: 'other.proto', content: 'syntax = "proto2";\n' },
    ];
    const file = (await bufBuild(sources)).file.find((f) => f.name === 'demo.proto')!;
    expect(() => readDeclarations(file, source)).toThrow(new RegExp(`does not support ${message}`));
  });

  it('refuses two declarations on one line, which a line-based cut would tear apart', async () => {
    const source = `${SOURCE}message A { optional int32 a = 1; } message B { optional int32 b = 1; }\n`;
    const file = await compile(source);
    expect(() => readDeclarations(file, source)).toThrow(/sharing/);
  });
});
