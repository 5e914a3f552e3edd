import { describe, expect, test } from 'vitest';
import { createMemoryTransportPair } from '../src/transport/memory-transport';
import { until } from './_wait';

describe('createMemoryTransportPair', () => {
  test('delivers bytes in order as copies, and data sent before close arrives before the close', async () => {
    const { client, server } = createMemoryTransportPair();
    await client.open();
    await server.open();
    const got: number[][] = [];
    const events: string[] = [];
    server.on('data', (bytes) => {
      got.push([...bytes]);
      events.push('data');
    });
    server.on('close', (info) => events.push(`close:${info.local}`));
    const buffer = Uint8Array.of(1, 2, 3);
    client.send(buffer);
    buffer[0] = 9;
    client.send(Uint8Array.of(4));
    client.close();
    await until(() => events.includes('close:false'), 'the close');
    expect(got).toEqual([[1, 2, 3], [4]]);
    expect(events).toEqual(['data', 'data', 'close:false']);
    expect(client.isOpen).toBe(false);
  });

  test('data that arrives before a listener is kept for it', async () => {
    const { client, server } = createMemoryTransportPair();
    await client.open();
    client.send(Uint8Array.of(7));
    client.send(Uint8Array.of(8));
    await Promise.resolve();
    const got: number[] = [];
    server.on('data', (bytes) => got.push(...bytes));
    await until(() => got.length === 2, 'the buffered data');
    expect(got).toEqual([7, 8]);
  });

  test('a refusing end rejects open() and emits close', async () => {
    const { client } = createMemoryTransportPair();
    client.refuseWith = new Error('refused');
    const closes: unknown[] = [];
    client.on('close', (info) => closes.push(info));
    await expect(client.open()).rejects.toThrow('refused');
    await until(() => closes.length === 1, 'the close');
  });
});
