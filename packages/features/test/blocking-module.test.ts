import { type BinaryNode, fromXml } from '@wakit/binary-node';
import { MemoryStore, ModuleData, type ModuleHost, type Stanza, type StanzaHandler } from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { buildLidQuery, parseLids } from '../src/_usync-lid';
import { blockingModule } from '../src/index';

/** The module on a host whose server holds `serverList`; records the queries. */
function mounted(serverList: string) {
  const queries: BinaryNode[] = [];
  const handlers: StanzaHandler[] = [];
  const store = new MemoryStore();
  const host = {
    query: async (iq: BinaryNode) => {
      queries.push(iq);
      return fromXml(`<iq type="result">${serverList}</iq>`);
    },
    handle: (handler: StanzaHandler) => {
      handlers.push(handler);
      return () => {};
    },
    data: new ModuleData(store.kv, 'blocking'),
    store,
    timers: { now: () => 0 },
    emit: () => {},
  } as unknown as ModuleHost;
  const notify = (xml: string) =>
    handlers.find((h) => h.name === 'blocking:account-sync')!.handle({ node: fromXml(xml) } as Stanza);
  return { api: blockingModule.setup(host), queries, notify, store };
}

describe('blockingModule', () => {
  it('applies a change that follows the list it holds, and fetches when it does not', async () => {
    const { api, queries, notify, store } = mounted(
      '<list dhash="b"><item jid="9@lid"/><item jid="1@lid"/></list>',
    );
    await store.lids.put('1@lid', '15550001@s.whatsapp.net');
    await store.lids.put('9@lid', '15550009@s.whatsapp.net');
    await api.getBlocklist();
    expect(queries).toHaveLength(1);
    // Follows "b": applied without a fetch.
    await notify(
      '<notification type="account_sync"><blocklist dhash="c" prev_dhash="b"><item jid="1:2@lid" action="unblock"/></blocklist></notification>',
    );
    expect(queries).toHaveLength(1);
    expect(await api.isBlocked('15550001@s.whatsapp.net')).toBe(false);
    expect(await api.isBlocked('15550009@s.whatsapp.net')).toBe(true);
    // Follows a list this device never had: fetched again (the server still says 9 and 1).
    await notify(
      '<notification type="account_sync"><blocklist dhash="e" prev_dhash="d"><item jid="5@lid" action="block"/></blocklist></notification>',
    );
    expect(queries).toHaveLength(2);
    expect(await api.isBlocked('15550001@s.whatsapp.net')).toBe(true);
    expect(await api.isBlocked('5@lid')).toBe(false);
  });

  it('passes the notification on to other handlers (returns false)', async () => {
    const { notify } = mounted('<list dhash="b"/>');
    expect(
      await notify(
        '<notification type="account_sync"><blocklist dhash="c" prev_dhash="b"/><privacy/></notification>',
      ),
    ).toBe(false);
  });
});

describe('the usync LID query', () => {
  it('asks for lid of each user, and reads PN -> LID from the reply, skipping users without one', () => {
    const query = buildLidQuery(['1@s.whatsapp.net'], 'sid-1');
    expect(query.attrs).toEqual({ to: 's.whatsapp.net', type: 'get', xmlns: 'usync' });
    const reply = fromXml(
      '<iq type="result"><usync><list><user jid="1@s.whatsapp.net"><lid val="10@lid"/></user><user jid="2@s.whatsapp.net"/></list></usync></iq>',
    );
    expect([...parseLids(reply)]).toEqual([['1@s.whatsapp.net', '10@lid']]);
  });
});
