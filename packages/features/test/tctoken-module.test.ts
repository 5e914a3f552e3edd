import type { BinaryNode } from '@wakit/binary-node';
import {
  MemoryStore,
  type MessageChildren,
  ModuleData,
  type ModuleHost,
  type OutgoingMessage,
  type Stanza,
  type StanzaHandler,
} from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { TC_TOKEN_BUCKET_SECONDS, type TcTokenEvent, tcTokenModule } from '../src/index';

const D = TC_TOKEN_BUCKET_SECONDS;
const BEN_LID = '77@lid';
const BEN_PN = '15550002222@s.whatsapp.net';
const bytes = (...values: number[]) => Uint8Array.from(values);

/** The module on a recording host over `store`, with a clock at `clock.now` seconds. */
function mounted(
  store = new MemoryStore(),
  answer: (iq: BinaryNode) => BinaryNode = () => result(),
  account?: { jid: string; lid: string },
) {
  const clock = { now: 100 * D };
  const queries: BinaryNode[] = [];
  const handlers: StanzaHandler[] = [];
  const children: MessageChildren[] = [];
  const sent: ((message: OutgoingMessage) => void | Promise<void>)[] = [];
  const logins: (() => void | Promise<void>)[] = [];
  const events: TcTokenEvent[] = [];
  const host = {
    query: async (iq: BinaryNode) => {
      queries.push(iq);
      return answer(iq);
    },
    handle: (handler: StanzaHandler) => void handlers.push(handler),
    addMessageChildren: (provide: MessageChildren) => void children.push(provide),
    onMessageSent: (hook: (message: OutgoingMessage) => void) => void sent.push(hook),
    onLogin: (hook: () => void) => void logins.push(hook),
    data: new ModuleData(store.kv, 'module:tctoken'),
    // The paired account is all the module reads of the credentials.
    store: new Proxy(store, {
      get: (target, key) =>
        key === 'loadCredentials'
          ? async () => (account === undefined ? undefined : { account })
          : Reflect.get(target, key, target),
    }),
    timers: { now: () => clock.now * 1000 },
    emit: (_event: string, payload: unknown) => void events.push(payload as TcTokenEvent),
    logger: {},
  } as unknown as ModuleHost;
  const api = tcTokenModule.setup(host);
  return {
    api,
    clock,
    queries,
    events,
    store,
    notify: (node: BinaryNode) =>
      handlers.find((h) => h.name === 'tctoken:privacy-token')!.handle({ node } as Stanza),
    childrenFor: (message: OutgoingMessage) => children[0]!(message),
    sent: (message: OutgoingMessage) => Promise.all(sent.map((hook) => hook(message))),
    login: () => Promise.all(logins.map((hook) => hook())),
  };
}

function result(content?: BinaryNode[]): BinaryNode {
  return { tag: 'iq', attrs: { type: 'result' }, ...(content === undefined ? {} : { content }) };
}

function privacyToken(attrs: Record<string, string>, token: Uint8Array, t: number): BinaryNode {
  return {
    tag: 'notification',
    attrs: { type: 'privacy_token', id: 'n1', ...attrs },
    content: [
      {
        tag: 'tokens',
        attrs: {},
        content: [{ tag: 'token', attrs: { type: 'trusted_contact', t: String(t) }, content: token }],
      },
    ],
  };
}

const toBen: OutgoingMessage = { id: 'm1', to: BEN_PN, peer: BEN_LID };

