/**
 * Who is who in the messaging demo: the two accounts, and the names the story prints instead of
 * JIDs ("Bob's phone" for device 0, "Bob's client" for a linked device), whichever namespace
 * (PN or LID) a stanza used.
 */
import { tryParseJid } from '@wakit/binary-node';

/** The demo's two people; 555-01xx numbers are reserved for fiction. */
export const CAST = [
  { name: 'Alice', phoneNumber: '15550001234' },
  { name: 'Bob', phoneNumber: '15550001235' },
] as const;

/** One account as the story names it. */
export interface Account {
  readonly name: string;
  /** Digits only, the user part of every PN JID of the account. */
  readonly phoneNumber: string;
  /** The account's LID user JID, known once its phone exists. */
  readonly lid: string;
}

/** `15550001234` as `+1 555 0001 234`, the way the story writes numbers. */
export function formatNumber(phoneNumber: string): string {
  return `+${phoneNumber.slice(0, 1)} ${phoneNumber.slice(1, 4)} ${phoneNumber.slice(4, 8)} ${phoneNumber.slice(8)}`;
}

/** The device label for `jid` ("Bob's phone", "Bob's client"), or the JID itself for a stranger. */
export function deviceName(accounts: readonly Account[], jid: string): string {
  const parsed = tryParseJid(jid);
  const lidUser = (account: Account) => account.lid.split('@')[0];
  const account = accounts.find((a) => parsed?.user === a.phoneNumber || parsed?.user === lidUser(a));
  if (!parsed || !account) return jid;
  // Device 0 is the primary device, the phone; the demo links one client per account.
  return `${account.name}'s ${parsed.device === 0 ? 'phone' : 'client'}`;
}

/**
 * What a receipt of `type` from `device` says about one message, as the story prints it:
 * `delivered to Bob's phone`, `read on Bob's client`, `copied to Alice's phone` (type `sender`:
 * another device of the sender's own account received its copy of the message).
 */
export function receiptPhrase(type: string, device: string): string {
  switch (type) {
    case 'delivery':
      return `delivered to ${device}`;
    case 'read':
      return `read on ${device}`;
    case 'sender':
      return `copied to ${device}`;
    default:
      return `${type} from ${device}`;
  }
}
