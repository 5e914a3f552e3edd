/**
 * QR pairing (docs/protocol.md §5.2): the server sends `<iq type="set"><pair-device><ref>…</ref>…`, the
 * client acknowledges at once and shows one QR code per ref, the first for 60 s and each later one
 * for 20 s; when the refs run out the client gives up (the server closes too, ≈160 s in all).
 */
import {
  type BinaryNode,
  getChildOrThrow,
  getChildren,
  getStringContent,
  readAttrs,
} from '@wakit/binary-node';
import type { DeviceCredentials } from '../store/store';
import { SERVER } from './_stanza';
import { companionPlatformId, DEFAULT_BROWSER } from './companion-platform';

/** How long the first QR code stays valid. */
export const FIRST_QR_TIMEOUT_MS = 60_000;
/** How long each later QR code stays valid. */
export const NEXT_QR_TIMEOUT_MS = 20_000;

/**
 * Prefix that makes the QR string a deep link the phone's own camera app opens. whatsmeow and
 * Baileys always send it; whatsapp-rust does not (its parser accepts both). docs/protocol.md §5.2
 * DISAGREE: the two-reference majority wins, and the linked-devices scanner reads both forms.
 */
export const QR_DEEP_LINK_PREFIX = 'https://wa.me/settings/linked_devices#';

// A ref is opaque printable ASCII; a comma would shift every later field of the QR string.
const VALID_REF = /^[\x21-\x2b\x2d-\x7e]+$/;
const VALID_PLATFORM_CHAR = /^[0-9a-f]$/;

/**
 * The QR string for one ref: `ref,base64(noise pub),base64(identity pub),base64(adv secret),type`.
 *
 * @param platformChar the client-type character (`companionPlatformId`), `1` = Chrome.
 */
export function makeQrData(ref: string, credentials: DeviceCredentials, platformChar: string): string {
  checkPlatformChar(platformChar);
  const fields = [
    ref,
    base64(credentials.noiseKey.publicKey),
    base64(credentials.identityKey.publicKey),
    base64(credentials.advSecretKey),
    platformChar,
  ];
  return QR_DEEP_LINK_PREFIX + fields.join(',');
}

/** Standard base64 with padding (RFC 4648 §4), as the QR string carries the keys. */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * From the server's `<iq><pair-device><ref>…`: the ack IQ to send and the QR strings, in order.
 * Children that are not a usable `<ref>` are skipped (whatsmeow does the same), so the list can be
 * empty; the ack is still owed then.
 *
 * @param platformChar client-type character; default that of `DEFAULT_BROWSER` (`1`, Chrome).
 * @throws AttrsError when the iq has no `id`; MissingChildError when it has no `<pair-device>`.
 *
 * @example
 * const { ack, qrs } = handlePairDevice(iq, credentials);
 * await send(ack);
 * show(qrs[0]); // then qrs[1] after FIRST_QR_TIMEOUT_MS, each next after NEXT_QR_TIMEOUT_MS
 */
export function handlePairDevice(
  iq: BinaryNode,
  credentials: DeviceCredentials,
  platformChar: string = companionPlatformId(DEFAULT_BROWSER),
): { ack: BinaryNode; qrs: string[] } {
  checkPlatformChar(platformChar);
  const attrs = readAttrs(iq);
  const id = attrs.string('id');
  attrs.check();
  const pairDevice = getChildOrThrow(iq, 'pair-device');
  const qrs: string[] = [];
  for (const refNode of getChildren(pairDevice, 'ref')) {
    const ref = getStringContent(refNode);
    if (ref !== undefined && VALID_REF.test(ref)) qrs.push(makeQrData(ref, credentials, platformChar));
  }
  return { ack: { tag: 'iq', attrs: { to: SERVER, type: 'result', id } }, qrs };
}

function checkPlatformChar(platformChar: string): void {
  if (!VALID_PLATFORM_CHAR.test(platformChar)) {
    throw new RangeError(
      `"platformChar" expected one character of [0-9a-f], got ${JSON.stringify(platformChar)}`,
    );
  }
}
