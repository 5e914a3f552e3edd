/** Passive/active mode (docs/protocol.md §7.6): recorded per connection, nothing else changes. */
import type { BinaryNode } from '@wakit/binary-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type WaServer } from '../src/start-server';
import { iq, linkedClient, linkedLogin } from './linked-client';
import { errorCode } from './privacy-fixtures';

const mode = (...tags: string[]): BinaryNode[] => tags.map((tag) => ({ tag, attrs: {} }));

describe('passive mode over a WebSocket', () => {
  let server: WaServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server.close());

  it('records <active/> and <passive/> on the connection, refuses neither or both with 400, and a new login starts unset', async () => {
    const { client, jid, companion } = await linkedClient(server, '15550007004');
    const connection = () => server.connectionOf(jid)!;
    expect(connection().passive).toBeUndefined();

    const active = await client.query(iq('passive', 'set', mode('active'), { id: 'p1' }));
    expect(active).toEqual({ tag: 'iq', attrs: { from: '@s.whatsapp.net', type: 'result', id: 'p1' } });
    expect(connection().passive).toBe(false);
    await client.query(iq('passive', 'set', mode('passive')));
    expect(connection().passive).toBe(true);

    expect(errorCode(await client.query(iq('passive', 'set')))).toBe('400');
    expect(errorCode(await client.query(iq('passive', 'set', mode('active', 'passive'))))).toBe('400');
    expect(connection().passive).toBe(true);
    expect(errorCode(await client.query(iq('passive', 'get', mode('active'))))).toBe('501');

    // A passive connection still gets what is delivered to it (nothing is held back).
    const dirty = server.markDirty('15550007004', 'account_sync');
    expect(
      (await client.next((n) => n.tag === 'ib' && (n.content as BinaryNode[])[0]?.tag === 'dirty')).content,
    ).toEqual([{ tag: 'dirty', attrs: { ...dirty } }]);

    await client.close();
    const again = await linkedLogin(server, companion, jid);
    expect(server.connectionOf(jid)?.passive).toBeUndefined();
    await again.close();
  });
});
