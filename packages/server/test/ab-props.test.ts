/** AB props (`abt`): the full set with its hash, a delta when the client holds the current hash. */
import type { BinaryNode } from '@wakit/binary-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AB_PROPS_REFRESH_S, AbProps, DEFAULT_AB_PROPS } from '../src/ab-props';
import { child, children } from '../src/nodes';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { startServer, type WaServer } from '../src/start-server';
import { iq, linkedClient } from './linked-client';
import { ALICE, addAccount, addCompanion, newState } from './messaging-fixtures';
import { ask, errorCode } from './privacy-fixtures';

const props = (attrs: Record<string, string> = {}): BinaryNode => ({
  tag: 'props',
  attrs: { protocol: '1', ...attrs },
});

/** `<prop>` children as [code, value] pairs. */
const pairs = (reply: BinaryNode) =>
  children(child(reply, 'props'), 'prop').map((p) => [p.attrs.config_code, p.attrs.config_value]);

describe('AB props through the router', () => {
  let state: ServerState;
  let a1: DeviceRecord;

  beforeEach(async () => {
    state = newState();
    await addAccount(state, ALICE);
    a1 = addCompanion(state, ALICE, 1);
  });

  it('answers a first fetch with every prop, WA Web’s registry defaults by code, with the hash and refresh', async () => {
    const reply = await ask(state, a1, 'abt', 'get', [props()]);
    expect(child(reply, 'props')?.attrs).toEqual({
      protocol: '1',
      hash: state.abProps.hash,
      refresh: String(AB_PROPS_REFRESH_S),
    });
    expect(pairs(reply)).toEqual(
      [...DEFAULT_AB_PROPS].sort((a, b) => a.code - b.code).map((p) => [String(p.code), p.value]),
    );
    // The tc token props the client side needs, as whatsapp-rust's registry has them.
    expect(pairs(reply)).toEqual(
      expect.arrayContaining([
        ['865', '604800'],
        ['909', '4'],
        ['996', '604800'],
        ['997', '4'],
        ['10518', '0'],
      ]),
    );
  });

  it('answers the current hash with an empty delta and a stale hash with the full set', async () => {
    const delta = await ask(state, a1, 'abt', 'get', [props({ hash: state.abProps.hash })]);
    expect(delta.content).toEqual([
      {
        tag: 'props',
        attrs: {
          protocol: '1',
          hash: state.abProps.hash,
          refresh: String(AB_PROPS_REFRESH_S),
          delta_update: 'true',
        },
      },
    ]);
    const full = await ask(state, a1, 'abt', 'get', [props({ hash: 'stale' })]);
    expect(child(full, 'props')?.attrs.delta_update).toBeUndefined();
    expect(pairs(full)).toHaveLength(DEFAULT_AB_PROPS.length);
  });

  it('leaves a set and a get without <props> to the router (501)', async () => {
    expect(errorCode(await ask(state, a1, 'abt', 'set', [props()]))).toBe('501');
    expect(errorCode(await ask(state, a1, 'abt', 'get'))).toBe('501');
  });

  it('hashes codes and values: an override changes the hash, the same set gives the same one', () => {
    const base = new AbProps();
    expect(new AbProps().hash).toBe(base.hash);
    expect(new AbProps({ 10518: '0' }).hash).toBe(base.hash);
    const on = new AbProps({ 10518: '1' });
    expect(on.hash).not.toBe(base.hash);
    expect(on.values.get(10518)).toBe('1');
    expect(new AbProps({ 12345: 'x' }).values.get(12345)).toBe('x');
    expect(() => new AbProps({ 0: '1' })).toThrow(RangeError);
  });
});

describe('AB props over a WebSocket', () => {
  let server: WaServer;

  beforeAll(async () => {
    server = await startServer({ abProps: { 10518: '1' } });
  });

  afterAll(() => server.close());

  it('serves startServer’s overrides to a raw client, then a delta for the hash it got', async () => {
    const { client } = await linkedClient(server, '15550007002');
    const full = await client.query(iq('abt', 'get', [props()]));
    expect(pairs(full)).toContainEqual(['10518', '1']);
    const hash = child(full, 'props')?.attrs.hash;
    expect(hash).toMatch(/^[A-Za-z0-9+/]{11}$/);
    const delta = await client.query(iq('abt', 'get', [props({ hash: hash! })]));
    expect(child(delta, 'props')?.attrs).toEqual({
      protocol: '1',
      hash,
      refresh: String(AB_PROPS_REFRESH_S),
      delta_update: 'true',
    });
    expect(children(child(delta, 'props'))).toEqual([]);
    await client.close();
  });
});
