import { describe, expect, it } from 'vitest';
import { protoWaVersion, tokensWaVersion } from '../src/spec-versions.ts';

describe('WhatsApp Web versions of spec files', () => {
  it('reads the version banner of a proto file', () => {
    const proto =
      'syntax = "proto2";\npackage whatsapp;\n\n/// WhatsApp Version: 2.3000.1044659339\n\nmessage A {}\n';
    expect(protoWaVersion(proto)).toBe('2.3000.1044659339');
  });

  it('rejects a proto file without a version banner', () => {
    expect(() => protoWaVersion('syntax = "proto2";\n// WhatsApp Version: 1\n')).toThrow(
      /no "\/\/\/ WhatsApp Version/,
    );
  });

  it('reads waVersion of a token file and rejects one without', () => {
    expect(tokensWaVersion('{"waVersion":"2.3000.1043899084","singleByte":[]}')).toBe('2.3000.1043899084');
    expect(() => tokensWaVersion('{"waVersion":""}')).toThrow(/no waVersion/);
  });
});
