/**
 * The two libraries of the messaging benchmark behind one small interface: a linked, logged-in
 * account that sends a text to another account and reports the texts it receives.
 *
 * - wakit: `@wakit/client` on a `MemoryStore`; `client.sendMessage(jid, { conversation })`, which
 *   resolves on the server's ack; received texts come from the `message` event.
 * - Baileys 7.0.0-rc14: `makeWASocket` on its in-memory auth state; `sock.sendMessage(jid, { text })`,
 *   which resolves once the stanza is written (Baileys does not wait for the server's ack); received
 *   texts come from `messages.upsert`.
 *
 * Linking goes through anything that can make a virtual phone scan a QR code: the benchmark's
 * server child (`server-process.ts`) or, in the smoke test, an in-process server.
 */
import { createClient, MemoryStore } from '@wakit/client';
import { WA_CERT_DETAILS, type WAMessage, type WASocket } from 'baileys';
// The interop tests' Baileys harness: one copy, read from the server package's test folder.
import { linkBaileys, textOf } from '../../../packages/server/test/baileys-harness';
import { DEADLINE_MS, nextClientEvent } from './peers';
import type { ServerProcess } from './server-process';

/** What linking needs from a server: where it listens, its root key, and a phone's QR scan. */
export type Linker = Pick<ServerProcess, 'url' | 'rootPublicKey' | 'scan'>;

/** A linked, logged-in device of one account. */
export interface Messenger {
  /** The account's user JID (PN form), as a peer addresses it. */
  readonly jid: string;
  /** Sends `text` to the user `to`; settles when the library says the send is done. */
  send(to: string, text: string): Promise<unknown>;
  /** Calls `listener` with the text of every message received from a peer; returns an unsubscribe. */
  onText(listener: (text: string) => void): () => void;
  /** Ends the connection. */
  close(): Promise<void>;
}

/** One library: links a new device of a new account `phoneNumber` and logs it in. */
export interface MessagingPeer {
  readonly name: string;
  link(server: Linker, phoneNumber: string): Promise<Messenger>;
}

/** wakit with its defaults (keepalive, reconnect). */
export const wakitMessaging: MessagingPeer = {
  name: 'wakit',
  async link(server, phoneNumber) {
    const client = createClient({
      store: new MemoryStore(),
      url: server.url,
      rootPublicKey: server.rootPublicKey,
    });
    const qr = nextClientEvent<{ qr: string }>(client, 'qr');
    // Peers fetch this device's prekeys to start sessions: wait until they are on the server.
    const uploaded = nextClientEvent(client, 'prekeys-uploaded');
    await client.connect();
    await server.scan(phoneNumber, (await qr).qr);
    await client.waitForConnected(DEADLINE_MS);
    await uploaded;
    return {
      jid: `${phoneNumber}@s.whatsapp.net`,
      send: (to, text) => client.sendMessage(to, { conversation: text }),
      onText: (listener) =>
        client.on('message', ({ message, info }) => {
          if (!info.fromMe && message.conversation) listener(message.conversation);
        }),
      close: () => client.disconnect(),
    };
  },
};

/**
 * Baileys as the interop tests run it (no online presence on connect, init queries on). Its `open`
 * comes after the prekey upload, so peers can start sessions right away.
 */
export const baileysMessaging: MessagingPeer = {
  name: 'Baileys',
  async link(server, phoneNumber) {
    // Baileys checks the intermediate certificate against this constant (read at verification
    // time); the server's chain is issued under a test root. The signature checks still run.
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    const log: string[] = [];
    const sockets: WASocket[] = [];
    const phone = { scanQr: (qr: string) => server.scan(phoneNumber, qr) };
    // The harness's link: QR, the 515 restart, no presence on connect, history sync off.
    const { sock } = await linkBaileys({ url: server.url, phone, log, sockets });
    return {
      jid: `${phoneNumber}@s.whatsapp.net`,
      send: (to, text) => sock.sendMessage(to, { text }),
      onText(listener) {
        const handler = ({ messages }: { messages: WAMessage[] }) => {
          for (const m of messages) {
            const text = textOf(m);
            if (!m.key.fromMe && text !== undefined) listener(text);
          }
        };
        sock.ev.on('messages.upsert', handler);
        return () => sock.ev.off('messages.upsert', handler);
      },
      close: async () => {
        for (const socket of sockets) socket.end(undefined);
      },
    };
  },
};
