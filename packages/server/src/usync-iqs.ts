/**
 * `xmlns="usync"` (docs/protocol.md §6.8, §10.6): who is on WhatsApp and with which devices.
 *
 *   <iq type="get" xmlns="usync"><usync sid mode context index last>
 *     <query><devices version="2"/><lid/><contact/></query>
 *     <list><user jid="N@s.whatsapp.net"/><user><contact>+1555…</contact></user></list></usync></iq>
 *   -> <usync sid …><list><user jid="N@s.whatsapp.net">
 *        <devices><device-list><device id="0"/><device id="3" key-index="3"/></device-list>
 *          <key-index-list ts>ADVSignedKeyIndexList</key-index-list></devices>
 *        <lid val="L@lid"/><contact type="in"/></user></list></usync>
 *
 * What clients rely on (Baileys 7 read in lib/WAUSync and lib/Utils/signal.js):
 * - `devices`: device 0 and every companion not removed. A companion without `key-index` is
 *   silently dropped by Baileys, so each carries its index (the device number: the phone issues
 *   index n to device n). Device ids are read in the namespace of the `<user jid>` asked about.
 *   The querying device becomes a subscriber of the account: it is told when the list changes.
 * - `lid`: `<lid val="L@lid"/>` for users asked about by phone number only. Baileys needs it to
 *   start any Signal session, and checks that the answer's `jid` is the one it asked about, so
 *   every `<user jid>` is echoed exactly as written.
 * - `contact`: `<user><contact>+1555…</contact></user>` has no jid; the answer carries
 *   `jid="N@s.whatsapp.net"` (Baileys drops users without one) and `<contact type="in|out"/>`.
 *   With `<contact addressing_mode="lid"/>` (whatsmeow) a known user's jid is its LID and the
 *   number goes in `pn_jid`.
 * - User info (whatsmeow GetUserInfo: mode `full`, context `background`), each decided by the
 *   asked account's privacy as its picture is (profile-view.ts):
 *   `status`: `<status t>UTF-8 text</status>` (bytes: whatsmeow reads only bytes), `<status/>`
 *   when none was ever set, `<status code="401"/>` when hidden (Baileys' USyncStatusProtocol and
 *   whatsapp-rust parse_status read that code as "hidden", an empty string);
 *   `picture`: `<picture id/>`, or `<picture><error code="404" text="item-not-found"/></picture>`
 *   when there is none and `code="401" text="not-authorized"` when hidden (whatsapp-rust requires
 *   an `id` on a `<picture>` without `<error>`, and parses it as a u64);
 *   `disappearing_mode`: `<disappearing_mode duration t/>`, the account's default (§10.2);
 *   `business`: left out: these are no business accounts, and whatsapp-rust takes any
 *   `<business>` node without `<error>` as "is a business" (whatsmeow and Baileys need nothing).
 * - A user the server does not know is not on WhatsApp: an empty device list, `type="out"`, no
 *   `lid`, and none of the user-info protocols. Protocols the server does not keep (business,
 *   username, text_status …) are left out of every user.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { fromUtf8, utf8 } from './_bytes';
import { type Address, accountDevices, resolveAddress, userOf } from './addresses';
import type { IqContext, IqHandler } from './iq-context';
import { keyIndexList } from './key-index-list';
import { child, children, contentBytes, iqError, iqResult } from './nodes';
import { profileVisible } from './profile-view';
import { deviceJid } from './server-state';

/** Answers usync queries from a logged-in device; `undefined` for anything else. */
export const handleUsyncIq: IqHandler = async (ctx, node) => {
  if (node.attrs.xmlns !== 'usync') return undefined;
  if (ctx.device === undefined) return iqError(node, 401, 'not-authorized');
  const usync = child(node, 'usync');
  if (node.attrs.type !== 'get' || usync === undefined) return iqError(node, 400, 'bad-request');
  const query = child(usync, 'query');
  const protocols = new Set(children(query).map((p) => p.tag));
  const lidMode = child(query, 'contact')?.attrs.addressing_mode === 'lid';
  const users: BinaryNode[] = [];
  for (const user of children(child(usync, 'list'), 'user')) {
    users.push(await answerUser(ctx, user, protocols, lidMode));
  }
  const attrs: Record<string, string> = {};
  for (const name of ['sid', 'mode', 'context', 'index', 'last']) {
    if (usync.attrs[name] !== undefined) attrs[name] = usync.attrs[name]!;
  }
  return iqResult(node, [{ tag: 'usync', attrs, content: [{ tag: 'list', attrs: {}, content: users }] }]);
};

