/**
 * The business name in a usync `<verified_name>`: the content is a `VerifiedNameCertificate`
 * protobuf whose `details` (field 1, bytes) is a `VerifiedNameCertificate.Details` holding
 * `verifiedName` (field 4, string) (WAProto; whatsapp-rust wacore/src/stanza/business.rs reads the
 * name the same way when the node has no `name` attribute). Features may not depend on the proto
 * package (tools/arch-check), and two length-delimited fields need no more than this reader.
 */
import { MalformedFeatureReplyError } from '../errors';

const CERTIFICATE_DETAILS = 1;
const DETAILS_VERIFIED_NAME = 4;

/** The verified name in certificate bytes, or undefined when the certificate has none. */
export function verifiedNameOf(certificate: Uint8Array): string | undefined {
  const details = fieldBytes(certificate, CERTIFICATE_DETAILS);
  const name = details === undefined ? undefined : fieldBytes(details, DETAILS_VERIFIED_NAME);
  if (name === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(name);
  } catch (error) {
    throw new MalformedFeatureReplyError('a verified name that is not UTF-8', { cause: error });
  }
}

/** The last occurrence of length-delimited field `field` (protobuf: the last one wins). */
function fieldBytes(bytes: Uint8Array, field: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    at = key.next;
    const wire = key.value % 8;
    const number = Math.floor(key.value / 8);
    if (wire === 0) at = readVarint(bytes, at).next;
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = readVarint(bytes, at);
      const end = length.next + length.value;
      if (end > bytes.length) throw malformed();
      if (number === field) found = bytes.subarray(length.next, end);
      at = end;
    } else throw malformed();
  }
  if (at !== bytes.length) throw malformed();
  return found;
}

function readVarint(bytes: Uint8Array, start: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let at = start; at < bytes.length && at < start + 10; at += 1) {
    const byte = bytes[at]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
  }
  throw malformed();
}

function malformed(): MalformedFeatureReplyError {
  return new MalformedFeatureReplyError('a verified-name certificate that is not a protobuf');
}
