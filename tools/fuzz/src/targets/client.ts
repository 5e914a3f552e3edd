/**
 * The client targets: one stanza to a real client over a real Noise session (`_scripted-client.ts`).
 * Two targets: a logged-in client (success, failures, stream errors, notifications, `<ib>`, pings,
 * 1:1 and group messages, receipts) and a client pairing (pair-device, pair-success, the pair-code
 * notification).
 */
import { type BinaryNode, encodeNode, getChild, getChildren } from '@wakit/binary-node';
import { type Client, createClient } from '@wakit/client';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { generateIdentityKeyPair, generatePreKeys, generateSignedPreKey } from '@wakit/signal';
import type { FuzzTarget } from '../target';
import { deliver, type Exchange, SETTLE_MS } from './_scripted-client';

const S = '@s.whatsapp.net';
const G = '120363000000000001@g.us';

const node = (
  tag: string,
  attrs: Record<string, string>,
  content?: BinaryNode[] | Uint8Array | string,
): BinaryNode => ({
  tag,
  attrs,
  ...(content === undefined ? {} : { content }),
});

const LOGGED_IN_SEEDS: BinaryNode[] = [
  node('ib', { from: S }, [node('edge_routing', {}, [node('routing_info', {}, Uint8Array.of(8, 2, 8, 5))])]),
  node('notification', { from: S, type: 'encrypt', id: 'n1' }, [node('count', { value: '3' })]),
  // Found by this target: a count that is not a number reached the prekey generator as NaN.
  node('notification', { from: S, type: 'encrypt', id: 'n1' }, [node('count', { value: 'n/a' })]),
  node('iq', { from: S, type: 'get', xmlns: 'urn:xmpp:ping', id: 'p1' }),
  node('stream:error', { code: '503' }),
  node('stream:error', {}, [node('conflict', { type: 'replaced' })]),
  node('failure', { reason: '401', location: 'rva' }),
  node('failure', { reason: '402', code: '103', expire: '3600' }),
  node('failure', { reason: '401x' }),
  node('xmlstreamend', {}),
  node('ack', { class: 'message', id: 'm1', from: S }),
  node('message', { from: '15550002222@s.whatsapp.net', id: 'm2', t: '1700000001', type: 'text' }, [
    node('enc', { v: '2', type: 'msg' }, new Uint8Array(40).fill(0x33)),
  ]),
  // Messaging: a pkmsg with its device identity, our own device's copy, receipts (a read with a
  // list, a retry with keys), the devices and identity notifications, the offline queue markers.
  node(
    'message',
    {
      from: '123456:3@lid',
      sender_pn: '15550002222:3@s.whatsapp.net',
      id: 'm3',
      t: '1700000002',
      type: 'text',
      notify: 'Ana',
      offline: '1',
    },
    [
      node('enc', { v: '2', type: 'pkmsg' }, new Uint8Array(120).fill(0x33)),
      node('device-identity', {}, new Uint8Array(60).fill(4)),
    ],
  ),
  node(
    'message',
    {
      from: '15550001111:5@s.whatsapp.net',
      recipient: '15550002222@s.whatsapp.net',
      id: 'm4',
      t: '1700000003',
      type: 'text',
    },
    [node('enc', { v: '2', type: 'msg', mediatype: 'image' }, new Uint8Array(48).fill(0x33))],
  ),
  node('receipt', { from: '15550002222:3@s.whatsapp.net', id: 'm5', type: 'read', t: '1700000004' }, [
    node('list', {}, [node('item', { id: 'm6' }), node('item', { id: 'm7' })]),
  ]),
  node('receipt', { from: '15550002222:3@s.whatsapp.net', id: 'm8', type: 'retry', t: '1700000005' }, [
    node('retry', { v: '1', id: 'm8', t: '1700000000', count: '2' }),
    node('registration', {}, Uint8Array.of(0, 0, 4, 210)),
    node('keys', {}, [
      node('type', {}, Uint8Array.of(5)),
      node('identity', {}, new Uint8Array(32).fill(9)),
      node('key', {}, [
        node('id', {}, Uint8Array.of(0, 0, 7)),
        node('value', {}, new Uint8Array(32).fill(10)),
      ]),
      node('skey', {}, [
        node('id', {}, Uint8Array.of(0, 0, 1)),
        node('value', {}, new Uint8Array(32).fill(11)),
        node('signature', {}, new Uint8Array(64).fill(12)),
      ]),
      node('device-identity', {}, new Uint8Array(60).fill(13)),
    ]),
  ]),
  node('notification', { from: '15550002222@s.whatsapp.net', type: 'devices', id: 'n3', t: '1700000006' }, [
    node('add', { device_hash: '2:abcdefgh' }, [
      node('device', { jid: '15550002222:4@s.whatsapp.net', 'key-index': '2' }),
    ]),
  ]),
  node('notification', { from: '15550002222@s.whatsapp.net', type: 'encrypt', id: 'n4', t: '1700000007' }, [
    node('identity', {}),
  ]),
  node('ib', { from: S }, [
    node('offline_preview', { count: '3', message: '3', notification: '0', receipt: '0', appdata: '0' }),
  ]),
  node('ib', { from: S }, [node('offline', { count: '3' })]),
  // Groups and status: a sender-key message with the SKDM before it (PN and LID addressing), a
  // status, receipts with a participant and grouped ones, a group retry, a member change, the ack
  // of a group message with its phash.
  node('message', { from: G, participant: `15550002222:3${S}`, id: 'g1', t: '1700000010', type: 'text' }, [
    node('enc', { v: '2', type: 'pkmsg' }, new Uint8Array(120).fill(0x33)),
    node('enc', { v: '2', type: 'skmsg' }, new Uint8Array(90).fill(0x34)),
  ]),
  node(
    'message',
    {
      from: G,
      participant: '123456:3@lid',
      participant_pn: `15550002222:3${S}`,
      addressing_mode: 'lid',
      id: 'g2',
      t: '1700000011',
      type: 'text',
    },
    [node('enc', { v: '2', type: 'skmsg' }, new Uint8Array(90).fill(0x34))],
  ),
  node(
    'message',
    { from: 'status@broadcast', participant: `15550002222${S}`, id: 'g3', t: '1700000012', type: 'text' },
    [
      node('enc', { v: '2', type: 'msg' }, new Uint8Array(60).fill(0x33)),
      node('enc', { v: '2', type: 'skmsg' }, new Uint8Array(90).fill(0x34)),
    ],
  ),
  node('receipt', { from: G, participant: `15550002222:3${S}`, id: 'g4', type: 'read', t: '1700000013' }),
  node('receipt', { from: G, type: 'read', t: '1700000014' }, [
    node('participants', { key: 'g5' }, [
      node('user', { jid: `15550002222${S}`, t: '1700000014' }),
      node('user', { jid: '123456@lid', t: '1700000015' }),
    ]),
    node('participants', { key: 'g6' }, [node('user', { jid: `15550003333${S}`, t: '1700000016' })]),
  ]),
  node('receipt', { from: G, participant: `15550002222:3${S}`, id: 'g7', type: 'retry', t: '1700000017' }, [
    node('retry', { v: '1', id: 'g7', t: '1700000010', count: '1' }),
    node('registration', {}, Uint8Array.of(0, 0, 4, 210)),
  ]),
  node(
    'notification',
    { from: G, type: 'w:gp2', id: 'n5', participant: `15550002222${S}`, t: '1700000018' },
    [
      node('remove', {}, [node('participant', { jid: `15550003333${S}` })]),
      node('add', {}, [node('participant', { jid: `15550004444${S}`, lid: '654321@lid' })]),
    ],
  ),
  node('ack', { class: 'message', id: 'g8', from: G, t: '1700000019', phash: '2:AbCdEfGh' }),
  // Found by the features target: a person JID whose user holds a "." reached the Signal address
  // checks as a TypeError, through a LID mapping learnt from a w:gp2 <add> and an identity change.
  node(
    'notification',
    { from: G, type: 'w:gp2', id: 'n6', participant: `15550002222${S}`, t: '1700000020' },
    [node('add', {}, [node('participant', { jid: '654321@lid', phone_number: `s.whatsapp.net${S}` })])],
  ),
  node('notification', { from: `a.b${S}`, type: 'encrypt', id: 'n7', t: '1700000021' }, [
    node('identity', {}),
  ]),
  // Found by this target: a group message from such a participant, through our sender-key name.
  node(
    'message',
    { from: G, participant: '12.-56:3@lid', addressing_mode: 'lid', id: 'g9', t: '1700000022', type: 'text' },
    [node('enc', { v: '2', type: 'skmsg' }, new Uint8Array(90).fill(0x34))],
  ),
];

