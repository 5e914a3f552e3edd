import { describe, expect, it } from 'vitest';
import { completeOptional, platformOf } from '../complete-optional.mjs';

describe('platformOf', () => {
  it('reads os, cpu and libc from the naming schemes of rollup, esbuild, turbo, biome and buf', () => {
    expect(platformOf('@rollup/rollup-linux-arm-musleabihf')).toEqual({
      os: ['linux'],
      cpu: ['arm'],
      libc: ['musl'],
    });
    expect(platformOf('@rollup/rollup-win32-x64-msvc')).toEqual({ os: ['win32'], cpu: ['x64'] });
    expect(platformOf('@esbuild/darwin-arm64')).toEqual({ os: ['darwin'], cpu: ['arm64'] });
    expect(platformOf('@turbo/windows-64')).toEqual({ os: ['win32'], cpu: ['x64'] });
    expect(platformOf('@biomejs/cli-linux-x64-musl')).toEqual({
      os: ['linux'],
      cpu: ['x64'],
      libc: ['musl'],
    });
    expect(platformOf('@bufbuild/buf-linux-aarch64')).toEqual({ os: ['linux'], cpu: ['arm64'] });
    expect(platformOf('fsevents')).toEqual({});
  });
});

describe('completeOptional', () => {
  const lock = () => ({
    packages: {
      '': { name: 'root' },
      'node_modules/tool': {
        version: '1.0.0',
        dev: true,
        optionalDependencies: { '@tool/linux-x64': '1.0.0', '@tool/darwin-arm64': '1.0.0' },
      },
      'node_modules/@tool/linux-x64': {
        version: '1.0.0',
        dev: true,
        optional: true,
        os: ['linux'],
        cpu: ['x64'],
      },
      'node_modules/other/node_modules/tool': {
        version: '2.0.0',
        optionalDependencies: { '@tool/darwin-arm64': '2.0.0' },
      },
    },
  });

  it('adds an entry for each optional dependency no lookup path resolves, where Node would look', () => {
    const l = lock();
    expect(completeOptional(l)).toEqual(['@tool/darwin-arm64', '@tool/darwin-arm64']);
    expect(l.packages['node_modules/@tool/darwin-arm64']).toEqual({
      version: '1.0.0',
      dev: true,
      optional: true,
      os: ['darwin'],
      cpu: ['arm64'],
    });
    // The hoisted slot is taken by 1.0.0, so the 2.0.0 one nests under its parent.
    expect(l.packages['node_modules/other/node_modules/tool/node_modules/@tool/darwin-arm64']).toMatchObject({
      version: '2.0.0',
      optional: true,
    });
  });

  it('changes nothing on a complete lockfile', () => {
    const l = lock();
    completeOptional(l);
    const before = JSON.stringify(l);
    expect(completeOptional(l)).toEqual([]);
    expect(JSON.stringify(l)).toBe(before);
  });
});