describe('tcTokenModule', () => {
  it("stores a notified token under the issuer's LID and attaches it to 1:1 messages while valid", async () => {
    const t = mounted();
    await t.notify(privacyToken({ from: BEN_PN, sender_lid: BEN_LID }, bytes(1, 2), t.clock.now));
    expect(t.events).toEqual([{ jid: BEN_LID, t: t.clock.now }]);
    // Loaded: answered synchronously, from memory.
    expect(t.childrenFor(toBen)).toEqual([{ tag: 'tctoken', attrs: {}, content: bytes(1, 2) }]);
    expect(await t.api.getToken(BEN_LID)).toEqual({ token: bytes(1, 2), t: t.clock.now });
    // Four buckets on, the token is past its last bucket: nothing is attached.
    t.clock.now += 4 * D;
    expect(t.childrenFor(toBen)).toBeUndefined();
    expect(await t.api.getToken(BEN_LID)).toBeUndefined();
  });

  it('keys a token from a PN issuer by its LID when the client knows it, and finds it by either name', async () => {
    const t = mounted();
    await t.store.lids.put(BEN_LID, BEN_PN);
    await t.notify(privacyToken({ from: BEN_PN }, bytes(9), t.clock.now));
    expect(t.events).toEqual([{ jid: BEN_LID, t: t.clock.now }]);
    expect(await t.api.getToken(BEN_PN)).toEqual({ token: bytes(9), t: t.clock.now });
  });

  it('keeps the newer token: an older one is ignored, the same bytes only move its time forward', async () => {
    const t = mounted();
    const at = t.clock.now;
    await t.notify(privacyToken({ from: BEN_LID }, bytes(2), at));
    await t.notify(privacyToken({ from: BEN_LID }, bytes(1), at - 10));
    expect(await t.api.getToken(BEN_LID)).toEqual({ token: bytes(2), t: at });
    await t.notify(privacyToken({ from: BEN_LID }, bytes(2), at + 5));
    expect(await t.api.getToken(BEN_LID)).toEqual({ token: bytes(2), t: at + 5 });
    expect(t.events.map((e) => e.t)).toEqual([at, at + 5]);
  });

  it('drops a notification it cannot read without throwing (so it is acked, not redelivered forever)', async () => {
    const t = mounted();
    await expect(
      t.notify({ tag: 'notification', attrs: { type: 'privacy_token', from: BEN_LID }, content: [] }),
    ).resolves.toBeUndefined();
    expect(t.events).toEqual([]);
  });

  it('issues our token after a send once per bucket, to the LID, and records when', async () => {
    const t = mounted();
    await t.sent(toBen);
    await t.sent(toBen);
    expect(t.queries).toHaveLength(1);
    const token = (t.queries[0]!.content as BinaryNode[])[0]!.content as BinaryNode[];
    expect(token[0]!.attrs).toEqual({ jid: BEN_LID, t: String(t.clock.now), type: 'trusted_contact' });
    t.clock.now += D;
    await t.sent(toBen);
    expect(t.queries).toHaveLength(2);
  });

  it('issues nothing to and attaches nothing for our own account, the PSA account or a bot', async () => {
    const t = mounted(new MemoryStore(), () => result(), {
      jid: '15550001111:3@s.whatsapp.net',
      lid: '11:3@lid',
    });
    await t.login();
    await t.notify(privacyToken({ from: '11@lid' }, bytes(5), t.clock.now));
    for (const peer of ['11@lid', '0@s.whatsapp.net', '13135550002@s.whatsapp.net']) {
      expect(t.childrenFor({ id: 'm', to: peer, peer })).toBeUndefined();
      await t.sent({ id: 'm', to: peer, peer });
    }
    expect(t.queries).toEqual([]);
  });

  it("requestTokens asks the LID of an unknown PN, issues to it, stores and returns the peers' tokens", async () => {
    const t = mounted(new MemoryStore(), (iq) =>
      iq.attrs.xmlns === 'usync'
        ? result([
            {
              tag: 'usync',
              attrs: {},
              content: [
                {
                  tag: 'list',
                  attrs: {},
                  content: [
                    {
                      tag: 'user',
                      attrs: { jid: BEN_PN },
                      content: [{ tag: 'lid', attrs: { val: BEN_LID } }],
                    },
                  ],
                },
              ],
            },
          ])
        : result([
            {
              tag: 'tokens',
              attrs: {},
              content: [
                {
                  tag: 'token',
                  attrs: { jid: BEN_LID, t: '123', type: 'trusted_contact' },
                  content: bytes(4),
                },
              ],
            },
          ]),
    );
    t.clock.now = 123;
    expect(await t.api.requestTokens([BEN_PN])).toEqual([{ jid: BEN_LID, token: bytes(4), t: 123 }]);
    expect(t.queries.map((q) => q.attrs.xmlns)).toEqual(['usync', 'privacy']);
    const issued = ((t.queries[1]!.content as BinaryNode[])[0]!.content as BinaryNode[])[0]!;
    expect(issued.attrs.jid).toBe(BEN_LID);
    expect(await t.api.getToken(BEN_PN)).toEqual({ token: bytes(4), t: 123 });
    // Issued in this bucket already: the next send does not issue again.
    await t.sent(toBen);
    expect(t.queries).toHaveLength(2);
  });

  it('requestTokens refuses a JID that is not a person before anything is sent', async () => {
    const t = mounted();
    await expect(t.api.requestTokens(['123-456@g.us'])).rejects.toThrow(RangeError);
    await expect(t.api.requestTokens(['not a jid'])).rejects.toThrow(RangeError);
    expect(t.queries).toEqual([]);
    expect(await t.api.requestTokens([])).toEqual([]);
  });

  it('pruneExpired drops expired tokens, keeps a live issuance date, and the store survives a restart', async () => {
    const store = new MemoryStore();
    const t = mounted(store);
    const start = t.clock.now;
    await t.notify(privacyToken({ from: BEN_LID }, bytes(1), start));
    await t.notify(privacyToken({ from: '88@lid' }, bytes(2), start + 3 * D));
    t.clock.now = start + 4 * D - 1;
    expect(await t.api.pruneExpired()).toBe(0);
    t.clock.now = start + 4 * D;
    await t.sent(toBen); // our token issued to Ben in this bucket
    expect(t.queries).toHaveLength(1);
    expect(await t.api.pruneExpired()).toBe(1);
    expect(await t.api.pruneExpired()).toBe(0);
    // Another process on the same store: 88's token is there, Ben's is gone, Ben's issuance kept.
    const again = mounted(store);
    again.clock.now = t.clock.now;
    expect(await again.api.getToken('88@lid')).toEqual({ token: bytes(2), t: start + 3 * D });
    expect(await again.api.getToken(BEN_LID)).toBeUndefined();
    await again.sent(toBen);
    expect(again.queries).toEqual([]);
    expect(await store.kv.keys('module:tctoken')).toEqual(expect.arrayContaining([BEN_LID, '88@lid']));
  });
});
