/**
 * Who is on WhatsApp (docs/protocol.md §10.6), sans-IO: a usync contact query by phone number.
 *
 *   <iq to=s.whatsapp.net type=get xmlns=usync><usync sid mode=query last=true index=0 context=interactive>
 *     <query><contact/><lid/></query><list><user><contact>+15551234567</contact></user>…</list></usync></iq>
 *   -> <usync><list><user jid=<PN> [pn_jid]><contact type=in|out>+15551234567</contact><lid val/></user>…
 *
 * The `<contact>+digits</contact>` form and the `<lid/>` protocol are whatsapp-rust's
 * (wacore/src/iq/usync.rs); whatsmeow asks the same number as `digits@c.us` with
 * `<contact addressing_mode=lid/>` and gets the LID as `jid` with the number in `pn_jid`. The parser
 * reads both. Answers are matched to the numbers asked by the number the server echoes in
 * `<contact>`, else by the PN it names, never by position.
 */
import {
  type BinaryNode,
  getChild,
  getChildren,
  getStringContent,
  isLidUser,
  isPnUser,
} from '@wakit/binary-node';
import { tryUserOf } from '../_users';
import { buildUsyncIq, usyncList } from '../_usync';
import { MalformedFeatureReplyError } from '../errors';

/** What the server said about one number. */
export interface OnWhatsAppAnswer {
  exists: boolean;
  /** The account's phone-number JID (`15551234567@s.whatsapp.net`), for a number on WhatsApp. */
  jid?: string | undefined;
  /** The account's LID (`…@lid`), when the server gave it. */
  lid?: string | undefined;
}

// E.164 caps a number at 15 digits; a number is at least a country code and a subscriber digit.
const PHONE = /^\+?([0-9]{2,15})$/;

/**
 * The digits of a phone number given with or without a leading `+`.
 *
 * @throws RangeError for anything else: spaces, dashes, letters, a JID, fewer than 2 or more than 15 digits.
 */
export function phoneDigits(phone: string): string {
  const match = typeof phone === 'string' ? PHONE.exec(phone) : null;
  if (match === null) {
    throw new RangeError(
      `a phone number is 2 to 15 digits after an optional "+", got ${JSON.stringify(phone)}`,
    );
  }
  return match[1]!;
}

/** The query for the numbers `digits` (as `phoneDigits` gives them); `sid` is unique to this query. */
export function buildOnWhatsAppQuery(digits: readonly string[], sid: string): BinaryNode {
  return buildUsyncIq({
    sid,
    mode: 'query',
    context: 'interactive',
    protocols: [
      { tag: 'contact', attrs: {} },
      { tag: 'lid', attrs: {} },
    ],
    users: digits.map((number) => ({
      tag: 'user',
      attrs: {},
      content: [{ tag: 'contact', attrs: {}, content: `+${number}` }],
    })),
  });
}

/**
 * The answers by number (digits). A user whose `<contact>` carries an `<error>` (the server could
 * not say, e.g. rate-limited) counts as not on WhatsApp.
 *
 * @throws MalformedFeatureReplyError without `<usync><list>`, or for a user naming no number.
 */
export function parseOnWhatsApp(reply: BinaryNode): Map<string, OnWhatsAppAnswer> {
  const list = usyncList(reply);
  if (list === undefined) throw new MalformedFeatureReplyError('a usync reply without <list>');
  const answers = new Map<string, OnWhatsAppAnswer>();
  for (const user of getChildren(list, 'user')) {
    const contact = getChild(user, 'contact');
    const jid = user.attrs.jid;
    const pnJid = user.attrs.pn_jid;
    const pn = [pnJid, jid]
      .map(tryUserOf)
      .find((candidate) => candidate !== undefined && isPnUser(candidate));
    const echoed = contact === undefined ? undefined : getStringContent(contact);
    const number = digitsOf(echoed) ?? pn?.split('@')[0];
    if (number === undefined) throw new MalformedFeatureReplyError('a usync contact answer naming no number');
    const exists = contact?.attrs.type === 'in' && getChild(contact, 'error') === undefined;
    const lidVal = getChild(user, 'lid')?.attrs.val;
    const lid = [lidVal, jid]
      .map(tryUserOf)
      .find((candidate) => candidate !== undefined && isLidUser(candidate));
    answers.set(number, {
      exists,
      jid: exists ? `${number}@s.whatsapp.net` : undefined,
      lid: exists ? lid : undefined,
    });
  }
  return answers;
}

/** The digits of an echoed `+1555…` or `1555…@c.us`; undefined when there are none. */
function digitsOf(echoed: string | undefined): string | undefined {
  const digits = echoed?.replace(/@.*$/, '').replace(/^\+/, '');
  return digits !== undefined && /^[0-9]+$/.test(digits) ? digits : undefined;
}
