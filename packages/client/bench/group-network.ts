/**
 * The group send benchmark's world (`group-send.bench.ts`): one sending `Messaging` on a
 * `MemoryStore` whose host answers, in process, what a server would: a group's metadata (`w:g2`),
 * device lists (usync) and prekey bundles (`encrypt`). Its `sendNode` encodes the stanza, counts the
 * `<to>` entries it carried, and acks it on the next microtask.
 */
import { type BinaryNode, encodeNode, getChild, getChildren } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import { uintBE } from '../src/_bytes';
import { generateCredentials } from '../src/auth/credentials';
import { generatePreKeys } from '../src/auth/prekeys';
import { applyGroupNotification } from '../src/messaging/group-notifications';
import type { MessagingHost } from '../src/messaging/host';
import { Messaging } from '../src/messaging/messaging';
import { sendMessage } from '../src/messaging/send';
import { Mutex } from '../src/pipeline/mutex';
import { MemoryStore } from '../src/store/memory-store';
import type { DeviceCredentials, PreKey } from '../src/store/store';
import { systemTimers } from '../src/timers';
import { usyncDevicesReply, usyncUsers } from '../test/_usync-devices';

const SENDER = '15550000001';
const S = '@s.whatsapp.net';

/** A member device's public half: what its bundle says. */
interface MemberDevice {
  credentials: DeviceCredentials;
  preKey: PreKey;
}

/**
 * How many stanzas carried each number of `<to>` entries: groups' first sends, the first send after
 * a `churn`, and the other later ones.
 */
export interface ToTally {
  first: Map<number, number>;
  rotated: Map<number, number>;
  later: Map<number, number>;
}

export interface BenchNetwork {
  /** The JID of group `index` (each of every member), its metadata not yet asked for. */
  group(index: number): string;
  /** One `sendMessage(group, text)`, resolved on the ack. */
  send(group: string): Promise<string>;
  /**
   * A member leaves `group` and comes back (a `w:gp2` `<remove>` then an `<add>`, through the
   * client's own notification handling): our sender key is dropped, as a participant leaving does,
   * and the group's cached participants change, so the next send re-derives its devices and
   * `phash` and gives a new key to every device. Members take turns.
   */
  churn(group: string): Promise<void>;
  readonly tally: ToTally;
}

/**
 * Throws unless each group's first stanza and each first one after a churn carried a `<to>` per
 * device (`devices`), and every other one none: what the benchmark claims to time.
 */
export function checkTally(tally: ToTally, devices: number): void {
  const expect = (counts: Map<number, number>, count: number, kind: string) => {
    const other = [...counts.keys()].filter((n) => n !== count);
    if (other.length > 0)
      throw new Error(`${kind} sends carried ${other.join(', ')} <to> entries, expected ${count}`);
  };
  expect(tally.first, devices, 'first');
  expect(tally.rotated, devices, 'after a churn,');
  expect(tally.later, 0, 'later');
}

