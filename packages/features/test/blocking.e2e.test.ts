import { getChild } from '@wakit/binary-node';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../client/test/_wait';
import { blockingModule } from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const PEER_PN = '15550002222@s.whatsapp.net';

describe('blocking on the embedded server', () => {
  it('block, isBlocked by either name, getBlocklist, unblock', async () => {
    const linked = await linkedOnServer();
    cleanups.push(linked.close);
    const peer = await linked.server.phones.create('15550002222');
    const blocking = linked.client.use(blockingModule);
    expect(await blocking.isBlocked(PEER_PN)).toBe(false);

    const afterBlock = await blocking.block(`${PEER_PN.replace('@', ':3@')}`);
    expect(afterBlock.jids).toHaveLength(1);
    expect(await blocking.isBlocked(PEER_PN)).toBe(true);
    // The server names users by LID: the list holds the peer's LID, which is the same user.
    const lid = peer.lid;
    expect(afterBlock.jids).toEqual([lid]);
    expect((await blocking.getBlocklist()).jids).toEqual([lid]);

    const afterUnblock = await blocking.unblock(PEER_PN);
    expect(afterUnblock.jids).toEqual([]);
    expect(afterUnblock.dhash).not.toBe(afterBlock.dhash);
    expect(await blocking.isBlocked(PEER_PN)).toBe(false);
  });

  it("a block on one device reaches the account's other device without a fetch", async () => {
    const linked = await linkedOnServer();
    cleanups.push(linked.close);
    await linked.server.phones.create('15550002222');
    const other = await linked.link();
    const here = linked.client.use(blockingModule);
    const there = other.use(blockingModule);
    await there.getBlocklist();
    const updates: unknown[] = [];
    other.on('blocklist-update', (update) => updates.push(update));
    // Blocklist replies that reach the other device (a fetch's <list>, not the usync <list>).
    const fetched: string[] = [];
    other.on('node', (node) => {
      if (node.tag === 'iq' && getChild(node, 'list') !== undefined) fetched.push(node.attrs.id ?? '');
    });
    await here.block(PEER_PN);
    await until(() => updates.length === 1, 'the blocklist notification on the other device');
    expect(await there.isBlocked(PEER_PN)).toBe(true);
    // Applied from the notification, which followed the list it held: it fetched nothing.
    expect(fetched).toEqual([]);
  });
});
