import { create, MessageSchema, toBinary } from '@wakit/proto';
import { describe, expect, test } from 'vitest';
import { Inbox } from '../src/messaging/inbox';
import type { MessageInfo } from '../src/messaging/message-events';
import { MemoryStore } from '../src/store/memory-store';

const info = (id: string): MessageInfo => ({
  id,
  chat: '123@lid',
  sender: '123:1@lid',
  senderAlt: '15550001111:1@s.whatsapp.net',
  fromMe: false,
  isGroup: false,
  timestamp: 1_700_000_000,
  pushName: 'Ana',
  offline: false,
});
/** The encoded Message of entry `id`, as a decrypt hands it to the inbox. */
const body = (id: string) => toBinary(MessageSchema, create(MessageSchema, { conversation: `text ${id}` }));

async function stageAndCommit(store: MemoryStore, inbox: Inbox, key: string) {
  const flushed = await store.transaction((tx) => inbox.stage(tx, key, info(key), body(key)));
  inbox.committed(flushed);
}

describe('Inbox', () => {
  test('each commit deletes what was emitted before it; the last entry stays until a flush', async () => {
    const store = new MemoryStore();
    const inbox = new Inbox();
    await stageAndCommit(store, inbox, 'k1');
    inbox.emitted('k1');
    await stageAndCommit(store, inbox, 'k2');
    expect(await store.kv.keys('messaging:inbox')).toEqual(['k2']);
    inbox.emitted('k2');
    await inbox.flush(store);
    expect(await store.kv.keys('messaging:inbox')).toEqual([]);
  });

  test('a transaction that fails keeps the emitted keys for the next one', async () => {
    const store = new MemoryStore();
    const inbox = new Inbox();
    await stageAndCommit(store, inbox, 'k1');
    inbox.emitted('k1');
    await expect(
      store.transaction(async (tx) => {
        await inbox.stage(tx, 'k2', info('k2'), body('k2'));
        throw new RangeError('decrypt failed');
      }),
    ).rejects.toThrow('decrypt failed');
    expect(await store.kv.keys('messaging:inbox')).toEqual(['k1']);
    await stageAndCommit(store, inbox, 'k3');
    expect(await store.kv.keys('messaging:inbox')).toEqual(['k3']);
  });

  test('a new process replays what an old one left, with the message and info intact, and deletes it', async () => {
    const store = new MemoryStore();
    const before = new Inbox();
    await stageAndCommit(store, before, '001 a');
    before.emitted('001 a');
    await stageAndCommit(store, before, '002 b'); // the "crash" comes before its event
    const after = new Inbox();
    const replayed: { text: string | undefined; id: string; pushName: string | undefined }[] = [];
    const count = await after.replay(store, ({ message, info }) =>
      replayed.push({ text: message.conversation, id: info.id, pushName: info.pushName }),
    );
    expect(count).toBe(1);
    expect(replayed).toEqual([{ text: 'text 002 b', id: '002 b', pushName: 'Ana' }]);
    expect(await store.kv.keys('messaging:inbox')).toEqual([]);
  });

  test('replay skips what this process emitted itself', async () => {
    const store = new MemoryStore();
    const inbox = new Inbox();
    await stageAndCommit(store, inbox, 'k1');
    inbox.emitted('k1');
    const seen: string[] = [];
    expect(await inbox.replay(store, ({ info: i }) => seen.push(i.id))).toBe(0);
    expect(seen).toEqual([]);
  });
});
