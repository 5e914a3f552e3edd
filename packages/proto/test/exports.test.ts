import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as bufbuild from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import * as proto from '../src/index.ts';
import { create, type HandshakeMessage, HandshakeMessageSchema, PROTO_WA_VERSION } from '../src/index.ts';

const SRC_DIR = fileURLToPath(new URL('../src', import.meta.url));

describe('@wakit/proto entry', () => {
  it.each([
    'HandshakeMessageSchema',
    'ClientPayloadSchema',
    'CertChainSchema',
    'CertChain_NoiseCertificate_DetailsSchema',
    'ADVSignedDeviceIdentityHMACSchema',
    'ADVSignedDeviceIdentitySchema',
    'ADVDeviceIdentitySchema',
    'DevicePropsSchema',
    'ClientPairingPropsSchema',
    'MessageSchema',
    'MessageKeySchema',
    'MessageContextInfoSchema',
    'WebMessageInfoSchema',
    'SyncdPatchSchema',
    'SyncdSnapshotSchema',
    'SyncActionValueSchema',
    'HistorySyncSchema',
    'ADVEncryptionTypeSchema',
  ])('exports %s', (name) => {
    const schema = (proto as Record<string, unknown>)[name] as { typeName?: string } | undefined;
    expect(schema?.typeName).toBe(`whatsapp.${name.replace(/Schema$/, '').replaceAll('_', '.')}`);
  });

  it.each([
    ['create', proto.create, bufbuild.create],
    ['toBinary', proto.toBinary, bufbuild.toBinary],
    ['clone', proto.clone, bufbuild.clone],
    ['equals', proto.equals, bufbuild.equals],
    ['isMessage', proto.isMessage, bufbuild.isMessage],
    ['toJson', proto.toJson, bufbuild.toJson],
    ['fromJson', proto.fromJson, bufbuild.fromJson],
  ] as const)('re-exports the protobuf-es runtime function %s itself', (_name, ours, theirs) => {
    expect(ours).toBe(theirs);
  });

  it('exports message types usable on their own', () => {
    const hello: HandshakeMessage = create(HandshakeMessageSchema, { clientHello: { useExtended: true } });
    expect(hello.$typeName).toBe('whatsapp.HandshakeMessage');
  });

  it('states the WhatsApp Web version of the schema', () => {
    expect(PROTO_WA_VERSION).toMatch(/^2\.\d{4}\.\d+$/);
  });

  it('stays portable: no node: imports and no Buffer anywhere in src', () => {
    const files = readdirSync(SRC_DIR, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const code = readFileSync(join(SRC_DIR, file), 'utf8');
      expect(code, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\b/);
    }
  });
});
