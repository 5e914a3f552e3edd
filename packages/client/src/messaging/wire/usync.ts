/**
 * The device-list query (docs/protocol.md §6.8): which devices a user has, the device-list hash,
 * and the user's LID. The IQ is what Baileys 7 sends before every send on a cache miss
 * (`<devices version="2"/>` and `<lid/>`, context `message`); the reply parser reads what
 * whatsmeow, whatsapp-rust and Baileys read.
 */
import {
  type BinaryNode,
  createJid,
  formatJid,
  getBinaryContent,
  getChild,
  getChildren,
  parseJid,
  readAttrs,
  SERVERS,
  toNonAd,
} from '@wakit/binary-node';
import { SERVER } from '../../_stanzas';
import { checkAttrs, malformed } from './_node';

/** One device in a user's list. */
export interface UsyncDevice {
  /** The device number (0 is the phone). */
  id: number;
  /** `key-index`: the device's index in the signed key-index list (absent for device 0). */
  keyIndex?: number;
  /** `is_hosted="true"`: a hosted (Cloud API) device, addressed on `hosted`/`hosted.lid` (§6.8). */
  isHosted?: true;
}

/** One `<user>` of a usync reply. */
export interface UsyncUser {
  /** The `<user jid>` exactly as the server wrote it (a user JID, in the namespace it was asked in). */
  jid: string;
  /** The devices; empty when the server answered this user with an error. */
  devices: UsyncDevice[];
  /** `<device-list hash>`: the `2:…` hash of the device list, when the server sent one. */
  hash?: string;
  /** `<lid val>`: the user's LID, when the query was by PN and the server knows it. */
  lid?: string;
  /** `<key-index-list>`: the signed key-index list (ADVSignedKeyIndexList bytes) and its time. */
  keyIndexList?: { timestamp: number; signedKeyIndexList?: Uint8Array; expectedTimestamp?: number };
  /** The `<error code text>` the server put in `<devices>` instead of a list. */
  error?: { code: number; text: string };
}

/**
 * `<iq to="@s.whatsapp.net" type="get" xmlns="usync">` asking for the devices and LIDs of `users`:
 * `<usync sid mode="query" last="true" index="0" context="message"><query><devices version="2"/>
 * <lid/></query><list><user jid/>…</list></usync>` (docs/protocol.md §6.8; attribute order as
 * whatsmeow `usync`, protocols as Baileys' `getUSyncDevices`). Devices are stripped from the JIDs.
 *
 * @param users  PN (`…@s.whatsapp.net`) or LID (`…@lid`) JIDs; a device part is ignored.
 * @param sid  the usync session id (any unique string; whatsmeow uses a request id).
 * @throws InvalidJidError for a string that is not a JID; RangeError for a JID on another server.
 * @example
 * const reply = await client.query(buildDeviceQuery(['15551234567@s.whatsapp.net'], client.nextId()));
 * const [user] = parseDeviceQuery(reply);
 */
export function buildDeviceQuery(users: readonly string[], sid: string): BinaryNode {
  const list = users.map((user): BinaryNode => {
    const jid = parseJid(user);
    if (jid.server !== SERVERS.pn && jid.server !== SERVERS.lid) {
      throw new RangeError(`a usync device query takes PN or LID users, got "${user}"`);
    }
    return { tag: 'user', attrs: { jid: formatJid(toNonAd(jid)) } };
  });
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'get', xmlns: 'usync' },
    content: [
      {
        tag: 'usync',
        attrs: { sid, mode: 'query', last: 'true', index: '0', context: 'message' },
        content: [
          {
            tag: 'query',
            attrs: {},
            content: [
              { tag: 'devices', attrs: { version: '2' } },
              { tag: 'lid', attrs: {} },
            ],
          },
          { tag: 'list', attrs: {}, content: list },
        ],
      },
    ],
  };
}

/**
 * The users in a usync reply (`<iq type="result"><usync><list><user>…`), in reply order. Children
 * of `<user>` other than `<devices>` and `<lid>` are ignored, as are children of `<list>` other
 * than `<user>`.
 *
 * A user whose `<devices>` holds `<error>` gets `devices: []` and `error`. A reply that lacks
 * `<usync><list>`, a `<user>` without a valid user `jid`, or a device without a valid `id` is refused
 * as a whole (whatsapp-rust refuses malformed lists rather than return part of them: a partial
 * device list would silently leave devices out of the fan-out).
 *
 * @throws MalformedStanzaError as above.
 */