/** The sender and `devices` - 1 members of one device each, plus the sender's phone. */
export async function benchNetwork(devices: number, crypto: CryptoProvider): Promise<BenchNetwork> {
  const members = Array.from({ length: devices - 1 }, (_, i) => `1555100${String(i).padStart(4, '0')}${S}`);
  const keys = new Map<string, MemberDevice>();
  for (const device of [...members, `${SENDER}${S}`]) {
    const credentials = await generateCredentials(crypto);
    const { preKeys } = await generatePreKeys(credentials, 1, crypto);
    keys.set(device, { credentials, preKey: preKeys[0]! });
  }

  const store = new MemoryStore();
  let credentials: DeviceCredentials = {
    ...(await generateCredentials(crypto)),
    account: {
      jid: `${SENDER}:1${S}`,
      // An ADVSignedDeviceIdentity's usual size; its bytes are only carried.
      signedDeviceIdentity: new Uint8Array(180).fill(7),
      accountSignatureKey: new Uint8Array(32),
      keyIndex: 1,
    },
  };
  await store.saveCredentials(credentials);

  const tos: ToTally = { first: new Map(), rotated: new Map(), later: new Map() };
  const sentTo = new Set<string>();
  const churned = new Set<string>();
  let ids = 0;
  let m!: Messaging;
  const host: MessagingHost = {
    store,
    crypto,
    timers: systemTimers,
    logger: {},
    signalLock: new Mutex(),
    ackTimeoutMs: 60_000,
    credentials: () => credentials,
    saveCredentials: async (next) => {
      credentials = next;
      await store.saveCredentials(next);
    },
    emit: () => {},
    sendNode: async (node) => {
      encodeNode(node);
      const participants = getChild(node, 'participants');
      const count = participants === undefined ? 0 : getChildren(participants, 'to').length;
      const group = node.attrs.to!;
      const tally = !sentTo.has(group) ? tos.first : churned.has(group) ? tos.rotated : tos.later;
      sentTo.add(group);
      churned.delete(group);
      tally.set(count, (tally.get(count) ?? 0) + 1);
      const id = node.attrs.id!;
      queueMicrotask(() => m.acks.receive({ id }));
    },
    query: async (iq) => answer(iq, members, keys),
    nextId: () => `q${++ids}`,
    report: (error) => {
      throw error;
    },
    messageChildren: () => [],
    messageSent: () => {},
  };
  m = new Messaging(host);

  let text = 0;
  let turn = 0;
  const change = (group: string, tag: 'remove' | 'add', member: string): BinaryNode => ({
    tag: 'notification',
    attrs: { from: group, type: 'w:gp2', id: `n${++ids}`, participant: `${SENDER}${S}` },
    content: [{ tag, attrs: {}, content: [{ tag: 'participant', attrs: { jid: member } }] }],
  });
  return {
    group: (index) => `120363${String(index).padStart(12, '0')}@g.us`,
    send: (group) => sendMessage(m, group, { conversation: `group bench ${text++}` }),
    churn: async (group) => {
      const member = members[turn++ % members.length]!;
      await applyGroupNotification(m, change(group, 'remove', member));
      await applyGroupNotification(m, change(group, 'add', member));
      churned.add(group);
    },
    tally: tos,
  };
}

/** What the server would answer to the sender's `iq`. */
function answer(iq: BinaryNode, members: string[], keys: Map<string, MemberDevice>): BinaryNode {
  const result = (content: BinaryNode[]): BinaryNode => ({ tag: 'iq', attrs: { type: 'result' }, content });
  switch (iq.attrs.xmlns) {
    case 'w:g2':
      return result([
        {
          tag: 'group',
          attrs: { id: iq.attrs.to!.split('@')[0]!, addressing_mode: 'pn', creator: `${SENDER}${S}` },
          content: [`${SENDER}${S}`, ...members].map((jid) => ({ tag: 'participant', attrs: { jid } })),
        },
      ]);
    case 'usync':
      // The sender's user has its phone (0) and this device (1); a member its phone.
      return usyncDevicesReply(usyncUsers(iq), (user) => (user === `${SENDER}${S}` ? [0, 1] : [0]));
    case 'encrypt': {
      const users = getChildren(getChild(iq, 'key')!, 'user').map((u) => u.attrs.jid!);
      return result([{ tag: 'list', attrs: {}, content: users.map((jid) => bundle(jid, keys.get(jid)!)) }]);
    }
    default:
      throw new RangeError(`the bench host does not answer ${iq.attrs.xmlns}`);
  }
}

function bundle(jid: string, device: MemberDevice): BinaryNode {
  const { credentials, preKey } = device;
  const leaf = (tag: string, content: Uint8Array): BinaryNode => ({ tag, attrs: {}, content });
  return {
    tag: 'user',
    attrs: { jid },
    content: [
      leaf('registration', uintBE(credentials.registrationId, 4)),
      leaf('type', Uint8Array.of(5)),
      leaf('identity', credentials.identityKey.publicKey),
      {
        tag: 'skey',
        attrs: {},
        content: [
          leaf('id', uintBE(credentials.signedPreKey.keyId, 3)),
          leaf('value', credentials.signedPreKey.keyPair.publicKey),
          leaf('signature', credentials.signedPreKey.signature),
        ],
      },
      {
        tag: 'key',
        attrs: {},
        content: [leaf('id', uintBE(preKey.keyId, 3)), leaf('value', preKey.keyPair.publicKey)],
      },
    ],
  };
}
