/** Spam reports against @wakit/server, which records each one (`server.spamReports()`). */
import { encodeMessage } from '@wakit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../../client/test/_wait';
import {
  accountModule,
  InvalidSpamFlowError,
  type SpamReportFlow,
  spamModule,
  type TcTokenEvent,
  tcTokenModule,
} from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('spam reports on the embedded server', () => {
  it('a reported message reaches the server with its sender and bytes; the report id comes back', async () => {
    const { server, client, close } = await linkedOnServer('15550001111');
    cleanups.push(close);
    const spam = client.use(spamModule);
    const message = { conversation: 'cheap watches' };
    const { reportId } = await spam.sendSpamReport({
      messageId: '3EB0C0FFEE',
      messageTimestamp: 1_700_000_000,
      spamFlow: 'MessageMenu',
      fromJid: '15550002222@s.whatsapp.net',
      rawMessage: message,
    });
    const reports = server.spamReports();
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(reportId).toBe(report!.reportId);
    expect(report).toMatchObject({
      reporter: '15550001111',
      device: await client.use(accountModule).getPn(),
      spamFlow: 'MessageMenu',
      jid: undefined,
      tcToken: undefined,
    });
    expect(report!.messages).toEqual([
      {
        id: '3EB0C0FFEE',
        t: '1700000000',
        from: '15550002222@s.whatsapp.net',
        participant: undefined,
        raw: { v: '3', mediatype: undefined, localMessageType: undefined, bytes: encodeMessage(message) },
      },
    ]);
  });

  it('a group report carries the group, subject, participant, media type and a given tc token', async () => {
    const { server, client, close } = await linkedOnServer('15550001111');
    cleanups.push(close);
    const { reportId } = await client.use(spamModule).sendSpamReport({
      messageId: 'M2',
      messageTimestamp: 42,
      spamFlow: 'GroupSpamBannerReport',
      groupJid: '120363000000000001@g.us',
      groupSubject: 'Deals',
      participantJid: '15550003333@s.whatsapp.net',
      rawMessage: Uint8Array.of(0x0a, 0x01, 0x41),
      mediaType: 'image',
      tcToken: Uint8Array.of(7, 7, 7),
    });
    const report = server.spamReports().find((r) => r.reportId === reportId)!;
    expect(report).toMatchObject({
      spamFlow: 'GroupSpamBannerReport',
      jid: '120363000000000001@g.us',
      subject: 'Deals',
      tcToken: Uint8Array.of(7, 7, 7),
    });
    expect(report.messages[0]).toMatchObject({
      participant: '15550003333@s.whatsapp.net',
      raw: { v: '3', mediatype: 'image', bytes: Uint8Array.of(0x0a, 0x01, 0x41) },
    });
  });

  it('every flow is accepted; an unknown one is refused before anything is sent', async () => {
    const { server, client, close } = await linkedOnServer('15550001111');
    cleanups.push(close);
    const spam = client.use(spamModule);
    for (const spamFlow of ['GroupInfoReport', 'ContactInfo', 'StatusReport'] as const) {
      await spam.sendSpamReport({ messageId: spamFlow, messageTimestamp: 1, spamFlow });
    }
    expect(server.spamReports().map((r) => r.spamFlow)).toEqual([
      'GroupInfoReport',
      'ContactInfo',
      'StatusReport',
    ]);
    await expect(
      spam.sendSpamReport({ messageId: 'X', messageTimestamp: 1, spamFlow: 'Scam' as SpamReportFlow }),
    ).rejects.toBeInstanceOf(InvalidSpamFlowError);
    expect(server.spamReports()).toHaveLength(3);
  });

  it("a report on a contact's message carries the token that contact issued to us", async () => {
    const { server, client: ana, close, linkAccount } = await linkedOnServer('15550001111');
    cleanups.push(close);
    const spam = ana.use(spamModule);
    const ben = await linkAccount('15550002222');
    ben.use(tcTokenModule);
    // Ben's first message issues his token to Ana; her token module (mounted with spam) stores it.
    const stored = nextEvent(ana, 'tc-token') as Promise<TcTokenEvent>;
    const received = nextEvent(ana, 'message');
    await ben.sendMessage('15550001111@s.whatsapp.net', { conversation: 'buy now' });
    await stored;
    const held = await ana.use(tcTokenModule).getToken('15550002222@s.whatsapp.net');
    expect(held?.token.length).toBeGreaterThan(0);
    const { info } = (await received) as { info: { id: string; timestamp: number; chat: string } };
    const { reportId } = await spam.sendSpamReport({
      messageId: info.id,
      messageTimestamp: info.timestamp,
      spamFlow: 'MessageMenu',
      fromJid: info.chat,
    });
    const report = server.spamReports().find((r) => r.reportId === reportId)!;
    expect(report.tcToken).toEqual(held!.token);
    expect(report.messages[0]).toMatchObject({ id: info.id, from: info.chat });
  });
});
