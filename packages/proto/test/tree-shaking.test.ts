/**
 * Bundles small consumer programs with esbuild and checks that importing one message pulls in its
 * own descriptor and nothing else: the reason the codegen splits WAProto.proto into one file per
 * strongly connected component. Sizes are minified bytes; run with `--reporter verbose` to see them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_ENTRY = join(PACKAGE_DIR, 'src/index.ts');
const GEN_DIR = join(PACKAGE_DIR, 'src/gen/whatsapp');

const HANDSHAKE_ONLY = `
  import { HandshakeMessageSchema, toBinary, create } from 'ENTRY';
  console.log(toBinary(HandshakeMessageSchema, create(HandshakeMessageSchema, { clientHello: {} })));`;
const EVERYTHING = `
  import * as proto from 'ENTRY';
  console.log(proto);`;
// The floor no import of a schema can go below: the protobuf-es runtime the schema needs.
const RUNTIME_ONLY = `
  import { create, toBinary } from '@bufbuild/protobuf';
  import { fileDesc, messageDesc } from '@bufbuild/protobuf/codegenv2';
  console.log(create, toBinary, fileDesc, messageDesc);`;

interface Bundle {
  bytes: number;
  /** Names of the .proto files whose descriptors the bundle embeds. */
  descriptors: string[];
}

/** Minified browser bundle of `program`, with `ENTRY` replaced by the given package entry. */
async function bundle(program: string, entry = SOURCE_ENTRY): Promise<Bundle> {
  const result = await build({
    stdin: { contents: program.replace('ENTRY', entry), resolveDir: PACKAGE_DIR, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    // Workspace packages (@wakit/errors) resolve to their sources, as in every test here.
    conditions: ['@wakit/source'],
    // A build outside the package (the single-file case) still finds the runtime.
    nodePaths: [join(PACKAGE_DIR, 'node_modules'), join(PACKAGE_DIR, '../../node_modules')],
  });
  const code = result.outputFiles[0]!.text;
  // Each embedded descriptor is a base64 FileDescriptorProto: field 1 (name) first, so "C...".
  const descriptors = [...code.matchAll(/"(C[A-Za-z0-9+/]{20,}={0,2})"/g)].map(
    (m) => fromBinary(FileDescriptorProtoSchema, Buffer.from(m[1]!, 'base64')).name,
  );
  return { bytes: result.outputFiles[0]!.contents.length, descriptors: descriptors.sort() };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('tree shaking', () => {
  let runtime: Bundle;
  beforeAll(async () => {
    runtime = await bundle(RUNTIME_ONLY);
  });

  describe('from the source entry (one module per generated file, "sideEffects": false)', () => {
    it('bundles only the HandshakeMessage descriptor for a handshake-only program', async () => {
      const handshake = await bundle(HANDSHAKE_ONLY);
      const everything = await bundle(EVERYTHING);
      console.info(
        `HandshakeMessage only: ${kb(handshake.bytes)} (runtime alone ${kb(runtime.bytes)}); everything: ${kb(everything.bytes)}`,
      );
      expect(handshake.descriptors).toEqual(['whatsapp/handshake_message.proto']);
      // (`toJson`/`fromJson` bring a few google/protobuf descriptors of their own.)
      const waDescriptors = everything.descriptors.filter((name) => name.startsWith('whatsapp/'));
      expect(waDescriptors).toHaveLength(readdirSync(GEN_DIR).length);
      // The descriptor itself costs about a kilobyte over the runtime every schema needs anyway.
      expect(handshake.bytes - runtime.bytes).toBeLessThan(4 * 1024);
      expect(handshake.bytes).toBeLessThan(everything.bytes / 5);
    });

    it('bundles a message with exactly the files it depends on', async () => {
      const program = `import { CertChainSchema, ADVSignedDeviceIdentityHMACSchema, fromBinary } from 'ENTRY';
        console.log(fromBinary(CertChainSchema, new Uint8Array()), ADVSignedDeviceIdentityHMACSchema);`;
      const { descriptors } = await bundle(program);
      // ADVSignedDeviceIdentityHMAC.accountType is an ADVEncryptionType, declared in its own file.
      expect(descriptors).toEqual([
        'whatsapp/adv_encryption_type.proto',
        'whatsapp/adv_signed_device_identity_hmac.proto',
        'whatsapp/cert_chain.proto',
      ]);
    });
  });

  describe('from a single-file build like dist/index.js (tsup bundles the package)', () => {
    let dir: string;
    let singleFile: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wakit-proto-bundle-'));
      singleFile = join(dir, 'index.js');
      const result = await build({
        entryPoints: [SOURCE_ENTRY],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        external: ['@bufbuild/protobuf', '@wakit/errors'],
        write: false,
        logLevel: 'silent',
      });
      writeFileSync(singleFile, result.outputFiles[0]!.contents);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('emits every enum as a pure IIFE, so unused enums can be dropped', () => {
      const code = readFileSync(singleFile, 'utf8');
      const enumStatements = code.match(/^var \w+ = (\/\* @__PURE__ \*\/ )?\(\(/gm) ?? [];
      expect(enumStatements.length).toBeGreaterThan(200);
      expect(enumStatements.filter((s) => !s.includes('@__PURE__'))).toEqual([]);
    });

    it('still bundles only the HandshakeMessage descriptor, with no module boundaries to help', async () => {
      const handshake = await bundle(HANDSHAKE_ONLY, singleFile);
      const everything = await bundle(EVERYTHING, singleFile);
      console.info(
        `single file: HandshakeMessage only: ${kb(handshake.bytes)}; everything: ${kb(everything.bytes)}`,
      );
      expect(handshake.descriptors).toEqual(['whatsapp/handshake_message.proto']);
      expect(handshake.bytes - runtime.bytes).toBeLessThan(4 * 1024);
      expect(handshake.bytes).toBeLessThan(everything.bytes / 5);
    });
  });

  it('marks every descriptor call in the generated code /*@__PURE__*/', () => {
    let calls = 0;
    for (const file of readdirSync(GEN_DIR)) {
      const code = readFileSync(join(GEN_DIR, file), 'utf8');
      const all = code.match(/\b(fileDesc|messageDesc|enumDesc|extDesc|serviceDesc|tsEnum)\(/g) ?? [];
      const pure =
        code.match(/\/\*@__PURE__\*\/\s*(fileDesc|messageDesc|enumDesc|extDesc|serviceDesc|tsEnum)\(/g) ?? [];
      expect(pure.length, file).toBe(all.length);
      calls += all.length;
    }
    expect(calls).toBeGreaterThan(1000);
  });
});
