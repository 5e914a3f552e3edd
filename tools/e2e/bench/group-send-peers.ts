/**
 * The two libraries of the group send benchmark behind one interface: a linked sender that creates
 * groups and sends a text to a group, settling when the server has acked the stanza.
 *
 * - wakit: the `wakit` facade's client (`@wakit/client` with `@wakit/features` mounted) on a
 *   `MemoryStore`. `client.groups.createGroup(...)`; the group is ready once this device got its
 *   own `<create>` notification (`group-created`): the client's participant cache is filled from it,
 *   as it would be for any group this device is told about. `client.sendMessage(group,
 *   { conversation })` resolves on the server's ack.
 * - Baileys 7.0.0-rc14: `makeWASocket` on its in-memory auth state, with `cachedGroupMetadata`
 *   answered from the metadata `groupCreate` returned. Without that option Baileys asks the server
 *   for the group's metadata on every send (`relayMessage` in lib/Socket/messages-send.js); its
 *   README recommends the cache for groups, and wakit keeps its participants too. Its device lists
 *   and sender-key memory are its own defaults. `sock.sendMessage(group, { text }, { messageId })`
 *   resolves once the stanza is written; the send is complete at the server's `<ack>` for that id,
 *   read from Baileys' own frame events (`CB:ack,class:message`).
 */
import {
  type BinaryNode,
  type GroupMetadata,
  initAuthCreds,
  makeWASocket,
  WA_CERT_DETAILS,
  type WAMessage,
  type WASocket,
} from 'baileys';
import { createClient, type GroupEvents, MemoryStore } from 'wakit';
// The interop tests' Baileys harness: one copy, read from the server package's test folder.
import { memoryKeys, nextUpdate, quietLogger, textOf } from '../../../packages/server/test/baileys-harness';
import type { Linker } from './messaging-peers';
import { DEADLINE_MS, nextClientEvent, withDeadline } from './peers';

