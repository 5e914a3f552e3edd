/**
 * The QR string a companion shows (docs/protocol.md §5.2): `ref,base64(noisePub),base64(identityPub),
 * base64(advSecret),platform`. Whatsmeow and Baileys prefix it with the linked-devices deep link,
 * whatsapp-rust does not; like whatsapp-rust's parser we accept both.
 */
import { fromBase64 } from './_bytes';
import { PhonePairingError } from './errors';

/** The deep-link prefix whatsmeow and Baileys put in front of the QR data. */
export const QR_DEEP_LINK_PREFIX = 'https://wa.me/settings/linked_devices#';

/** What a phone reads from a companion's QR code. */
export interface QrData {
  /** One of the refs the server sent in `<pair-device>`. */
  ref: string;
  /** The companion's Noise static public key (32 bytes). */
  noiseKey: Uint8Array;
  /** The companion's Signal identity public key (32 bytes). */
  identityKey: Uint8Array;
  /** The 32-byte secret the pair-success HMAC is keyed with. */
  advSecret: Uint8Array;
  /** The client-type character (`1` Chrome ... `9` other web client). */
  platform: string;
}

/**
 * Parses a QR string, with or without the deep-link prefix.
 *
 * @throws PhonePairingError (`malformed-qr`) when a field is missing or a key has the wrong length.
 */
export function parseQr(qr: string): QrData {
  const data = qr.startsWith(QR_DEEP_LINK_PREFIX) ? qr.slice(QR_DEEP_LINK_PREFIX.length) : qr;
  const parts = data.split(',');
  if (parts.length !== 5) {
    throw new PhonePairingError('malformed-qr', `expected 5 comma-separated fields, got ${parts.length}`);
  }
  const [ref, noise, identity, adv, platform] = parts as [string, string, string, string, string];
  const key = (name: string, text: string): Uint8Array => {
    const bytes = fromBase64(text);
    if (bytes?.length !== 32) {
      throw new PhonePairingError('malformed-qr', `"${name}" expected 32 bytes of base64, got "${text}"`);
    }
    return bytes;
  };
  if (ref.length === 0) throw new PhonePairingError('malformed-qr', 'the ref is empty');
  return {
    ref,
    noiseKey: key('noiseKey', noise),
    identityKey: key('identityKey', identity),
    advSecret: key('advSecret', adv),
    platform,
  };
}
