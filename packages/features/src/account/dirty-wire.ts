/**
 * Dirty bits (xmlns `urn:xmpp:whatsapp:dirty`), sans-IO. The server marks a kind of account data
 * changed while this device was away and says so at login, then keeps saying so until the device
 * reports it handled (whatsapp-rust wacore/src/iq/dirty.rs, src/handlers/ib.rs):
 *
 *   incoming    <ib><dirty type=<type> [timestamp=<unix seconds>]/>…</ib>
 *   clean       <iq to=s.whatsapp.net type=set xmlns=urn:xmpp:whatsapp:dirty>
 *                 <clean type=<type> [timestamp=<the bit's timestamp>]/>…</iq>
 */
import { type BinaryNode, getChildren } from '@wakit/binary-node';

/**
 * The types the references know: `account_sync` (account settings: privacy, blocklist), `groups`
 * (the groups the account is in), `syncd_app_state` (app-state collections), `newsletter_metadata`.
 * The server may send others; they are passed on as strings.
 */
export const DIRTY_BIT_TYPES = ['account_sync', 'groups', 'syncd_app_state', 'newsletter_metadata'] as const;

/** A dirty bit's type: one of DIRTY_BIT_TYPES, or another the server sent. */
export type DirtyType = (typeof DIRTY_BIT_TYPES)[number] | (string & {});

/** One kind of account data the server says changed. */
export interface DirtyBitEvent {
  type: DirtyType;
  /** When it was marked, in Unix seconds, if the server said. */
  timestamp?: number | undefined;
}

/**
 * The IQ that reports `bits` handled, one `<clean>` each, with the bit's timestamp when it had one.
 *
 * @throws TypeError for an empty type; RangeError for a timestamp that is not a non-negative integer.
 */
export function buildCleanDirtyBits(bits: readonly DirtyBitEvent[]): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'urn:xmpp:whatsapp:dirty' },
    content: bits.map(({ type, timestamp }): BinaryNode => {
      if (typeof type !== 'string' || type === '') {
        throw new TypeError(`"type" expected a dirty-bit type, got ${JSON.stringify(type)}`);
      }
      if (timestamp === undefined) return { tag: 'clean', attrs: { type } };
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new RangeError(`"timestamp" expected Unix seconds (a non-negative integer), got ${timestamp}`);
      }
      return { tag: 'clean', attrs: { type, timestamp: String(timestamp) } };
    }),
  };
}

/**
 * The dirty bits of an `<ib>`. A `<dirty>` without a type is skipped. A timestamp that is not Unix
 * seconds is left out and the bit still reported: whatsapp-rust drops such a bit, but the data it
 * names did change, and a clean without a timestamp is what Baileys sends for most types.
 */
export function parseDirtyBits(ib: BinaryNode): DirtyBitEvent[] {
  const bits: DirtyBitEvent[] = [];
  for (const dirty of getChildren(ib, 'dirty')) {
    const { type, timestamp } = dirty.attrs;
    if (type === undefined || type === '') continue;
    const seconds = Number(timestamp);
    bits.push(
      timestamp !== undefined && /^[0-9]+$/.test(timestamp) && Number.isSafeInteger(seconds)
        ? { type, timestamp: seconds }
        : { type },
    );
  }
  return bits;
}
