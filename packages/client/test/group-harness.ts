/**
 * A small in-process network for group messaging tests: real `Messaging` instances (real Signal,
 * memory stores) wired through `MessagingHost` to a relay that does what the server does for
 * groups (docs/protocol.md §7.1, §7.2; the fixed interface of issue 13): answers usync `devices`,
 * `encrypt` bundle and `w:g2` metadata queries, delivers a group `<message>` to every participant
 * device but the sender, each with its own `<enc>` from `<participants>` before the `skmsg`, acks
 * the sender (with the phash of the devices it knows), forwards retry receipts and pairwise
 * resends. Stanzas are routed one at a time in one chain; `idle()` waits for the chain to drain.
 */

import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import { generateCredentials } from '../src/auth/credentials';
import { generatePreKeys } from '../src/auth/prekeys';
import { groupNotificationHandler } from '../src/messaging/group-notifications';
import type { MessagingHost } from '../src/messaging/host';
import { Messaging } from '../src/messaging/messaging';
import { receiptHandler } from '../src/messaging/receipts';
import { messageHandler } from '../src/messaging/receive';
import { participantHash } from '../src/messaging/wire/phash';
import { Mutex } from '../src/pipeline/mutex';
import type { Stanza, StanzaHandler } from '../src/pipeline/stanza-handler';
import { MemoryStore } from '../src/store/memory-store';
import type { PreKey } from '../src/store/store';
import { systemTimers } from '../src/timers';
import { usyncDevicesReply, usyncUsers } from './_usync-devices';

/** What the tests read from an event's payload. */
export interface EventPayload {
  message?: { conversation?: string };
  info?: Record<string, unknown>;
  reason?: string;
}

/** One client device on the network. */
export interface Device {
  /** `user:device@s.whatsapp.net` (device 0 written without `:0`). */
  jid: string;
  user: string;
  store: MemoryStore;
  m: Messaging;
  events: { event: string; payload: EventPayload }[];
  errors: unknown[];
  /** Stanzas this device was sent (deliveries), in order. */
  inbox: BinaryNode[];
  /** IQs this device asked the relay, in order. */
  queries: BinaryNode[];
  /** Receipts (delivery and retry) this device sent. */
  receipts: BinaryNode[];
  preKeys: PreKey[];
  /** When set, drops the `<enc>`s of deliveries to this device that match (tests of failures). */
  dropEnc?: (enc: BinaryNode) => boolean;
  /** When set, this device's writes fail (a connection lost under a send) and reach nobody. */
  failWrites?: boolean;
  /** When set, the relay acks nothing this device sends (its ack never comes). */
  withholdAcks?: boolean;
}

/** Where statuses go (`status@broadcast`). */
export const STATUS = 'status@broadcast';

