/**
 * Presence and chat state as a client module: the shell over `presence-wire.ts`. Presences the server
 * pushes become `presence` events; chat states go to the registered handlers and a `chatstate` event.
 *
 * @example
 * ```ts
 * const presence = client.use(presenceModule);
 * client.on('presence', (update) => console.log(update)); // { jid, available, lastSeen? }
 * await presence.setAvailable();
 * await presence.subscribe('15551234567@s.whatsapp.net');
 * presence.registerChatstateHandler(({ chat, state }) => console.log(chat, state));
 * await presence.sendChatState('15551234567@s.whatsapp.net', 'composing');
 * ```
 */
import { defineModule } from '@wakit/client';
import { tcTokenModule } from '../tctoken/tctoken-module';
import {
  buildChatState,
  buildPresence,
  buildPresenceSubscribe,
  type ChatState,
  type ChatStateUpdate,
  parseChatState,
  parsePresence,
} from './presence-wire';

/** What `client.use(presenceModule)` gives. */
export interface PresenceApi {
  /** Shows this account online or offline (with its push name, when the client knows it). */
  set(status: 'available' | 'unavailable'): Promise<void>;
  setAvailable(): Promise<void>;
  setUnavailable(): Promise<void>;
  /**
   * Asks for `jid`'s presence; the answer and later changes arrive as `presence` events. Carries
   * `options.tcToken`, else the valid trusted-contact token `jid` issued to us, if one is stored.
   */
  subscribe(jid: string, options?: { tcToken?: Uint8Array }): Promise<void>;
  /** Calls `handler` for every chat state a peer sends; returns its remover. */
  registerChatstateHandler(handler: (update: ChatStateUpdate) => void): () => void;
  /** Tells `jid` this user is composing, recording audio, or stopped. */
  sendChatState(jid: string, state: ChatState): Promise<void>;
}

/** The presence module; mount it with `client.use(presenceModule)`. Emits `presence` and `chatstate`. */
export const presenceModule = defineModule('presence', (host): PresenceApi => {
  const handlers = new Set<(update: ChatStateUpdate) => void>();
  // WhatsApp attaches the peer's token to a subscription (whatsmeow presence.go): from its module.
  const tcTokens = host.use(tcTokenModule);

  host.handle({
    name: 'presence:presence',
    match: { tag: 'presence' },
    handle: ({ node }) => {
      if (node.attrs.from !== undefined) host.emit('presence', parsePresence(node));
    },
  });
  host.handle({
    name: 'presence:chatstate',
    match: { tag: 'chatstate' },
    handle: ({ node }) => {
      const update = parseChatState(node);
      if (update === undefined) return;
      for (const handler of [...handlers]) {
        // One failing handler must not keep the update from the others (nor fail the stanza).
        try {
          handler(update);
        } catch (error) {
          host.emit('error', { error, context: 'a chat-state handler' });
        }
      }
      host.emit('chatstate', update);
    },
  });

  const set = async (status: 'available' | 'unavailable') => {
    const name = (await host.store.loadCredentials())?.account?.pushName;
    await host.sendNode(buildPresence(status, name));
  };
  return {
    set,
    setAvailable: () => set('available'),
    setUnavailable: () => set('unavailable'),
    async subscribe(jid, options = {}) {
      const tcToken = options.tcToken ?? (await tcTokens.getToken(jid))?.token;
      await host.sendNode(buildPresenceSubscribe(jid, tcToken));
    },
    registerChatstateHandler(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    sendChatState: (jid, state) => host.sendNode(buildChatState(jid, state)),
  };
});
