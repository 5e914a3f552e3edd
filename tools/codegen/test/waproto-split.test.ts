import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bufBuild } from '../src/proto/buf.ts';
import type { Component } from '../src/proto/components.ts';
import { splitProto } from '../src/proto/split.ts';
import { readSpecFile } from '../src/spec-lock.ts';

describe('the split of the pinned WAProto.proto', () => {
  let components: Component[];
  beforeAll(async () => {
    const { text, lock } = readSpecFile('proto');
    const file = (await bufBuild([{ path: basename(lock.path), content: text }])).file[0]!;
    components = splitProto(file, text).components;
  });
  const named = (stem: string) => components.find((c) => c.stem === stem);

  it('covers all 248 messages and 20 enums, each exactly once', () => {
    const names = components.flatMap((c) => c.members.map((m) => m.name));
    expect(names).toHaveLength(268);
    expect(new Set(names).size).toBe(268);
    expect(components.flatMap((c) => c.members).filter((m) => m.kind === 'enum')).toHaveLength(20);
  });

  it('keeps the Message <-> ContextInfo cycle together in message.proto', () => {
    expect(named('message')?.members.map((m) => m.name)).toEqual(
      expect.arrayContaining(['Message', 'ContextInfo', 'EmbeddedMessage', 'InteractiveAnnotation']),
    );
  });

  it('gives the handshake and pairing messages files of their own', () => {
    expect(named('handshake_message')?.members.map((m) => m.name)).toEqual(['HandshakeMessage']);
    expect(named('handshake_message')?.imports).toEqual([]);
    expect(named('cert_chain')?.members.map((m) => m.name)).toEqual(['CertChain']);
    expect(named('client_payload')?.members.map((m) => m.name)).toEqual(['ClientPayload']);
    expect(named('adv_signed_device_identity_hmac')?.imports).toEqual(['adv_encryption_type']);
  });

  it('splits into many small files: only a few declarations share one', () => {
    const sizes = components.map((c) => c.members.length).sort((a, b) => b - a);
    expect(components.length).toBeGreaterThan(250);
    expect(sizes[0]).toBeLessThanOrEqual(10);
    expect(sizes.filter((s) => s > 1)).toHaveLength(2);
  });
});