const PAIRING_SEEDS: BinaryNode[] = [
  node('iq', { from: S, type: 'set', id: 'q1', xmlns: 'md' }, [
    node('pair-device', {}, [node('ref', {}, 'ref-one'), node('ref', {}, 'ref-two')]),
  ]),
  node('iq', { from: S, type: 'set', id: 'q2', xmlns: 'md' }, [
    node('pair-success', {}, [
      node('device-identity', { 'key-index': '1' }, new Uint8Array(120).fill(0x5a)),
      node('platform', { name: 'android' }),
      node('device', { jid: '15550001111:3@s.whatsapp.net', lid: '99887766:3@lid' }),
      node('biz', { name: 'Shop' }),
    ]),
  ]),
  node('notification', { from: S, type: 'link_code_companion_reg', id: 'n2' }, [
    node('link_code_companion_reg', { stage: 'primary_hello' }, [
      node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, new Uint8Array(80).fill(1)),
      node('primary_identity_pub', {}, new Uint8Array(32).fill(2)),
      node('link_code_pairing_ref', {}, 'ref'),
    ]),
  ]),
];

/**
 * Replies from the server are untrusted input too: the devices of a user (usync), their prekey
 * bundles (`encrypt`) and a group's metadata (`w:g2`), each fuzzed while the client sends a message
 * that needs it, the other replies it needs answered well. Every user the client asks about has
 * devices 0 (and our own user ours, 2 as well) and the same keys, so a valid reply lets the send
 * go through to the server's ack.
 */
