import type { BinaryNode } from '@wakit/binary-node';
import { systemTimers } from '@wakit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../../client/test/_wait';
import { presenceModule, TC_TOKEN_BUCKET_SECONDS, type TcTokenEvent, tcTokenModule } from '../src/index';
import { DEADLINE_MS, linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ANA = '15550001111@s.whatsapp.net';
const BEN = '15550002222@s.whatsapp.net';

/** Ana and Ben, each a linked client of its own account with the token module; Ben's clock can be moved. */
async function twoAccounts() {
  const linked = await linkedOnServer('15550001111');
  cleanups.push(linked.close);
  const clock = { shiftMs: 0 };
  const ben = await linked.linkAccount('15550002222', {
    timers: { ...systemTimers, now: () => Date.now() + clock.shiftMs },
  });
  const anaLid = linked.phone.lid;
  return {
    server: linked.server,
    ana: linked.client,
    ben,
    anaLid,
    clock,
    anaTokens: linked.client.use(tcTokenModule),
    benTokens: ben.use(tcTokenModule),
  };
}

const tcTokenOf = (node: BinaryNode) =>
  Array.isArray(node.content) ? node.content.find((child) => child.tag === 'tctoken')?.content : undefined;

describe('trusted-contact tokens on the embedded server', () => {
  it("a 1:1 message issues the sender's token; the peer stores it and attaches it to its messages and subscriptions", async () => {
    const { server, ana, ben, anaLid, anaTokens, benTokens } = await twoAccounts();
    expect(anaTokens).toBe(ana.use(tcTokenModule));
    const stored = nextEvent(ben, 'tc-token') as Promise<TcTokenEvent>;
    await ana.sendMessage(BEN, { conversation: 'hello' });
    // Ana's client issues her token to Ben after the ack; the server notifies Ben's devices.
    expect((await stored).jid).toBe(anaLid);
    const token = await benTokens.getToken(ANA);
    expect(token?.token.length).toBeGreaterThan(0);
    expect(await benTokens.getToken(anaLid)).toEqual(token);

    const relayed = server.waitFor('message', (e) => e.node.attrs.to === ANA, DEADLINE_MS);
    await ben.sendMessage(ANA, { conversation: 'hi Ana' });
    expect(tcTokenOf((await relayed).node)).toEqual(token!.token);

    const subscribed = server.waitFor(
      'node',
      (e) => e.node.tag === 'presence' && e.node.attrs.type === 'subscribe',
      DEADLINE_MS,
    );
    await ben.use(presenceModule).subscribe(ANA);
    expect(tcTokenOf((await subscribed).node)).toEqual(token!.token);
  });

  it('issues once per bucket: a second message in the bucket issues nothing, one in the next bucket does', async () => {
    const { server, ben, clock } = await twoAccounts();
    const issued: number[] = [];
    server.on('iq', ({ node }) => {
      const tokens = Array.isArray(node.content) ? node.content[0] : undefined;
      if (node.attrs.xmlns === 'privacy' && tokens?.tag === 'tokens' && Array.isArray(tokens.content))
        issued.push(Number(tokens.content[0]!.attrs.t));
    });
    const issueAfter = (seconds: number) =>
      server.waitFor(
        'iq',
        (e) => e.node.attrs.xmlns === 'privacy' && issued.some((t) => t >= seconds),
        DEADLINE_MS,
      );
    const first = issueAfter(0);
    await ben.sendMessage(ANA, { conversation: 'one' });
    // A round trip after each send: the after-send hook (in the background) has decided and, had it
    // issued, stamped its issue with the clock before it moves.
    const roundTrip = () =>
      ben.query({ tag: 'iq', attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'w:p' } });
    await first;
    await roundTrip();
    await ben.sendMessage(ANA, { conversation: 'two' });
    await roundTrip();
    clock.shiftMs = TC_TOKEN_BUCKET_SECONDS * 1000;
    const nextBucket =
      Math.floor((Date.now() + clock.shiftMs) / 1000 / TC_TOKEN_BUCKET_SECONDS) * TC_TOKEN_BUCKET_SECONDS;
    const third = issueAfter(nextBucket);
    await ben.sendMessage(ANA, { conversation: 'three' });
    await third;
    // Had the second message issued, its issue (in the first bucket) would have come before this one.
    expect(issued).toHaveLength(2);
    expect(issued[1]! - issued[0]!).toBeGreaterThanOrEqual(1);
  });

  it("requestTokens issues ours and returns the peer's token for us, which is then stored", async () => {
    const { ana, ben, anaLid, benTokens } = await twoAccounts();
    const stored = nextEvent(ben, 'tc-token') as Promise<TcTokenEvent>;
    await ana.sendMessage(BEN, { conversation: 'hello' });
    await stored;
    const notified = nextEvent(ana, 'tc-token') as Promise<TcTokenEvent>;
    const received = await benTokens.requestTokens([ANA]);
    expect(received).toHaveLength(1);
    expect(received[0]!.jid.endsWith('@lid') || received[0]!.jid === ANA).toBe(true);
    expect((await benTokens.getToken(anaLid))?.token).toEqual(received[0]!.token);
    // Ana is told of Ben's token for her.
    expect((await notified).jid).toMatch(/@lid$/);
  });

  it('pruneExpired drops the token once the clock is four buckets on; later messages carry none', async () => {
    const { server, ana, ben, clock, benTokens } = await twoAccounts();
    const stored = nextEvent(ben, 'tc-token') as Promise<TcTokenEvent>;
    await ana.sendMessage(BEN, { conversation: 'hello' });
    await stored;
    expect(await benTokens.pruneExpired()).toBe(0);
    clock.shiftMs = 4 * TC_TOKEN_BUCKET_SECONDS * 1000;
    expect(await benTokens.getToken(ANA)).toBeUndefined();
    expect(await benTokens.pruneExpired()).toBe(1);
    expect(await benTokens.pruneExpired()).toBe(0);
    const relayed = server.waitFor('message', (e) => e.node.attrs.to === ANA, DEADLINE_MS);
    await ben.sendMessage(ANA, { conversation: 'later' });
    expect(tcTokenOf((await relayed).node)).toBeUndefined();
  });
});