function be(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** The relay and its devices. */
export class GroupNet {
  readonly devices = new Map<string, Device>();
  /** Group JID -> member user JIDs. */
  readonly groups = new Map<string, string[]>();
  /** Every stanza a device sent, with its sender. */
  readonly wire: { from: string; node: BinaryNode }[] = [];
  #chain: Promise<void> = Promise.resolve();
  #ids = 0;
  #t = 1_700_000_000;

  /** Adds a device of `user` (phone number digits) with id `device`. */
  async addDevice(user: string, device: number): Promise<Device> {
    const jid = device === 0 ? `${user}@s.whatsapp.net` : `${user}:${device}@s.whatsapp.net`;
    const store = new MemoryStore();
    let credentials = await generateCredentials(nodeCrypto);
    const generated = await generatePreKeys(credentials, 30, nodeCrypto);
    credentials = {
      ...generated.credentials,
      account: {
        jid: `${user}:${device}@s.whatsapp.net`,
        signedDeviceIdentity: Uint8Array.of(1, 2, 3, device),
        accountSignatureKey: new Uint8Array(32),
        keyIndex: device,
      },
    };
    await store.saveCredentials(credentials);
    await store.storePreKeys(generated.preKeys);
    const dev = {
      jid,
      user: `${user}@s.whatsapp.net`,
      store,
      events: [],
      errors: [],
      inbox: [],
      queries: [],
      receipts: [],
      preKeys: [...generated.preKeys],
    } as unknown as Device;
    const host: MessagingHost = {
      store,
      crypto: nodeCrypto,
      timers: systemTimers,
      logger: {},
      signalLock: new Mutex(),
      ackTimeoutMs: 10_000,
      credentials: () => credentials,
      saveCredentials: async (next) => {
        credentials = next;
        await store.saveCredentials(next);
      },
      emit: (event, payload) => dev.events.push({ event, payload: payload as EventPayload }),
      sendNode: async (node) => {
        if (dev.failWrites === true) throw new Error('the connection closed under the write');
        this.#enqueue(dev, node);
      },
      query: async (iq) => {
        dev.queries.push(iq);
        return this.#answer(iq);
      },
      nextId: () => `q${++this.#ids}`,
      report: (error) => dev.errors.push(error),
      messageChildren: () => [],
      messageSent: () => {},
    };
    dev.m = new Messaging(host);
    this.devices.set(jid, dev);
    return dev;
  }

  /**
   * The device's process restarted: a new `Messaging` on the same store and host, with nothing
   * kept in memory.
   */
  restart(dev: Device): void {
    dev.m = new Messaging(dev.m.host);
  }

  /** Waits until every routed stanza (and what it caused) was handled. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.#chain;
      await seen;
    } while (seen !== this.#chain);
  }

  /** The last group `<message>` `dev` put on the wire. */
  lastMessage(dev: Device): BinaryNode {
    const found = this.wire.filter((w) => w.from === dev.jid && w.node.tag === 'message').at(-1);
    if (found === undefined) throw new RangeError(`${dev.jid} sent no message`);
    return found.node;
  }

  /** The devices of `user`, in device order. */
  devicesOf(user: string): Device[] {
    return [...this.devices.values()].filter((d) => d.user === user);
  }

  /** Delivers a `w:gp2` notification to every device of every member (non-claiming handler). */
  async notify(group: string, children: BinaryNode[], members = this.groups.get(group) ?? []): Promise<void> {
    for (const user of members) {
      for (const dev of this.devicesOf(user)) {
        const node: BinaryNode = {
          tag: 'notification',
          attrs: { from: group, type: 'w:gp2', id: `n${++this.#ids}` },
          content: children,
        };
        const claimed = await groupNotificationHandler(dev.m).handle(this.#stanza(dev, node));
        if (claimed !== false) throw new RangeError('the w:gp2 handler claimed a notification');
      }
    }
  }

  #enqueue(from: Device, node: BinaryNode): void {
    this.wire.push({ from: from.jid, node });
    this.#chain = this.#chain
      .then(() => this.#route(from, node))
      .catch((error) => {
        from.errors.push(error);
      });
  }

  async #route(from: Device, node: BinaryNode): Promise<void> {
    const to = node.attrs.to ?? '';
    if (node.tag === 'message' && (to.endsWith('@g.us') || to === STATUS)) await this.#relayGroup(from, node);
    else if (node.tag === 'receipt') await this.#relayReceipt(from, node);
  }

  async #relayGroup(from: Device, node: BinaryNode): Promise<void> {
    const group = node.attrs.to!;
    const id = node.attrs.id!;
    const members = this.groups.get(group) ?? [];
    const participantsNode = getChild(node, 'participants');
    const pairwise = new Map<string, BinaryNode>();
    for (const to of participantsNode === undefined ? [] : getChildren(participantsNode, 'to')) {
      pairwise.set(to.attrs.jid!, getChild(to, 'enc')!);
    }
    const skmsg = getChildren(node, 'enc').find((e) => e.attrs.type === 'skmsg');
    const resendTo = node.attrs.participant;
    const senderDevice = from.m.host.credentials().account!.jid;
    // A status goes to the devices its <participants> lists, nobody else.
    const status = group === STATUS;
    const targets =
      resendTo !== undefined
        ? [this.devices.get(resendTo)!]
        : status
          ? [...pairwise.keys()].flatMap((jid) => this.devices.get(jid) ?? [])
          : members.flatMap((u) => this.devicesOf(u)).filter((d) => d !== from);
    if (!status && !members.includes(from.user)) {
      from.m.acks.receive({ id, error: 403 });
      return;
    }
    const t = String(++this.#t);
    for (const dev of targets) {
      const encs: BinaryNode[] = [];
      const own = resendTo !== undefined ? getChild(node, 'enc') : pairwise.get(dev.jid);
      if (own !== undefined) encs.push(own);
      if (skmsg !== undefined && resendTo === undefined) encs.push(skmsg);
      const kept = encs.filter((e) => !(dev.dropEnc?.(e) ?? false));
      if (kept.length === 0) continue;
      const delivered: BinaryNode = {
        tag: 'message',
        attrs: { from: group, participant: senderDevice, id, t, type: node.attrs.type ?? 'text' },
        content: kept,
      };
      dev.inbox.push(delivered);
      await messageHandler(dev.m).handle(this.#stanza(dev, delivered));
    }
    if (from.withholdAcks === true) return;
    if (resendTo === undefined && status) from.m.acks.receive({ id, t: Number(t) });
    else if (resendTo === undefined) {
      const known = members.flatMap((u) => this.devicesOf(u)).map((d) => d.m.host.credentials().account!.jid);
      from.m.acks.receive({ id, t: Number(t), phash: participantHash(known.map(short)) });
    }
  }

  async #relayReceipt(from: Device, node: BinaryNode): Promise<void> {
    from.receipts.push(node);
    if (node.attrs.type !== 'retry') return;
    const sender = this.devices.get(short(node.attrs.participant!));
    if (sender === undefined) return;
    const forwarded: BinaryNode = {
      tag: 'receipt',
      attrs: {
        from: node.attrs.to!,
        participant: from.m.host.credentials().account!.jid.replace(':0@', '@'),
        id: node.attrs.id!,
        type: 'retry',
      },
      content: node.content,
    };
    await receiptHandler(sender.m).handle(this.#stanza(sender, forwarded));
  }

  #stanza(dev: Device, node: BinaryNode): Stanza {
    let acked = false;
    return {
      node,
      offline: false,
      get acked() {
        return acked;
      },
      ack: async () => {
        acked = true;
      },
      ackWith: async (reply) => {
        acked = true;
        dev.receipts.push(reply);
      },
      send: async (reply) => this.#enqueue(dev, reply),
    };
  }

  #answer(iq: BinaryNode): BinaryNode {
    const xmlns = iq.attrs.xmlns;
    if (xmlns === 'w:g2') {
      const group = iq.attrs.to!;
      const members = this.groups.get(group);
      if (members === undefined)
        return { tag: 'iq', attrs: { type: 'error' }, content: [{ tag: 'error', attrs: { code: '404' } }] };
      return {
        tag: 'iq',
        attrs: { type: 'result' },
        content: [
          {
            tag: 'group',
            attrs: { id: group.split('@')[0]!, addressing_mode: 'pn' },
            content: members.map((jid) => ({ tag: 'participant', attrs: { jid } })),
          },
        ],
      };
    }
    if (xmlns === 'usync') {
      return usyncDevicesReply(usyncUsers(iq), (user) => this.devicesOf(user).map((d) => deviceId(d.jid)));
    }
    if (xmlns === 'encrypt') {
      const users = getChildren(getChild(iq, 'key')!, 'user').map((u) => u.attrs.jid!);
      return {
        tag: 'iq',
        attrs: { type: 'result' },
        content: [{ tag: 'list', attrs: {}, content: users.map((jid) => this.#bundle(jid)) }],
      };
    }
    throw new RangeError(`the test relay does not answer ${xmlns}`);
  }

  #bundle(jid: string): BinaryNode {
    const dev = this.devices.get(jid);
    if (dev === undefined)
      return {
        tag: 'user',
        attrs: { jid },
        content: [{ tag: 'error', attrs: { code: '406', text: 'not-acceptable' } }],
      };
    const credentials = dev.m.host.credentials();
    const preKey = dev.preKeys.shift()!;
    return {
      tag: 'user',
      attrs: { jid },
      content: [
        { tag: 'registration', attrs: {}, content: be(credentials.registrationId, 4) },
        { tag: 'type', attrs: {}, content: Uint8Array.of(5) },
        { tag: 'identity', attrs: {}, content: credentials.identityKey.publicKey },
        {
          tag: 'skey',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: be(credentials.signedPreKey.keyId, 3) },
            { tag: 'value', attrs: {}, content: credentials.signedPreKey.keyPair.publicKey },
            { tag: 'signature', attrs: {}, content: credentials.signedPreKey.signature },
          ],
        },
        {
          tag: 'key',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: be(preKey.keyId, 3) },
            { tag: 'value', attrs: {}, content: preKey.keyPair.publicKey },
          ],
        },
      ],
    };
  }
}

/** `user:0@server` written as `user@server`, the form device lists use. */
export function short(jid: string): string {
  return jid.replace(/:0@/, '@');
}

function deviceId(jid: string): number {
  const match = /:(\d+)@/.exec(jid);
  return match === null ? 0 : Number(match[1]);
}

/** The devices a group `<message>` gives the SKDM to (its `<participants><to jid>`), sorted. */
export function skdmTargets(node: BinaryNode): string[] {
  const participants = getChild(node, 'participants');
  return participants === undefined
    ? []
    : getChildren(participants, 'to')
        .map((to) => to.attrs.jid!)
        .sort();
}

/** `node` as a handler's stanza outside the relay: acks and replies go nowhere. */
export function bareStanza(node: BinaryNode): Stanza {
  return {
    node,
    offline: false,
    acked: false,
    ack: async () => {},
    ackWith: async () => {},
    send: async () => {},
  };
}

/** The `message` events a device emitted, as their text. */
export function texts(dev: Device): string[] {
  return dev.events.filter((e) => e.event === 'message').map((e) => e.payload.message?.conversation ?? '');
}

export type { StanzaHandler };