const OWN = `15550001111${S}`;
const PEER = `15550002222${S}`;

interface MemberKeys {
  identity: Uint8Array;
  signedPreKey: { id: number; publicKey: Uint8Array; signature: Uint8Array };
  preKey: { id: number; publicKey: Uint8Array };
}

let memberKeys: Promise<MemberKeys> | undefined;

function getMemberKeys(): Promise<MemberKeys> {
  memberKeys ??= (async () => {
    const identity = await generateIdentityKeyPair(crypto);
    const signed = await generateSignedPreKey(identity, 1, crypto);
    const [preKey] = await generatePreKeys(7, 1, crypto);
    return {
      identity: identity.publicKey,
      signedPreKey: { id: 1, publicKey: signed.keyPair.publicKey, signature: signed.signature },
      preKey: { id: preKey!.keyId, publicKey: preKey!.keyPair.publicKey },
    };
  })();
  return memberKeys;
}

const result = (content: BinaryNode[]): BinaryNode => node('iq', { from: S, type: 'result' }, content);
const uint = (value: number, bytes: number) =>
  Uint8Array.from({ length: bytes }, (_, i) => (value >>> (8 * (bytes - 1 - i))) & 0xff);

/** `<usync><list><user jid><devices><device-list><device id/>…` for `users`. */
function devicesReply(users: readonly string[]): BinaryNode {
  const list = users.map((jid) =>
    node('user', { jid }, [
      node('devices', {}, [
        node(
          'device-list',
          {},
          (jid === OWN ? [0, 2] : [0]).map((id) => node('device', { id: String(id) })),
        ),
      ]),
    ]),
  );
  return result([node('usync', {}, [node('list', {}, list)])]);
}

/** `<list><user jid>` with a prekey bundle for each of `devices`. */
function bundlesReply(devices: readonly string[], keys: MemberKeys): BinaryNode {
  const bundle = (jid: string) =>
    node('user', { jid }, [
      node('registration', {}, uint(1234, 4)),
      node('type', {}, Uint8Array.of(5)),
      node('identity', {}, keys.identity),
      node('skey', {}, [
        node('id', {}, uint(keys.signedPreKey.id, 3)),
        node('value', {}, keys.signedPreKey.publicKey),
        node('signature', {}, keys.signedPreKey.signature),
      ]),
      node('key', {}, [node('id', {}, uint(keys.preKey.id, 3)), node('value', {}, keys.preKey.publicKey)]),
    ]);
  return result([node('list', {}, devices.map(bundle))]);
}

