/**
 * Trusted-contact tokens as a client module: the shell over `tctoken-wire.ts` with the lifecycle
 * WhatsApp clients follow (whatsapp-rust src/send/tctoken_lifecycle.rs, whatsmeow tctoken.go):
 *
 * - a peer's token arrives in a `privacy_token` notification (or in the reply to `requestTokens`)
 *   and is kept per peer, by its LID when known (the notification's `sender_lid`, the client's
 *   mapping, or a usync `lid` query for `requestTokens`), else by its PN;
 * - while valid (issued in the current 7-day bucket or the three before), it is attached as
 *   `<tctoken>` to every 1:1 message to that peer (through the client's message hook, from memory),
 *   and handed to presence subscriptions, profile-picture gets and usync user queries;
 * - after a 1:1 message was acked, our token is issued to the peer unless it already was in the
 *   current bucket;
 * - `pruneExpired()` (also run at each login) drops tokens past their last bucket.
 *
 * Never for our own account, the PSA account or bots: the server never answers a profile-picture
 * get that carries a token for ourselves (Baileys notes it), and the references skip the others.
 *
 * @example
 * ```ts
 * const tcToken = client.use(tcTokenModule);
 * await tcToken.requestTokens(['15551234567@s.whatsapp.net']); // the tokens the peers issued to us
 * await tcToken.getToken('15551234567@s.whatsapp.net'); // { token, t } while valid
 * await tcToken.pruneExpired(); // how many expired tokens were dropped
 * ```
 */
import { isLidUser } from '@wakit/binary-node';
import { defineModule, type ModuleHost, type OutgoingMessage } from '@wakit/client';
import { personUser, takesTcTokens, userOf } from '../_users';
import { buildLidQuery, parseLids } from '../_usync-lid';
import { isTcTokenExpired, shouldIssueTcToken } from './tctoken-buckets';
import { type TcTokenRecord, TcTokenStore } from './tctoken-store';
import {
  buildTcTokenNode,
  buildTokenIssue,
  parseIssuedTokens,
  parsePrivacyTokenNotification,
  type ReceivedTcToken,
  type TcToken,
} from './tctoken-wire';

/** What `client.use(tcTokenModule)` gives. */
export interface TcTokenApi {
  /**
   * Issues our token to each of `jids` (people, by PN or LID) and stores the tokens the server
   * answers with (theirs for us); resolves with those tokens, named as the server named them.
   *
   * @throws RangeError for a JID that is not a person's; the client's IqError for a refusal.
   */
  requestTokens(jids: readonly string[]): Promise<ReceivedTcToken[]>;
  /**
   * Drops every stored token issued before the oldest live bucket (more than 3 to 4 weeks ago, by
   * the client's clock); resolves with how many were dropped. A peer we issued our token to in a
   * live bucket keeps that date, so the next message does not issue again.
   */
  pruneExpired(): Promise<number>;
  /** The valid token `jid`'s user (PN or LID) issued to us, or undefined. */
  getToken(jid: string): Promise<TcToken | undefined>;
}

/** Emitted as `tc-token` when a peer's token was stored: the peer's user JID and the token's time. */
export interface TcTokenEvent {
  jid: string;
  t: number;
}

