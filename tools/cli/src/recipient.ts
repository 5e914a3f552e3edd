/**
 * The `<to>` of `wakit send`: a phone number as people write it, or a user's JID as the client
 * and `wakit listen` print it. Checked with patterns rather than `parseJid` of
 * @wakit/binary-node, which would load the codec's token tables for every `wakit` start.
 */
import { UsageError } from './errors';

// docs/protocol.md §4: `user[:device]@server`; PN users carry the number's digits, LIDs are opaque
// digit strings. A device part (`:3`) names one device, which a 1:1 send never does: it goes to
// every device of the user (the agent form `user.agent:device` is accepted only to say so).
const PN_JID = /^\d{5,20}@s\.whatsapp\.net$/;
const LID_JID = /^\d{1,24}@lid$/;
const DEVICE_JID = /^\d+(?:\.\d+)?:\d+@(?:s\.whatsapp\.net|lid)$/;

/**
 * The user JID `wakit send` sends to, from its `<to>` argument: `+1 555 000 1234` or
 * `15550001234` (the number's digits after removing `+`, spaces, dashes, dots and parentheses)
 * becomes `15550001234@s.whatsapp.net`; `…@s.whatsapp.net` and `…@lid` user JIDs are kept.
 *
 * @throws UsageError for anything else, with what was wrong (a group, a device JID, too few digits).
 * @example
 * ```ts
 * parseRecipient('+1 (555) 000-1234'); // '15550001234@s.whatsapp.net'
 * ```
 */
export function parseRecipient(to: string): string {
  const trimmed = to.trim();
  if (trimmed.includes('@')) {
    if (PN_JID.test(trimmed) || LID_JID.test(trimmed)) return trimmed;
    if (trimmed.endsWith('@g.us')) {
      throw new UsageError(`${JSON.stringify(to)} is a group; wakit send writes to one person`, 'send');
    }
    if (DEVICE_JID.test(trimmed)) {
      const user = trimmed.replace(/(?:\.\d+)?:\d+@/, '@');
      throw new UsageError(
        `${JSON.stringify(to)} names one device; give the user, ${JSON.stringify(user)}`,
        'send',
      );
    }
    throw new UsageError(
      `<to> expected a phone number or a user JID (…@s.whatsapp.net, …@lid), got ${JSON.stringify(to)}`,
      'send',
    );
  }
  const digits = trimmed.replace(/[\s\-+().]/g, '');
  if (!/^\d{5,20}$/.test(digits)) {
    throw new UsageError(
      `<to> expected a phone number in international format (country code first), got ${JSON.stringify(to)}`,
      'send',
    );
  }
  return `${digits}@s.whatsapp.net`;
}