export function parseDeviceQuery(result: BinaryNode): UsyncUser[] {
  const usync = result.tag === 'usync' ? result : getChild(result, 'usync');
  const list = usync === undefined ? undefined : getChild(usync, 'list');
  if (list === undefined) throw malformed(result, 'the usync reply has no <usync><list>');
  return getChildren(list, 'user').map((user, index) => parseUser(user, index, result));
}

function parseUser(node: BinaryNode, index: number, stanza: BinaryNode): UsyncUser {
  const what = `usync user ${index}`;
  const attrs = readAttrs(node);
  const jid = attrs.jid('jid');
  checkAttrs(attrs, what, stanza);
  if (jid.user === '') throw malformed(stanza, `${what}: jid "${node.attrs.jid}" is a server, not a user`);
  const user: UsyncUser = { jid: node.attrs.jid!, devices: [] };

  const devices = getChild(node, 'devices');
  if (devices !== undefined) {
    const error = getChild(devices, 'error');
    if (error !== undefined) {
      const errorAttrs = readAttrs(error);
      const code = errorAttrs.optionalInt('code') ?? 0;
      const text = errorAttrs.optionalString('text') ?? '';
      checkAttrs(errorAttrs, `${what} devices error`, stanza);
      user.error = { code, text };
    } else {
      readDeviceList(devices, user, what, stanza);
    }
  }

  const lid = getChild(node, 'lid');
  if (lid !== undefined && getChild(lid, 'error') === undefined) {
    const lidAttrs = readAttrs(lid);
    const val = lidAttrs.optionalJid('val');
    checkAttrs(lidAttrs, `${what} lid`, stanza);
    if (val !== undefined) user.lid = lid.attrs.val!;
  }
  return user;
}

function readDeviceList(devices: BinaryNode, user: UsyncUser, what: string, stanza: BinaryNode): void {
  const deviceList = getChild(devices, 'device-list');
  if (deviceList !== undefined) {
    const listAttrs = readAttrs(deviceList);
    const hash = listAttrs.optionalString('hash');
    checkAttrs(listAttrs, `${what} device-list`, stanza);
    if (hash !== undefined) user.hash = hash;
    for (const device of getChildren(deviceList, 'device')) {
      const deviceAttrs = readAttrs(device);
      const id = deviceAttrs.int('id');
      const keyIndex = deviceAttrs.optionalInt('key-index');
      const isHosted = deviceAttrs.optionalBool('is_hosted');
      checkAttrs(deviceAttrs, `${what} device`, stanza);
      if (id < 0 || id > 0xffff) throw malformed(stanza, `${what}: device id ${id} is outside 0..65535`);
      if (keyIndex !== undefined && keyIndex < 0) {
        throw malformed(stanza, `${what}: device ${id} has a negative key-index`);
      }
      const entry: UsyncDevice = { id };
      if (keyIndex !== undefined) entry.keyIndex = keyIndex;
      if (isHosted === true) entry.isHosted = true;
      user.devices.push(entry);
    }
  }

  const keyIndexList = getChild(devices, 'key-index-list');
  if (keyIndexList !== undefined) {
    const keyAttrs = readAttrs(keyIndexList);
    const timestamp = keyAttrs.unixTime('ts');
    const expected = keyAttrs.optionalUnixTime('expected_ts');
    checkAttrs(keyAttrs, `${what} key-index-list`, stanza);
    const signed = getBinaryContent(keyIndexList);
    user.keyIndexList = { timestamp: timestamp.getTime() / 1000 };
    if (signed !== undefined) user.keyIndexList.signedKeyIndexList = signed;
    if (expected !== undefined) user.keyIndexList.expectedTimestamp = expected.getTime() / 1000;
  }
}

/**
 * The device JIDs of `user`, in list order: the user JID with each device number, moved to
 * `hosted` (PN) or `hosted.lid` (LID) for hosted devices (whatsmeow `parseDeviceList`). Which of
 * them to leave out (the sending device itself) is the caller's decision.
 *
 * @example
 * usyncDeviceJids({ jid: '1@s.whatsapp.net', devices: [{ id: 0 }, { id: 3, keyIndex: 1 }] });
 * // ['1@s.whatsapp.net', '1:3@s.whatsapp.net']
 */
export function usyncDeviceJids(user: UsyncUser): string[] {
  const jid = toNonAd(parseJid(user.jid));
  return user.devices.map((device) => {
    const server = device.isHosted ? hostedServer(jid.server) : jid.server;
    return formatJid(createJid(jid.user, server, { device: device.id }));
  });
}

function hostedServer(server: string): string {
  return server === SERVERS.lid || server === SERVERS.hostedLid ? SERVERS.hostedLid : SERVERS.hosted;
}
