import { type BinaryNode, fromXml, getChild } from '@wakit/binary-node';
import {
  IqError,
  MemoryStore,
  ModuleData,
  type ModuleHost,
  type Stanza,
  type StanzaHandler,
} from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { InvalidPrivacySettingError, PrivacyListConflictError, privacyModule } from '../src/index';

/** The module on a host that answers queries with `answer` and records what the module did. */
function mounted(answer: (iq: BinaryNode) => BinaryNode | Error = () => fromXml('<iq type="result"/>')) {
  const queries: BinaryNode[] = [];
  const handlers: StanzaHandler[] = [];
  const events: [string, unknown][] = [];
  const host = {
    query: async (iq: BinaryNode) => {
      queries.push(iq);
      const reply = answer(iq);
      if (reply instanceof Error) throw reply;
      return reply;
    },
    handle: (handler: StanzaHandler) => {
      handlers.push(handler);
      return () => {};
    },
    data: new ModuleData(new MemoryStore().kv, 'privacy'),
    emit: (event: string, payload: unknown) => events.push([event, payload]),
  } as unknown as ModuleHost;
  return { api: privacyModule.setup(host), queries, handlers, events };
}

describe('privacyModule', () => {
  it('fetchPrivacySettings reads every setting, with get and getValue by category', async () => {
    const { api } = mounted(() =>
      fromXml(
        '<iq type="result"><privacy><category name="last" value="contact_blacklist" dhash="9"/><category name="online" value="all"/></privacy></iq>',
      ),
    );
    const settings = await api.fetchPrivacySettings();
    expect(settings.settings).toHaveLength(2);
    expect(settings.get('last')).toEqual({ category: 'last', value: 'contact_blacklist', dhash: '9' });
    expect(settings.getValue('online')).toBe('all');
    expect(settings.getValue('defense')).toBeUndefined();
  });

  it('refuses an invalid pair before anything is sent', async () => {
    const { api, queries } = mounted();
    for (const [category, value] of [
      ['readreceipts', 'contacts'],
      ['online', 'none'],
      ['defense', 'all'],
      ['future_category', 'all'],
    ] as const) {
      await expect(api.setPrivacySetting(category, value)).rejects.toBeInstanceOf(InvalidPrivacySettingError);
    }
    expect(queries).toEqual([]);
  });

  it('sends a valid pair and gives the list dhash back when the server has one', async () => {
    // A server that echoes the setting, with the list's dhash on contact_blacklist.
    const { api, queries } = mounted((iq) => {
      const { name, value } = getChild(getChild(iq, 'privacy')!, 'category')!.attrs;
      const dhash = value === 'contact_blacklist' ? ' dhash="42"' : '';
      return fromXml(
        `<iq type="result"><privacy><category name="${name}" value="${value}"${dhash}/></privacy></iq>`,
      );
    });
    expect(await api.setPrivacySetting('status', 'contact_blacklist')).toEqual({ dhash: '42' });
    expect(queries).toHaveLength(1);
    expect(await api.setPrivacySetting('status', 'all')).toEqual({});
  });

  it('disallowed lists: only for the four list categories; a 409 becomes PrivacyListConflictError', async () => {
    const conflict = new IqError(
      409,
      'conflict',
      fromXml('<iq type="error"><error code="409" text="conflict"/></iq>'),
    );
    const { api, queries } = mounted((iq) =>
      JSON.stringify(iq).includes('"dhash":"stale"')
        ? conflict
        : fromXml(
            '<iq type="result"><privacy><category name="last" value="contact_blacklist" dhash="new"/></privacy></iq>',
          ),
    );
    const users = [{ action: 'add', jid: '100@lid' }] as const;
    await expect(api.setPrivacyDisallowedList('online', { dhash: '1', users })).rejects.toBeInstanceOf(
      InvalidPrivacySettingError,
    );
    expect(queries).toEqual([]);
    const error = await api
      .setPrivacyDisallowedList('last', { dhash: 'stale', users })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrivacyListConflictError);
    expect(error).toMatchObject({ category: 'last', staleDhash: 'stale', cause: conflict });
    expect(await api.setPrivacyDisallowedList('last', { dhash: 'fresh', users })).toBe('new');
  });

  it('keeps the default disappearing mode it set, and the one the server notifies', async () => {
    const { api, handlers, events, queries } = mounted();
    await expect(api.setDefaultDisappearingMode(-1)).rejects.toBeInstanceOf(RangeError);
    expect(queries).toEqual([]);
    await api.setDefaultDisappearingMode(604_800);
    expect(await api.getDefaultDisappearingMode()).toEqual({ duration: 604_800 });
    const node = fromXml(
      '<notification type="disappearing_mode" id="1" from="s.whatsapp.net"><disappearing_mode duration="86400" t="1700000000"/></notification>',
    );
    const handler = handlers.find((h) => h.name === 'privacy:disappearing-mode')!;
    await handler.handle({ node } as Stanza);
    expect(await api.getDefaultDisappearingMode()).toEqual({ duration: 86_400, timestamp: 1_700_000_000 });
    expect(events).toEqual([['disappearing-mode', { duration: 86_400, timestamp: 1_700_000_000 }]]);
  });
});
