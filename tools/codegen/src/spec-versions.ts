/**
 * The WhatsApp Web version each pinned spec file was extracted from, read from the file itself so
 * the lock can never disagree with its content.
 */

/** `/// WhatsApp Version: 2.3000.1044659339` near the top of WAProto.proto. */
export function protoWaVersion(text: string): string {
  const match = /^\/\/\/ WhatsApp Version: (\S+)\s*$/m.exec(text);
  if (!match) throw new Error('WAProto.proto has no "/// WhatsApp Version: x" line');
  return match[1]!;
}

/** The `waVersion` field of the tokens index.json. */
export function tokensWaVersion(text: string): string {
  const { waVersion } = JSON.parse(text) as { waVersion?: unknown };
  if (typeof waVersion !== 'string' || waVersion === '')
    throw new Error('tokens index.json has no waVersion');
  return waVersion;
}