/** A linked, logged-in sender device. */
export interface GroupSender {
  /** Creates a group with `participants` (PN user JIDs); resolves with its JID once sends need no query. */
  createGroup(subject: string, participants: readonly string[]): Promise<string>;
  /** Sends `text` to `group`; settles at the server's ack. */
  send(group: string, text: string): Promise<void>;
  /** Resolves once `count` 1:1 texts (from other accounts or our phone) have been received since `link`. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** One library. */
export interface GroupSendPeer {
  readonly name: string;
  /** Links a new device of the new account `phoneNumber` and logs it in. */
  link(server: Linker, phoneNumber: string): Promise<GroupSender>;
}

/** Counts texts from others and resolves waits for a total. */
function textCounter() {
  let count = 0;
  const waits: { total: number; resolve: () => void }[] = [];
  return {
    add() {
      count += 1;
      for (const w of waits.filter((w) => w.total <= count)) {
        waits.splice(waits.indexOf(w), 1);
        w.resolve();
      }
    },
    until(total: number): Promise<void> {
      if (count >= total) return Promise.resolve();
      return withDeadline(
        new Promise<void>((resolve) => waits.push({ total, resolve })),
        () => `${total} texts (${count} arrived)`,
      );
    },
  };
}

export const wakitGroupSend: GroupSendPeer = {
  name: 'wakit',
  async link(server, phoneNumber) {
    const client = createClient({
      store: new MemoryStore(),
      url: server.url,
      rootPublicKey: server.rootPublicKey,
    });
    const texts = textCounter();
    client.on('message', ({ message, info }) => {
      // Our own phone's text reaches us as its companion copy (fromMe); this device sends no 1:1 texts.
      if (!info.isGroup && message.conversation) texts.add();
    });
    const qr = nextClientEvent<{ qr: string }>(client, 'qr');
    // Members' phones reply over sessions: our prekeys must be on the server first.
    const uploaded = nextClientEvent(client, 'prekeys-uploaded');
    await client.connect();
    await server.scan(phoneNumber, (await qr).qr);
    await client.waitForConnected(DEADLINE_MS);
    await uploaded;
    // Our own <create> notification: the client's handler has filled its participant cache from it
    // by the time features emits the event (same lane, in order).
    const created = new Set<string>();
    const createdWaits = new Map<string, () => void>();
    // The facade types only the client's own events; the groups module's are `GroupEvents`.
    const onGroups = client.on.bind(client) as unknown as <K extends keyof GroupEvents>(
      event: K,
      listener: (payload: GroupEvents[K]) => void,
    ) => () => void;
    onGroups('group-created', (group) => {
      created.add(group.jid);
      createdWaits.get(group.jid)?.();
    });
    return {
      async createGroup(subject, participants) {
        const group = await client.groups.createGroup({ subject, participants: [...participants] });
        if (!created.has(group.jid)) {
          await withDeadline(
            new Promise<void>((resolve) => createdWaits.set(group.jid, resolve)),
            () => `wakit's group-created for ${group.jid}`,
          );
          createdWaits.delete(group.jid);
        }
        return group.jid;
      },
      send: async (group, text) => {
        await client.sendMessage(group, { conversation: text });
      },
      received: (count) => texts.until(count),
      close: () => client.disconnect(),
    };
  },
};

export const baileysGroupSend: GroupSendPeer = {
  name: 'Baileys',
  async link(server, phoneNumber) {
    // Baileys checks the intermediate certificate against this constant; the server's chain is
    // issued under a test root. The signature checks still run.
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    const log: string[] = [];
    const creds = initAuthCreds();
    const keys = memoryKeys();
    const metadata = new Map<string, GroupMetadata>();
    const sockets: WASocket[] = [];
    const start = () => {
      const sock = makeWASocket({
        waWebSocketUrl: server.url,
        auth: { creds, keys },
        printQRInTerminal: false,
        logger: quietLogger(log, 50) as never,
        markOnlineOnConnect: false,
        shouldSyncHistoryMessage: () => false,
        cachedGroupMetadata: async (jid) => metadata.get(jid),
      });
      sock.ev.on('creds.update', (update) => Object.assign(creds, update));
      sockets.push(sock);
      return sock;
    };
    // The harness's link: QR, the 515 restart, then the socket that stays.
    const first = start();
    const { qr } = await nextUpdate(first, (u) => u.qr !== undefined, log);
    const restarted = nextUpdate(first, (u) => u.connection === 'close', log);
    await server.scan(phoneNumber, qr!);
    await restarted;
    const sock = start();
    await nextUpdate(sock, (u) => u.connection === 'open', log);

    const texts = textCounter();
    sock.ev.on('messages.upsert', ({ messages }: { messages: WAMessage[] }) => {
      for (const m of messages) {
        if (!m.key.remoteJid?.endsWith('@g.us') && textOf(m) !== undefined) texts.add();
      }
    });
    const acks = new Map<string, () => void>();
    sock.ws.on('CB:ack,class:message', (node: BinaryNode) => acks.get(node.attrs.id ?? '')?.());
    let nextId = 0;
    return {
      async createGroup(subject, participants) {
        const group = await sock.groupCreate(subject, [...participants]);
        metadata.set(group.id, group);
        return group.id;
      },
      async send(group, text) {
        // Baileys' own id shape (3EB0 + hex), unique in this process.
        const messageId = `3EB0${(nextId++).toString(16).padStart(16, '0').toUpperCase()}`;
        const acked = new Promise<void>((resolve) => acks.set(messageId, resolve));
        try {
          await sock.sendMessage(group, { text }, { messageId });
          await withDeadline(acked, () => `the server's ack of ${messageId}`);
        } finally {
          acks.delete(messageId);
        }
      },
      received: (count) => texts.until(count),
      close: async () => {
        for (const socket of sockets) socket.end(undefined);
      },
    };
  },
};
