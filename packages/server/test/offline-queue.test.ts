/**
 * The offline queue through ConnectionHandler with plain nodes (docs/protocol.md §7.6): preview
 * counts, batches on request with `offline` attributes, the end marker, replay of what a dropped
 * connection never acked, and removal on ack or receipt.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { child } from '../src/nodes';
import type { DeviceRecord, ServerState } from '../src/server-state';
import {
  ALICE,
  addAccount,
  addCompanion,
  BOB,
  enc,
  fanOut,
  ibTags,
  loggingCompanion,
  newState,
  online,
} from './messaging-fixtures';

const B = `${BOB.phone}@s.whatsapp.net`;
const B3 = `${BOB.phone}:3@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let bob: Awaited<ReturnType<typeof loggingCompanion>>;

beforeEach(async () => {
  state = newState();
  await addAccount(state, ALICE);
  await addAccount(state, BOB);
  a1 = addCompanion(state, ALICE, 1);
  online(state, a1);
  bob = await loggingCompanion(state, BOB, 3);
});

const send = (id: string) => state.stanzas.receive(a1, fanOut(B, id, { [B3]: enc() }));
const batch = (count: number): BinaryNode => ({
  tag: 'ib',
  attrs: {},
  content: [{ tag: 'offline_batch', attrs: { count: String(count) } }],
});
const preview = (sent: BinaryNode[]) =>
  sent
    .filter((n) => child(n, 'offline_preview') !== undefined)
    .map((n) => child(n, 'offline_preview')!.attrs);
const after = (sent: BinaryNode[], tag: string) => sent.slice(sent.findIndex((n) => n.tag === tag) + 1);

describe('offline queue', () => {
  it('announces what is pending, serves it in the batches asked for, then ends with <offline count>', async () => {
    send('M1');
    send('M2');
    // A receipt for B3: Alice's companion read a message B3 sent earlier.
    state.stanzas.receive(a1, { tag: 'receipt', attrs: { id: 'X1', to: B3, type: 'read' } });
    const { handler, sent } = await bob.login();
    expect(sent.map((n) => n.tag)).toEqual(['success', 'ib']);
    expect(preview(sent)).toEqual([
      { count: '3', message: '2', notification: '0', receipt: '1', appdata: '0' },
    ]);

    await handler.receive(batch(2));
    const first = after(sent, 'ib');
    expect(first.slice(0, 2).map((n) => [n.tag, n.attrs.id, n.attrs.offline])).toEqual([
      ['message', 'M1', '1'],
      ['message', 'M2', '1'],
    ]);
    // More is pending: a fresh preview, which Baileys answers with another batch.
    expect(preview(first)).toEqual([
      { count: '1', message: '0', notification: '0', receipt: '1', appdata: '0' },
    ]);

    await handler.receive(batch(100));
    expect(sent.filter((n) => n.tag === 'receipt').map((n) => [n.attrs.id, n.attrs.offline])).toEqual([
      ['X1', '2'],
    ]);
    expect(sent.at(-1)).toEqual({
      tag: 'ib',
      attrs: { from: '@s.whatsapp.net' },
      content: [{ tag: 'offline', attrs: { count: '3' } }],
    });

    // Drained: the next message is written at once, without `offline`.
    send('M3');
    expect(sent.at(-1)?.attrs).toMatchObject({ id: 'M3' });
    expect(sent.at(-1)?.attrs.offline).toBeUndefined();
  });

  it('holds new stanzas back while the device drains and serves them in a later batch', async () => {
    send('M1');
    const { handler, sent } = await bob.login();
    send('M2');
    expect(sent.filter((n) => n.tag === 'message')).toEqual([]);
    await handler.receive(batch(100));
    expect(sent.filter((n) => n.tag === 'message').map((n) => [n.attrs.id, n.attrs.offline])).toEqual([
      ['M1', '1'],
      ['M2', '1'],
    ]);
    expect(ibTags(sent)).toEqual(['offline_preview', 'offline']);
  });

  it('replays what a dropped connection was written but never acknowledged, and drops what was', async () => {
    const first = await bob.login();
    expect(ibTags(first.sent)).toEqual(['offline_preview', 'offline']);
    send('M1');
    send('M2');
    expect(first.sent.filter((n) => n.tag === 'message').map((n) => n.attrs.offline)).toEqual([
      undefined,
      undefined,
    ]);
    // M1's receipt arrives (Baileys' only ack of a decrypted message); M2 gets nothing.
    await first.handler.receive({
      tag: 'receipt',
      attrs: { id: 'M1', to: `${ALICE.phone}:1@s.whatsapp.net` },
    });
    first.handler.closed('network drop');

    const second = await bob.login();
    expect(preview(second.sent)).toEqual([
      { count: '1', message: '1', notification: '0', receipt: '0', appdata: '0' },
    ]);
    await second.handler.receive(batch(100));
    expect(second.sent.filter((n) => n.tag === 'message').map((n) => [n.attrs.id, n.attrs.offline])).toEqual([
      ['M2', '1'],
    ]);
    await second.handler.receive({
      tag: 'ack',
      attrs: { class: 'message', id: 'M2', to: `${ALICE.phone}:1@s.whatsapp.net` },
    });
    second.handler.closed('bye');
    const third = await bob.login();
    expect(preview(third.sent)[0]?.count).toBe('0');
    expect(ibTags(third.sent)).toEqual(['offline_preview', 'offline']);
  });

  it('removes a receipt or notification on its <ack>, and reports an ack that matches nothing', async () => {
    const { handler } = await bob.login();
    state.stanzas.receive(a1, { tag: 'receipt', attrs: { id: 'X1', to: B3 } });
    state.stanzas.receive(a1, { tag: 'receipt', attrs: { id: 'X1', to: B3, type: 'read' } });
    const acks: boolean[] = [];
    state.events.on('ack', (e) => acks.push(e.matched));
    await handler.receive({ tag: 'ack', attrs: { class: 'receipt', id: 'X1', type: 'read' } });
    expect(state.outbox.pending(bob.record.jid).map((n) => n.attrs.type)).toEqual([undefined]);
    await handler.receive({ tag: 'ack', attrs: { class: 'receipt', id: 'X1' } });
    await handler.receive({ tag: 'ack', attrs: { class: 'receipt', id: 'X1' } });
    expect(state.outbox.pending(bob.record.jid)).toEqual([]);
    expect(acks).toEqual([true, true, false]);
  });

  it('ignores offline_batch from a device that is not draining', async () => {
    const { handler, sent } = await bob.login();
    const written = sent.length;
    await handler.receive(batch(10));
    expect(sent.length).toBe(written);
  });
});
