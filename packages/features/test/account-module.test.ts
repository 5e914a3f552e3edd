/** The account module on a recording host: the props cache, the dirty event, the push name's order. */
import { type BinaryNode, fromXml, getChild } from '@wakit/binary-node';
import {
  type DeviceCredentials,
  IqError,
  MemoryStore,
  ModuleData,
  type ModuleHost,
  NoCredentialsError,
  type Stanza,
  type StanzaHandler,
} from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { accountModule, InvalidPushNameError } from '../src/index';

const props = (attrs: string, children = '') =>
  fromXml(`<iq type="result"><props protocol="1" ${attrs}>${children}</props></iq>`);

/** The module on a host answering queries with `answers` in turn, recording what it was asked. */
/** `account: null` is an unpaired device. */
function mounted(answers: BinaryNode[] = [], account: Partial<DeviceCredentials['account']> | null = {}) {
  const queries: BinaryNode[] = [];
  const sent: BinaryNode[] = [];
  const handlers: StanzaHandler[] = [];
  const events: [string, unknown][] = [];
  const log: string[] = [];
  const data = new ModuleData(new MemoryStore().kv, 'account');
  const credentials =
    account === null
      ? undefined
      : ({ account: { jid: '1:2@s.whatsapp.net', ...account } } as DeviceCredentials);
  const host = {
    query: async (iq: BinaryNode) => {
      queries.push(iq);
      const answer = answers.shift();
      if (answer === undefined) throw new IqError(404, 'item-not-found', iq);
      return answer;
    },
    sendNode: async (node: BinaryNode) => {
      log.push('send');
      sent.push(node);
    },
    updateAccount: async (patch: { pushName?: string }) => {
      log.push('store');
      Object.assign(credentials!.account!, patch);
      return credentials!.account;
    },
    store: { loadCredentials: async () => credentials },
    handle: (handler: StanzaHandler) => {
      handlers.push(handler);
      return () => {};
    },
    data,
    emit: (event: string, payload: unknown) => events.push([event, payload]),
  } as unknown as ModuleHost;
  return { api: accountModule.setup(host), queries, sent, handlers, events, log, data, answers };
}

const hashSent = (iq: BinaryNode | undefined) => getChild(iq!, 'props')?.attrs.hash;

describe('accountModule: A/B props', () => {
  it('a first fetch sends no hash and keeps the whole configuration with its hash', async () => {
    const { api, queries, data } = mounted([
      props(
        'hash="h1" refresh="600"',
        '<prop config_code="1" config_value="a"/><prop event_code="2" sampling_weight="5"/>',
      ),
    ]);
    const result = await api.fetchProps();
    expect(hashSent(queries[0])).toBeUndefined();
    expect(result).toEqual({
      config: new Map([[1, 'a']]),
      sampling: new Map([[2, 5]]),
      hash: 'h1',
      abKey: undefined,
      refreshSeconds: 600,
      update: 'full',
    });
    expect(await data.getJson('props')).toMatchObject({ hash: 'h1', config: [[1, 'a']] });
  });

  it('sends the held hash next time; a delta is merged into the held props', async () => {
    const { api, queries } = mounted([
      props('hash="h1"', '<prop config_code="1" config_value="a"/><prop config_code="2" config_value="b"/>'),
      props(
        'hash="h2" delta_update="true"',
        '<prop config_code="2" config_value="B"/><prop config_code="3" config_value="c"/>',
      ),
    ]);
    await api.fetchProps();
    const second = await api.fetchProps();
    expect(hashSent(queries[1])).toBe('h1');
    expect(second.update).toBe('delta');
    expect(second.hash).toBe('h2');
    expect(second.config).toEqual(
      new Map([
        [1, 'a'],
        [2, 'B'],
        [3, 'c'],
      ]),
    );
  });

  it('an answer with nothing new keeps the held props (an empty delta, or the same hash and no props)', async () => {
    for (const unchanged of [props('hash="h1" delta_update="true"'), props('hash="h1"')]) {
      const { api } = mounted([props('hash="h1"', '<prop config_code="1" config_value="a"/>'), unchanged]);
      await api.fetchProps();
      const second = await api.fetchProps();
      expect(second.update).toBe('unchanged');
      expect(second.config).toEqual(new Map([[1, 'a']]));
    }
  });

  it('a full answer replaces the held props', async () => {
    const { api } = mounted([
      props('hash="h1"', '<prop config_code="1" config_value="a"/>'),
      props('hash="h2"', '<prop config_code="9" config_value="z"/>'),
    ]);
    await api.fetchProps();
    const second = await api.fetchProps();
    expect(second.update).toBe('full');
    expect(second.config).toEqual(new Map([[9, 'z']]));
  });

  it('the cache survives a restart: a new module instance on the same data sends the stored hash', async () => {
    const first = mounted([props('hash="h1"', '<prop config_code="1" config_value="a"/>')]);
    await first.api.fetchProps();
    const stored = await first.data.getJson('props');
    const second = mounted([props('hash="h1" delta_update="true"')]);
    await second.data.putJson('props', stored);
    const result = await second.api.fetchProps();
    expect(hashSent(second.queries[0])).toBe('h1');
    expect(result.config).toEqual(new Map([[1, 'a']]));
  });
});

describe('accountModule: dirty bits', () => {
  it('emits one dirty event per <dirty> of an <ib>', async () => {
    const { handlers, events } = mounted();
    const handler = handlers.find((h) => h.name === 'account:dirty')!;
    await handler.handle({
      node: fromXml('<ib><dirty type="account_sync" timestamp="1700000000"/><dirty type="groups"/></ib>'),
    } as Stanza);
    expect(events).toEqual([
      ['dirty', { type: 'account_sync', timestamp: 1700000000 }],
      ['dirty', { type: 'groups' }],
    ]);
  });

  it('cleanDirtyBits sends the type with the timestamp given', async () => {
    const { api, queries } = mounted([fromXml('<iq type="result"/>')]);
    await api.cleanDirtyBits('account_sync', 1700000000);
    expect(queries[0]?.content).toEqual([
      { tag: 'clean', attrs: { type: 'account_sync', timestamp: '1700000000' } },
    ]);
  });
});

describe('accountModule: names', () => {
  it('reads the push name, PN and LID from the credentials; undefined before pairing', async () => {
    const { api } = mounted([], { pushName: 'Ana', lid: '9:2@lid' });
    expect(await api.getPushName()).toBe('Ana');
    expect(await api.getPn()).toBe('1:2@s.whatsapp.net');
    expect(await api.getLid()).toBe('9:2@lid');
    const unpaired = mounted([], null).api;
    expect(await unpaired.getPushName()).toBeUndefined();
    expect(await unpaired.getPn()).toBeUndefined();
    expect(await unpaired.getLid()).toBeUndefined();
  });

  it('setPushName sends the presence, then stores the name', async () => {
    const { api, sent, log } = mounted();
    await api.setPushName('Ana');
    expect(sent).toEqual([{ tag: 'presence', attrs: { name: 'Ana' } }]);
    expect(log).toEqual(['send', 'store']);
    expect(await api.getPushName()).toBe('Ana');
  });

  it('sends nothing for an invalid name or an unpaired device', async () => {
    const { api, sent } = mounted();
    await expect(api.setPushName(' ')).rejects.toBeInstanceOf(InvalidPushNameError);
    const unpaired = mounted([], null);
    await expect(unpaired.api.setPushName('Ana')).rejects.toBeInstanceOf(NoCredentialsError);
    expect([...sent, ...unpaired.sent]).toEqual([]);
  });
});