/** The group's metadata: our user and the peer, in PN addressing. */
function groupReply(others: BinaryNode[] = []): BinaryNode {
  return result([
    node(
      'group',
      { id: G.split('@')[0]!, subject: 'Fuzz', creation: '1700000000', creator: OWN, addressing_mode: 'pn' },
      [node('participant', { jid: OWN, type: 'superadmin' }), node('participant', { jid: PEER }), ...others],
    ),
  ]);
}

const isUsync = (iq: BinaryNode) => iq.attrs.xmlns === 'usync';
const isBundleQuery = (iq: BinaryNode) => iq.attrs.xmlns === 'encrypt' && getChild(iq, 'key') !== undefined;
const isGroupQuery = (iq: BinaryNode) => iq.attrs.xmlns === 'w:g2' && iq.attrs.type === 'get';

/** The `jid`s of the `<user>`s at the end of the path `tags` below `iq`. */
function jidsUnder(iq: BinaryNode, ...tags: string[]): string[] {
  let at: BinaryNode | undefined = iq;
  for (const tag of tags) at = at === undefined ? undefined : getChild(at, tag);
  return at === undefined ? [] : getChildren(at, 'user').map((user) => user.attrs.jid ?? '');
}

/** Well-formed answers to every query a send makes, from `keys`. */
function cannedReplies(keys: MemberKeys) {
  return (iq: BinaryNode): BinaryNode | undefined => {
    if (isUsync(iq)) return devicesReply(jidsUnder(iq, 'usync', 'list'));
    if (isBundleQuery(iq)) return bundlesReply(jidsUnder(iq, 'key'), keys);
    if (isGroupQuery(iq)) return groupReply();
    return undefined;
  };
}

/** A reply target: `act` sends, `fuzzed` picks the IQs the input answers; `seeds` are good answers. */
function replyTarget(
  name: string,
  act: (client: Client) => Promise<unknown>,
  fuzzed: (iq: BinaryNode) => boolean,
  seeds: (keys: MemberKeys) => BinaryNode[],
): FuzzTarget {
  return {
    name,
    slowMs: SETTLE_MS,
    smokeExecutions: 200,
    async seeds() {
      return seeds(await getMemberKeys()).map((seed) => encodeNode(seed));
    },
    async run(input) {
      const exchange: Exchange = { act, fuzzed, canned: cannedReplies(await getMemberKeys()) };
      await deliver(input, { paired: true, create: createClient, exchange });
    },
  };
}

/** Sends that reached the server's ack: a test checks that each good answer (a seed) gets there. */
export const sendsAcked = { count: 0 };
const counted = (sent: Promise<string>) =>
  sent.then(() => {
    sendsAcked.count++;
  });
const toPeer = (client: Client) => counted(client.sendMessage(PEER, { conversation: 'fuzz' }));
const toGroup = (client: Client) => counted(client.sendMessage(G, { conversation: 'fuzz' }));

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'client/logged-in',
    slowMs: SETTLE_MS,
    smokeExecutions: 200,
    async seeds() {
      return LOGGED_IN_SEEDS.map((seed) => encodeNode(seed));
    },
    run: (input) => deliver(input, { paired: true, create: createClient }),
  },
  {
    name: 'client/pairing',
    slowMs: SETTLE_MS,
    smokeExecutions: 200,
    async seeds() {
      return PAIRING_SEEDS.map((seed) => encodeNode(seed));
    },
    run: (input) => deliver(input, { paired: false, create: createClient }),
  },
  replyTarget('client/usync-reply', toPeer, isUsync, () => [devicesReply([PEER, OWN])]),
  replyTarget('client/bundle-reply', toPeer, isBundleQuery, (keys) => [bundlesReply([PEER, OWN], keys)]),
  replyTarget('client/group-reply', toGroup, isGroupQuery, () => [
    groupReply(),
    // Found by this target: a participant that is no person reached the device query as a
    // RangeError; it is skipped now, and the send reaches the people.
    groupReply([node('participant', { jid: '15550003333@ip6' }), node('participant', { jid: `a.b${S}` })]),
  ]),
];
