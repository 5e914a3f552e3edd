/**
 * What the server tells about users (whatsmeow user.go GetUserInfo, whatsapp-rust
 * wacore/src/iq/usync.rs UserInfoSpec), sans-IO: a usync query in mode full, context background.
 *
 *   <usync sid mode=full last=true index=0 context=background>
 *     <query><business><verified_name/></business><status/><picture/><devices version=2/><lid/></query>
 *     <list><user jid=<user>>[<tctoken>bytes</tctoken>]</user>…</list></usync>
 *   -> <user jid><status t>text</status><picture id/><devices><device-list><device id [is_hosted]/>…
 *        </device-list></devices><lid val/><business><verified_name>certificate</verified_name></business></user>
 *
 * The peer's trusted-contact token rides in its `<user>` (the status may be privacy-gated). A
 * protocol the server could not answer for a user carries an `<error>` and is left out.
 */
import {
  type BinaryNode,
  getBinaryContent,
  getChild,
  getChildren,
  getStringContent,
  isLidUser,
} from '@wakit/binary-node';
import { tryUserOf } from '../_users';
import { buildUsyncIq, usyncList } from '../_usync';
import { MalformedFeatureReplyError } from '../errors';
import { buildTcTokenNode } from '../tctoken/tctoken-wire';
import { verifiedNameOf } from './_verified-name';

/** What the server tells about one user. */
export interface UserInfo {
  /** The user, as the server answered for it. */
  jid: string;
  /** The "about" text; absent when unset or hidden. */
  status?: string | undefined;
  /** When the status was set, unix seconds. */
  statusSetAt?: number | undefined;
  /** The current profile picture's id (compare with `getProfilePicture`'s), when there is one to see. */
  pictureId?: string | undefined;
  /** The user's devices (`user:device@server`), device 0 the phone. */
  devices: string[];
  /** The user's LID, when the server gave it. */
  lid?: string | undefined;
  /** The business's verified name, for a verified business. */
  verifiedName?: string | undefined;
}

const UNSIGNED = /^[0-9]{1,15}$/;

/** The query for `users` (user JIDs), each with the token it issued to us when there is one. */
export function buildUserInfoQuery(
  users: readonly { jid: string; tcToken?: Uint8Array | undefined }[],
  sid: string,
): BinaryNode {
  const query: BinaryNode[] = [
    { tag: 'business', attrs: {}, content: [{ tag: 'verified_name', attrs: {} }] },
    { tag: 'status', attrs: {} },
    { tag: 'picture', attrs: {} },
    { tag: 'devices', attrs: { version: '2' } },
    { tag: 'lid', attrs: {} },
  ];
  return buildUsyncIq({
    sid,
    mode: 'full',
    context: 'background',
    protocols: query,
    users: users.map(({ jid, tcToken }) => ({
      tag: 'user',
      attrs: { jid },
      ...(tcToken === undefined ? {} : { content: [buildTcTokenNode(tcToken)] }),
    })),
  });
}

/**
 * Each user's information, by its user JID.
 *
 * @throws MalformedFeatureReplyError without `<usync><list>`, for a user without a valid jid, a
 *   device id or status time that is not a number, or a verified name that is not a certificate.
 */
export function parseUserInfo(reply: BinaryNode): Map<string, UserInfo> {
  const list = usyncList(reply);
  if (list === undefined) throw new MalformedFeatureReplyError('a usync reply without <list>');
  const users = new Map<string, UserInfo>();
  for (const user of getChildren(list, 'user')) {
    const jid = tryUserOf(user.attrs.jid);
    if (jid === undefined) throw new MalformedFeatureReplyError(`a usync user with jid "${user.attrs.jid}"`);
    const info: UserInfo = { jid, devices: devicesOf(jid, answered(user, 'devices')) };
    const status = answered(user, 'status');
    if (status !== undefined) {
      const text = getStringContent(status);
      if (text !== undefined && text !== '') info.status = text;
      if (status.attrs.t !== undefined) info.statusSetAt = unsigned(status.attrs.t, 'a status time');
    }
    const pictureId = answered(user, 'picture')?.attrs.id;
    if (pictureId !== undefined && pictureId !== '') info.pictureId = pictureId;
    const lid = tryUserOf(answered(user, 'lid')?.attrs.val);
    if (lid !== undefined && isLidUser(lid)) info.lid = lid;
    const certificate = answered(answered(user, 'business'), 'verified_name');
    const bytes = certificate === undefined ? undefined : getBinaryContent(certificate);
    const name = certificate?.attrs.name ?? (bytes === undefined ? undefined : verifiedNameOf(bytes));
    if (name !== undefined && name !== '') info.verifiedName = name;
    users.set(jid, info);
  }
  return users;
}

/** The child `tag` of `node` unless it reports an error instead of an answer. */
function answered(node: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  const child = node === undefined ? undefined : getChild(node, tag);
  return child === undefined || getChild(child, 'error') !== undefined ? undefined : child;
}

/** The device JIDs in a `<devices>` answer (hosted devices on the hosted servers, as whatsmeow). */
function devicesOf(user: string, devices: BinaryNode | undefined): string[] {
  const list = devices === undefined ? undefined : getChild(devices, 'device-list');
  if (list === undefined) return [];
  const [name, server] = user.split('@') as [string, string];
  return getChildren(list, 'device').map((device) => {
    const id = unsigned(device.attrs.id, 'a device id');
    const hosted = device.attrs.is_hosted === 'true';
    const host = hosted ? (server === 'lid' ? 'hosted.lid' : 'hosted') : server;
    return id === 0 ? `${name}@${host}` : `${name}:${id}@${host}`;
  });
}

function unsigned(value: string | undefined, what: string): number {
  if (value === undefined || !UNSIGNED.test(value))
    throw new MalformedFeatureReplyError(`${what} "${value}"`);
  return Number(value);
}
