import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateProto } from '../src/proto.ts';
import { readLock, SPEC_DIR, sha256 } from '../src/spec-lock.ts';
import { renderSources } from '../src/spec-sources.ts';
import { type SpecGenerator, updateSpec } from '../src/spec-update.ts';
import { generateTokens } from '../src/tokens.ts';

const NEW_VERSION = '2.3000.1099999999';
const realLock = readFileSync(join(SPEC_DIR, 'spec.lock.json'), 'utf8');
const realTokens = readFileSync(join(SPEC_DIR, 'whatspec/tokens/index.json'), 'utf8');
const realProto = readFileSync(join(SPEC_DIR, 'whatspec/proto/WAProto.proto'), 'utf8');

function git(dir: string, ...args: string[]): string {
  const identity = [
    '-c',
    'user.name=wakit test',
    '-c',
    'user.email=test@wakit.invalid',
    '-c',
    'commit.gpgsign=false',
  ];
  return execFileSync('git', ['-C', dir, ...identity, ...args], { encoding: 'utf8' }).trim();
}

/** A whatspec checkout with one commit holding the given upstream files. */
function fakeWhatspec(root: string, tokens: string, proto: string): { dir: string; commit: string } {
  const dir = join(root, 'whatspec');
  mkdirSync(join(dir, 'generated/tokens'), { recursive: true });
  mkdirSync(join(dir, 'generated/proto'), { recursive: true });
  writeFileSync(join(dir, 'generated/tokens/index.json'), tokens);
  writeFileSync(join(dir, 'generated/proto/WAProto.proto'), proto);
  git(dir, 'init', '--quiet');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'generated');
  return { dir, commit: git(dir, 'rev-parse', 'HEAD') };
}

describe('npm run spec:update', () => {
  let root: string;
  let specDir: string;
  let outDir: string;
  // The real generators, redirected so the test never writes into the packages.
  const redirected = (name: string, generate: SpecGenerator): SpecGenerator => {
    return async (dir) => ({ ...(await generate(dir)), dir: join(outDir, name) });
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wakit-spec-update-test-'));
    specDir = join(root, 'spec');
    outDir = join(root, 'out');
    cpSync(SPEC_DIR, specDir, { recursive: true });
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    // Whatever happened, the repository's own spec/ is untouched.
    expect(readFileSync(join(SPEC_DIR, 'spec.lock.json'), 'utf8')).toBe(realLock);
  });

  it('pins both files to the checkout HEAD, rewrites the lock and SOURCES.md, and regenerates', async () => {
    const tokens = realTokens.replace(/"waVersion": "[^"]+"/, `"waVersion": "${NEW_VERSION}"`);
    const proto = `${realProto.replace(/^\/\/\/ WhatsApp Version: .+$/m, `/// WhatsApp Version: ${NEW_VERSION}`)}
message WakitAddedUpstream {
  optional string note = 1;
}
`;
    const whatspec = fakeWhatspec(root, tokens, proto);

    const lock = await updateSpec({
      whatspecDir: whatspec.dir,
      specDir,
      generators: [redirected('tokens', generateTokens), redirected('proto', generateProto)],
    });

    const previous = JSON.parse(realLock);
    expect(lock).toEqual({
      ...previous,
      files: {
        tokens: {
          ...previous.files.tokens,
          commit: whatspec.commit,
          sha256: sha256(tokens),
          waVersion: NEW_VERSION,
        },
        proto: {
          ...previous.files.proto,
          commit: whatspec.commit,
          sha256: sha256(proto),
          waVersion: NEW_VERSION,
        },
      },
    });
    expect(readLock(specDir)).toEqual(lock);
    expect(readFileSync(join(specDir, 'spec.lock.json'), 'utf8')).toBe(`${JSON.stringify(lock, null, 2)}\n`);
    expect(readFileSync(join(specDir, 'whatspec/tokens/index.json'), 'utf8')).toBe(tokens);
    expect(readFileSync(join(specDir, 'whatspec/proto/WAProto.proto'), 'utf8')).toBe(proto);
    const sources = readFileSync(join(specDir, 'SOURCES.md'), 'utf8');
    expect(sources).toBe(renderSources(lock, tokens));
    expect(sources).toContain(whatspec.commit);
    expect(sources).not.toContain('different upstream commits');

    expect(readFileSync(join(outDir, 'tokens/tokens.ts'), 'utf8')).toContain(
      `TOKENS_WA_VERSION = "${NEW_VERSION}"`,
    );
    expect(readFileSync(join(outDir, 'proto/index.ts'), 'utf8')).toContain(
      `PROTO_WA_VERSION = "${NEW_VERSION}"`,
    );
    expect(readFileSync(join(outDir, 'proto/whatsapp/wakit_added_upstream_pb.ts'), 'utf8')).toContain(
      `@ ${whatspec.commit} (MIT), WhatsApp Web ${NEW_VERSION}`,
    );
  });

  it('leaves spec/ and the generated code alone when the new proto does not compile', async () => {
    const whatspec = fakeWhatspec(root, realTokens, `${realProto}\nmessage Broken {\n`);
    await expect(
      updateSpec({ whatspecDir: whatspec.dir, specDir, generators: [redirected('proto', generateProto)] }),
    ).rejects.toThrow(/buf build failed/);
    expect(readFileSync(join(specDir, 'spec.lock.json'), 'utf8')).toBe(realLock);
    expect(readFileSync(join(specDir, 'whatspec/proto/WAProto.proto'), 'utf8')).toBe(realProto);
    expect(() => readFileSync(join(outDir, 'proto/index.ts'))).toThrow(/ENOENT/);
  });

  it('refuses a checkout whose files differ from its HEAD', async () => {
    const whatspec = fakeWhatspec(root, realTokens, realProto);
    writeFileSync(join(whatspec.dir, 'generated/proto/WAProto.proto'), `${realProto}// local edit\n`);
    await expect(updateSpec({ whatspecDir: whatspec.dir, specDir, generators: [] })).rejects.toThrow(
      /local changes/,
    );
    expect(readFileSync(join(specDir, 'spec.lock.json'), 'utf8')).toBe(realLock);
  });
});

describe('spec/SOURCES.md', () => {
  it('is what the update would write for the current lock', () => {
    const expected = renderSources(readLock(), realTokens);
    expect(readFileSync(join(SPEC_DIR, 'SOURCES.md'), 'utf8')).toBe(expected);
  });

  it('names repository, license, every file with its commit and sha256, and how to update', () => {
    const lock = readLock();
    const sources = renderSources(lock, realTokens);
    expect(sources).toContain('https://github.com/oxidezap/whatspec');
    expect(sources).toContain('MIT © 2025 João Lucas de Oliveira Lopes');
    for (const file of Object.values(lock.files)) {
      for (const value of [file.upstreamPath, file.commit, file.sha256, file.waVersion])
        expect(sources).toContain(value);
    }
    expect(sources).toContain('npm run spec:update -- --whatspec /path/to/whatspec');
    expect(sources).toContain('baileys@7.0.0-rc14');
  });

  it('withdraws the token verification claim once the token file changes', () => {
    const lock = readLock();
    const changed = {
      ...lock,
      files: { ...lock.files, tokens: { ...lock.files.tokens, sha256: '0'.repeat(64) } },
    };
    expect(renderSources(changed, realTokens)).not.toContain('baileys@7.0.0-rc14');
    expect(renderSources(changed, realTokens)).toContain('changed since the last independent check');
  });
});