async function answerUser(
  ctx: IqContext,
  user: BinaryNode,
  protocols: ReadonlySet<string>,
  lidMode: boolean,
): Promise<BinaryNode> {
  const contactQuery = child(user, 'contact');
  const asked = contactText(contactQuery);
  let jid = user.attrs.jid;
  // `+15550001234` (Baileys) or `15550001234@c.us` (whatsmeow): the digits are the phone number.
  const digits = asked?.replace(/@.*$/, '').replace(/\D/g, '');
  if (jid === undefined && digits !== undefined && digits !== '') jid = deviceJid(digits, 0);
  const address = jid === undefined ? undefined : resolveAddress(ctx.state, jid);
  const attrs: Record<string, string> = {};
  if (user.attrs.jid === undefined && address !== undefined && lidMode) {
    attrs.jid = userOf(address.account, 'lid');
    attrs.pn_jid = userOf(address.account, 'pn');
  } else if (jid !== undefined) {
    attrs.jid = jid;
  }
  const content: BinaryNode[] = [];
  if (protocols.has('devices')) content.push(await devicesNode(ctx, address));
  if (protocols.has('lid') && address?.namespace === 'pn') {
    content.push({ tag: 'lid', attrs: { val: userOf(address.account, 'lid') } });
  }
  if (protocols.has('contact')) {
    const contact: BinaryNode = { tag: 'contact', attrs: { type: address === undefined ? 'out' : 'in' } };
    if (asked !== undefined) contact.content = asked;
    content.push(contact);
  }
  if (address !== undefined) content.push(...userInfo(ctx, address.account.phoneNumber, protocols));
  return { tag: 'user', attrs, content };
}

async function devicesNode(ctx: IqContext, address: Address | undefined): Promise<BinaryNode> {
  if (address === undefined)
    return { tag: 'devices', attrs: {}, content: [{ tag: 'device-list', attrs: {} }] };
  const phoneNumber = address.account.phoneNumber;
  ctx.state.accounts.get(phoneNumber).subscribers.set(ctx.device!.jid, address.namespace);
  const devices = accountDevices(ctx.state, phoneNumber).map(
    (d): BinaryNode => ({
      tag: 'device',
      attrs: d.device === 0 ? { id: '0' } : { id: String(d.device), 'key-index': String(d.device) },
    }),
  );
  const list = await keyIndexList(ctx.state, phoneNumber);
  return {
    tag: 'devices',
    attrs: {},
    content: [
      { tag: 'device-list', attrs: {}, content: devices },
      { tag: 'key-index-list', attrs: { ts: String(list.ts) }, content: list.bytes },
    ],
  };
}

/** The `status`, `picture` and `disappearing_mode` answers for account `owner`, as the asker may see them. */
function userInfo(ctx: IqContext, owner: string, protocols: ReadonlySet<string>): BinaryNode[] {
  const viewer = ctx.device!.phoneNumber;
  const account = ctx.state.accounts.get(owner);
  const content: BinaryNode[] = [];
  if (protocols.has('status')) {
    const about = account.profile.about;
    if (!profileVisible(ctx.state, owner, viewer, 'status')) {
      content.push({ tag: 'status', attrs: { code: '401' } });
    } else if (about === undefined) {
      content.push({ tag: 'status', attrs: {} });
    } else {
      content.push({ tag: 'status', attrs: { t: about.t }, content: utf8(about.text) });
    }
  }
  if (protocols.has('picture')) {
    const picture = account.profile.picture;
    if (!profileVisible(ctx.state, owner, viewer, 'profile')) {
      content.push(errorChild('picture', 401, 'not-authorized'));
    } else if (picture === undefined) {
      content.push(errorChild('picture', 404, 'item-not-found'));
    } else {
      content.push({ tag: 'picture', attrs: { id: picture.id } });
    }
  }
  if (protocols.has('disappearing_mode')) {
    const { duration, t } = account.privacy.disappearingMode;
    content.push({ tag: 'disappearing_mode', attrs: { duration: String(duration), t } });
  }
  return content;
}

/** `<tag><error code text/></tag>`: a usync protocol's answer for one user, refused. */
function errorChild(tag: string, code: number, text: string): BinaryNode {
  return { tag, attrs: {}, content: [{ tag: 'error', attrs: { code: String(code), text } }] };
}

/** The text of `<contact>+1555…</contact>` (string or bytes); undefined when it has none. */
function contactText(contact: BinaryNode | undefined): string | undefined {
  const bytes = contentBytes(contact);
  if (bytes === undefined || bytes.length === 0) return undefined;
  return fromUtf8(bytes);
}
