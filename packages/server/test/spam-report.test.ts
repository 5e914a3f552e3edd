/** Spam reports (docs/protocol.md §10.9): recorded with who sent them, answered with a report id. */
import type { BinaryNode } from '@wakit/binary-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { SPAM_FLOWS } from '../src/spam-reports';
import { startServer, type WaServer } from '../src/start-server';
import { iq, linkedClient } from './linked-client';
import { ALICE, addAccount, addCompanion, BOB, NOW_MS, newState } from './messaging-fixtures';
import { ask, errorCode } from './privacy-fixtures';

const BOB_PN = `${BOB.phone}@s.whatsapp.net`;
const RAW = new Uint8Array([0x0a, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]); // Message{conversation: "hello"}

/** `<spam_list spam_flow [attrs]><message …><raw …/></message></spam_list>`, as whatsapp-rust builds it. */
function spamList(
  attrs: Record<string, string>,
  messages: { attrs: Record<string, string>; raw?: Record<string, string> }[],
): BinaryNode {
  return {
    tag: 'spam_list',
    attrs,
    content: messages.map((m) => ({
      tag: 'message',
      attrs: m.attrs,
      content: m.raw === undefined ? [] : [{ tag: 'raw', attrs: m.raw, content: RAW }],
    })),
  };
}

const oneMessage = [{ attrs: { id: '3EB0AA', t: '1767225000', from: BOB_PN }, raw: { v: '3' } }];

describe('spam reports through the router', () => {
  let state: ServerState;
  let a1: DeviceRecord;

  beforeEach(async () => {
    state = newState();
    await addAccount(state, ALICE);
    await addAccount(state, BOB);
    a1 = addCompanion(state, ALICE, 1);
  });

  it('records every field of the list, the tc token and the reporter, and answers with a new report id each time', async () => {
    const tctoken: BinaryNode = { tag: 'tctoken', attrs: {}, content: new Uint8Array([0xca, 0xfe]) };
    const first = await ask(state, a1, 'spam', 'set', [
      spamList({ spam_flow: 'GroupInfoReport', jid: '120363025918861132@g.us', subject: 'Deals' }, [
        {
          attrs: { id: '3EB0AA', t: '1767225000', from: '120363025918861132@g.us', participant: BOB_PN },
          raw: { v: '3', mediatype: 'image', local_message_type: 'image' },
        },
      ]),
      tctoken,
    ]);
    const second = await ask(state, a1, 'spam', 'set', [spamList({ spam_flow: 'MessageMenu' }, oneMessage)]);
    expect(first).toEqual({
      tag: 'iq',
      attrs: { from: '@s.whatsapp.net', type: 'result', id: 'q1' },
      content: [{ tag: 'report_id', attrs: {}, content: '1' }],
    });
    expect(second.content).toEqual([{ tag: 'report_id', attrs: {}, content: '2' }]);
    expect(state.spamReports.list()).toEqual([
      {
        reportId: '1',
        reporter: ALICE.phone,
        device: a1.jid,
        spamFlow: 'GroupInfoReport',
        jid: '120363025918861132@g.us',
        subject: 'Deals',
        messages: [
          {
            id: '3EB0AA',
            t: '1767225000',
            from: '120363025918861132@g.us',
            participant: BOB_PN,
            raw: { v: '3', mediatype: 'image', localMessageType: 'image', bytes: RAW },
          },
        ],
        tcToken: new Uint8Array([0xca, 0xfe]),
        receivedAt: NOW_MS,
      },
      {
        reportId: '2',
        reporter: ALICE.phone,
        device: a1.jid,
        spamFlow: 'MessageMenu',
        jid: undefined,
        subject: undefined,
        messages: [
          {
            id: '3EB0AA',
            t: '1767225000',
            from: BOB_PN,
            participant: undefined,
            raw: { v: '3', mediatype: undefined, localMessageType: undefined, bytes: RAW },
          },
        ],
        tcToken: undefined,
        receivedAt: NOW_MS,
      },
    ]);
  });

  it('takes each of WA Web’s five flows and a message without raw bytes', async () => {
    for (const flow of SPAM_FLOWS) {
      const reply = await ask(state, a1, 'spam', 'set', [
        spamList({ spam_flow: flow }, [{ attrs: { id: 'M1', t: '1' } }]),
      ]);
      expect(reply.attrs.type, flow).toBe('result');
    }
    expect(state.spamReports.list().map((r) => [r.spamFlow, r.messages[0]?.raw])).toEqual(
      SPAM_FLOWS.map((flow) => [flow, undefined]),
    );
  });

  it('refuses an unknown or missing flow, no messages, or a message without id or numeric t with 400, recording nothing', async () => {
    const bad = [
      spamList({ spam_flow: 'Whatever' }, oneMessage),
      spamList({}, oneMessage),
      spamList({ spam_flow: 'MessageMenu' }, []),
      spamList({ spam_flow: 'MessageMenu' }, [{ attrs: { t: '1767225000' } }]),
      spamList({ spam_flow: 'MessageMenu' }, [{ attrs: { id: 'M1' } }]),
      spamList({ spam_flow: 'MessageMenu' }, [{ attrs: { id: 'M1', t: 'yesterday' } }]),
    ];
    for (const list of bad) expect(errorCode(await ask(state, a1, 'spam', 'set', [list]))).toBe('400');
    expect(state.spamReports.list()).toEqual([]);
  });

  it('leaves a get and a set without spam_list to the router (501)', async () => {
    expect(
      errorCode(await ask(state, a1, 'spam', 'get', [spamList({ spam_flow: 'MessageMenu' }, oneMessage)])),
    ).toBe('501');
    expect(errorCode(await ask(state, a1, 'spam', 'set'))).toBe('501');
  });
});

describe('spam reports over a WebSocket', () => {
  let server: WaServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server.close());

  it('answers a raw client with <report_id> and shows the report in server.spamReports()', async () => {
    const { client, jid } = await linkedClient(server, '15550007001');
    const reply = await client.query(
      iq('spam', 'set', [spamList({ spam_flow: 'ContactInfo' }, oneMessage)], { id: 'spam-1' }),
    );
    expect(reply).toEqual({
      tag: 'iq',
      attrs: { from: '@s.whatsapp.net', type: 'result', id: 'spam-1' },
      content: [{ tag: 'report_id', attrs: {}, content: '1' }],
    });
    const [report] = server.spamReports();
    expect(report).toMatchObject({
      reportId: '1',
      reporter: '15550007001',
      device: jid,
      spamFlow: 'ContactInfo',
    });
    expect(report?.messages[0]?.raw?.bytes).toEqual(RAW);
    await client.close();
  });
});