/** The trusted-contact token module; mount it with `client.use(tcTokenModule)`. Emits `tc-token`. */
export const tcTokenModule = defineModule('tctoken', (host): TcTokenApi => {
  const tokens = new TcTokenStore(host.data);
  const peers = new PeerKeys(host);
  // Peers our token is being issued to: two quick messages issue once.
  const issuing = new Set<string>();
  const nowSeconds = () => Math.floor(host.timers.now() / 1000);

  const valid = (record: TcTokenRecord | undefined, now: number): TcToken | undefined =>
    record?.token !== undefined && record.t !== undefined && !isTcTokenExpired(record.t, now)
      ? { token: record.token, t: record.t }
      : undefined;

  /** Stores `received` for `peer` unless what is held is the same token or a newer one. */
  const keep = async (peer: string, received: TcToken): Promise<boolean> => {
    let stored = false;
    await tokens.update(peer, (current) => {
      if (current?.token !== undefined && current.t !== undefined) {
        if (sameBytes(current.token, received.token)) {
          if (received.t <= current.t) return current;
        } else if (received.t < current.t) {
          return current;
        }
      }
      stored = true;
      return { ...current, token: received.token, t: received.t };
    });
    if (stored) host.emit('tc-token', { jid: peer, t: received.t } satisfies TcTokenEvent);
    return stored;
  };

  const childrenFor = (message: OutgoingMessage) => {
    if (!peers.takesTokens(message.peer)) return undefined;
    const now = nowSeconds();
    const token = valid(tokens.peek(message.peer), now) ?? valid(tokens.peek(userOf(message.to)), now);
    return token === undefined ? undefined : [buildTcTokenNode(token.token)];
  };
  // Every 1:1 send asks: answered from memory once the tokens are loaded (at login).
  host.addMessageChildren((message) =>
    tokens.loaded ? childrenFor(message) : tokens.load().then(() => childrenFor(message)),
  );

  host.onMessageSent(async ({ peer }) => {
    if (!peers.takesTokens(peer)) return;
    const key = await peers.keyOf(peer);
    const now = nowSeconds();
    if (issuing.has(key) || !shouldIssueTcToken((await tokens.get(key))?.issuedAt, now)) return;
    issuing.add(key);
    try {
      // The reply is not read: WA Web's sendTcToken ignores it (whatsapp-rust); the peer's token
      // for us comes in its own notification.
      await host.query(buildTokenIssue([key], now));
      await tokens.update(key, (current) => ({ ...current, issuedAt: now }));
    } finally {
      issuing.delete(key);
    }
  });

  host.handle({
    name: 'tctoken:privacy-token',
    match: { tag: 'notification', attrs: { type: 'privacy_token' } },
    handle: async ({ node }) => {
      let peer: string;
      let received: TcToken[];
      try {
        const notification = parsePrivacyTokenNotification(node);
        received = notification.tokens;
        peer =
          notification.senderLid !== undefined
            ? userOf(notification.senderLid)
            : await peers.keyOf(notification.from);
      } catch (error) {
        // Acked all the same: the server would deliver the same broken notification forever.
        host.logger.warn?.('a privacy_token notification that cannot be read was dropped', { error });
        return;
      }
      for (const token of received) await keep(peer, token);
    },
  });

  const pruneExpired = async (): Promise<number> => {
    const now = nowSeconds();
    let dropped = 0;
    for (const [peer, record] of await tokens.entries()) {
      const tokenExpired = record.t === undefined || isTcTokenExpired(record.t, now);
      if (record.token === undefined || !tokenExpired) continue;
      dropped += 1;
      // Issuance in a live bucket is kept (it saves issuing again); anything older goes too.
      const issued = record.issuedAt !== undefined && !isTcTokenExpired(record.issuedAt, now);
      await tokens.update(peer, () => (issued ? { issuedAt: record.issuedAt } : undefined));
    }
    return dropped;
  };

  host.onLogin(async () => {
    await peers.loadOwn();
    await tokens.load();
    await pruneExpired();
  });

  return {
    async requestTokens(jids) {
      const users = jids.map((jid) => personUser(jid, 'requestTokens()'));
      if (users.length === 0) return [];
      const keys = [...new Set(await peers.keysOf(users, true))];
      const now = nowSeconds();
      const received = parseIssuedTokens(await host.query(buildTokenIssue(keys, now)));
      for (const key of keys) await tokens.update(key, (current) => ({ ...current, issuedAt: now }));
      for (const token of received) await keep(await peers.keyOf(token.jid), token);
      return received;
    },
    pruneExpired,
    async getToken(jid) {
      const user = userOf(jid);
      const now = nowSeconds();
      // Under the LID when known; under the PN when it was stored before the LID was.
      for (const key of [await peers.keyOf(user), user, await peers.pnOf(user)]) {
        const token = key === undefined ? undefined : valid(await tokens.get(key), now);
        if (token !== undefined) return token;
      }
      return undefined;
    },
  };
});

/** Which user JID a peer's records are kept under, and who takes part at all. */
class PeerKeys {
  readonly #host: ModuleHost;
  // PN user -> LID user, as a usync query answered: the client's own mapping stays the client's.
  readonly #asked = new Map<string, string>();
  #own: ReadonlySet<string> = new Set();
  #queries = 0;

  constructor(host: ModuleHost) {
    this.#host = host;
  }

  /** Reads our own account's users, which never take part. */
  async loadOwn(): Promise<void> {
    const account = (await this.#host.store.loadCredentials())?.account;
    const own = [account?.jid, account?.lid].filter((jid): jid is string => jid !== undefined);
    this.#own = new Set(own.map(userOf));
  }

  /** True for a peer that exchanges tokens: a person, not us, not the PSA account, not a bot. */
  takesTokens(jid: string): boolean {
    const user = userOf(jid);
    return takesTcTokens(user) && !this.#own.has(user);
  }

  /** The key of `jid`'s user: its LID when known here, else the user as given. */
  async keyOf(jid: string): Promise<string> {
    return (await this.keysOf([userOf(jid)], false))[0]!;
  }

  /** The keys of `users`; with `ask`, PNs of unknown LID are asked of the server (one usync query). */
  async keysOf(users: readonly string[], ask: boolean): Promise<string[]> {
    const keys = await Promise.all(users.map((user) => this.#known(user)));
    const unknown = users.filter((user, i) => keys[i] === user && !isLidUser(user));
    if (ask && unknown.length > 0) {
      this.#queries += 1;
      const sid = `tctoken-${this.#host.timers.now()}-${this.#queries}`;
      const lids = parseLids(await this.#host.query(buildLidQuery([...new Set(unknown)], sid)));
      for (const [pn, lid] of lids) this.#asked.set(userOf(pn), userOf(lid));
    }
    return users.map((user, i) => (keys[i] === user ? (this.#asked.get(user) ?? user) : keys[i]!));
  }

  /** The PN user of a LID user, when the client's mapping knows it. */
  async pnOf(user: string): Promise<string | undefined> {
    if (!isLidUser(user)) return undefined;
    const pn = await this.#host.store.lids.getPn(user);
    return pn === undefined ? undefined : userOf(pn);
  }

  async #known(user: string): Promise<string> {
    if (isLidUser(user)) return user;
    const lid = (await this.#host.store.lids.getLid(user)) ?? this.#asked.get(user);
    return lid === undefined ? user : userOf(lid);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
