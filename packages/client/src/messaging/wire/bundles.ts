/**
 * Fetching prekey bundles (docs/protocol.md §6.6): the `encrypt` IQ asking for the bundles of
 * devices we have no session with, and its reply turned into what @wakit/signal's
 * `SessionBuilder.processPreKeyBundle` takes. The same key layout travels in retry receipts
 * (§7.5), whose parser reuses `readKeyBundle`.
 */
import {
  type BinaryNode,
  getBinaryContent,
  getChild,
  getChildren,
  readAttrs,
  tryParseJid,
} from '@wakit/binary-node';
import { type PreKeyBundle, serializePublicKey } from '@wakit/signal';
import { SERVER } from '../../_stanzas';
import { checkAttrs, childBytes, malformed, readUintBE } from './_node';

/** A device's bundle, with its signed device identity when the server sent one. */
export type FetchedBundle = PreKeyBundle & {
  /** `<device-identity>`: the device's ADVSignedDeviceIdentity bytes (for companion devices). */
  deviceIdentity?: Uint8Array;
};

/**
 * A device the server gave no usable bundle for. `code`/`text` are the server's `<error>` (406: not
 * registered); code 0 means the server sent a bundle that is malformed, and `text` says how.
 */
export interface BundleError {
  error: { code: number; text: string };
}

/** True for the `BundleError` entries of `parseBundles`. */
export function isBundleError(entry: FetchedBundle | BundleError): entry is BundleError {
  return 'error' in entry;
}

const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const REGISTRATION_BYTES = 4;
const KEY_ID_BYTES = 3;

/**
 * `<iq to="@s.whatsapp.net" type="get" xmlns="encrypt"><key><user jid [reason]/>…</key></iq>`
 * (docs/protocol.md §6.6). The JIDs go out as given: the reply is keyed by them exactly.
 *
 * @param deviceJids  device JIDs (`user:device@server`).
 * @param reason  `identity` asks for the bundle because the identity may have changed (Baileys
 *   and whatsmeow send it on every fetch).
 * @throws RangeError for a string that is not a JID.
 */
export function buildBundleQuery(deviceJids: readonly string[], reason?: 'identity'): BinaryNode {
  const users = deviceJids.map((jid): BinaryNode => {
    if (tryParseJid(jid) === undefined)
      throw new RangeError(`"deviceJids" holds "${jid}", which is not a JID`);
    return { tag: 'user', attrs: reason === undefined ? { jid } : { jid, reason } };
  });
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'get', xmlns: 'encrypt' },
    content: [{ tag: 'key', attrs: {}, content: users }],
  };
}

/**
 * The bundles in the reply to `buildBundleQuery`, keyed by the `<user jid>` exactly as the server
 * sent it back. A user's keys sit directly under `<user>` or under a `<keys>` child (both occur:
 * Baileys expects the first, whatsmeow and whatsapp-rust read both). A user with an `<error>`
 * child, or whose keys are missing or of the wrong size, maps to a `BundleError`: one bad device
 * must not stop the send to the others (whatsapp-rust skips such users too).
 *
 * @throws MalformedStanzaError when the reply has no `<list>` or a `<user>` has no valid `jid`
 *   (nothing could be attributed to the devices asked for).
 */
export function parseBundles(result: BinaryNode): Map<string, FetchedBundle | BundleError> {
  const list = getChild(result, 'list');
  if (list === undefined) throw malformed(result, 'the prekey bundle reply has no <list>');
  const bundles = new Map<string, FetchedBundle | BundleError>();
  getChildren(list, 'user').forEach((user, index) => {
    const attrs = readAttrs(user);
    attrs.jid('jid');
    checkAttrs(attrs, `prekey bundle user ${index}`, result);
    bundles.set(user.attrs.jid!, readUserBundle(user));
  });
  return bundles;
}

function readUserBundle(user: BinaryNode): FetchedBundle | BundleError {
  const error = getChild(user, 'error');
  if (error !== undefined) {
    const attrs = readAttrs(error);
    const code = attrs.optionalInt('code');
    const text = attrs.optionalString('text');
    return { error: { code: attrs.ok ? (code ?? 0) : 0, text: text ?? '' } };
  }
  const bundle = readKeyBundle(user, user);
  return typeof bundle === 'string' ? { error: { code: 0, text: bundle } } : bundle;
}

/**
 * A bundle from a node laid out as §6.6 says: `<registration>` (4 bytes BE) under
 * `registrationNode`, and `<identity>`, `<skey>`, optional `<key>` and optional `<device-identity>`
 * under a `<keys>` child of `keysParent` or directly under it. Public keys become the 33-byte
 * serialized form; ids are 3 bytes BE. Returns what is wrong, as a string, instead of throwing.
 */
export function readKeyBundle(keysParent: BinaryNode, registrationNode: BinaryNode): FetchedBundle | string {
  const keys = getChild(keysParent, 'keys') ?? keysParent;
  const registration = childBytes(registrationNode, 'registration');
  if (registration?.length !== REGISTRATION_BYTES) return sizeProblem('<registration>', registration, 4);
  const identity = childBytes(keys, 'identity');
  if (identity?.length !== KEY_BYTES) return sizeProblem('<identity>', identity, KEY_BYTES);

  const skey = getChild(keys, 'skey');
  if (skey === undefined) return 'no <skey>';
  const signedPreKey = readKey(skey, '<skey>');
  if (typeof signedPreKey === 'string') return signedPreKey;
  const signature = childBytes(skey, 'signature');
  if (signature?.length !== SIGNATURE_BYTES)
    return sizeProblem('<skey><signature>', signature, SIGNATURE_BYTES);

  const bundle: FetchedBundle = {
    registrationId: readUintBE(registration),
    identityKey: serializePublicKey(identity),
    signedPreKey: { ...signedPreKey, signature: new Uint8Array(signature) },
  };
  const key = getChild(keys, 'key');
  if (key !== undefined) {
    const preKey = readKey(key, '<key>');
    if (typeof preKey === 'string') return preKey;
    bundle.preKey = preKey;
  }
  // whatsapp-rust looks for it under <user> first, then under <keys>.
  const deviceIdentity = getChild(keysParent, 'device-identity') ?? getChild(keys, 'device-identity');
  if (deviceIdentity !== undefined) {
    const bytes = getBinaryContent(deviceIdentity);
    if (bytes === undefined) return '<device-identity> holds no bytes';
    bundle.deviceIdentity = new Uint8Array(bytes);
  }
  return bundle;
}

function readKey(node: BinaryNode, what: string): { keyId: number; publicKey: Uint8Array } | string {
  const id = childBytes(node, 'id');
  if (id?.length !== KEY_ID_BYTES) return sizeProblem(`${what}<id>`, id, KEY_ID_BYTES);
  const value = childBytes(node, 'value');
  if (value?.length !== KEY_BYTES) return sizeProblem(`${what}<value>`, value, KEY_BYTES);
  return { keyId: readUintBE(id), publicKey: serializePublicKey(value) };
}

function sizeProblem(what: string, bytes: Uint8Array | undefined, expected: number): string {
  return bytes === undefined
    ? `${what} is missing or holds no bytes`
    : `${what} has ${bytes.length} bytes, not ${expected}`;
}
