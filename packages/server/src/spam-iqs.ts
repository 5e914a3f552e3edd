/**
 * Spam reports (docs/protocol.md §10.9; whatsapp-rust wacore/src/iq/spam_report.rs and
 * wacore/src/types/spam_report.rs):
 *
 *   set : <iq xmlns="spam" type="set"><spam_list spam_flow [jid] [subject]>
 *           <message id t [from] [participant]><raw v="3" [mediatype] [local_message_type]>Message</raw></message>…
 *         </spam_list>[<tctoken>bytes</tctoken>]</iq>
 *      -> <report_id>N</report_id>
 *
 * Each accepted list is recorded in `state.spamReports` with who sent it and when. A `spam_flow`
 * outside WA Web's five, a list without messages, or a message without `id` and `t` is 400 and
 * records nothing. A get, or a set without `<spam_list>`, is not this handler's (501 from the router).
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { IqHandler } from './iq-context';
import { child, children, contentBytes, iqError, iqResult } from './nodes';
import { SPAM_FLOWS, type SpamFlow, type SpamReportedMessage } from './spam-reports';

/** Answers `spam` sets; `undefined` for anything else. */
export const handleSpamIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'spam' || node.attrs.type !== 'set') return undefined;
  const list = child(node, 'spam_list');
  if (list === undefined) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  const spamFlow = list.attrs.spam_flow;
  if (!isSpamFlow(spamFlow)) return iqError(node, 400, 'bad-request');
  const messages: SpamReportedMessage[] = [];
  for (const message of children(list, 'message')) {
    const parsed = parseMessage(message);
    if (parsed === undefined) return iqError(node, 400, 'bad-request');
    messages.push(parsed);
  }
  if (messages.length === 0) return iqError(node, 400, 'bad-request');
  const reportId = ctx.state.spamReports.add({
    reporter: device.phoneNumber,
    device: device.jid,
    spamFlow,
    jid: list.attrs.jid,
    subject: list.attrs.subject,
    messages,
    tcToken: contentBytes(child(node, 'tctoken')),
    receivedAt: ctx.state.options.now(),
  });
  return iqResult(node, [{ tag: 'report_id', attrs: {}, content: reportId }]);
};

function isSpamFlow(value: string | undefined): value is SpamFlow {
  return (SPAM_FLOWS as readonly (string | undefined)[]).includes(value);
}

function parseMessage(message: BinaryNode): SpamReportedMessage | undefined {
  const { id, t, from, participant } = message.attrs;
  if (id === undefined || id === '' || t === undefined || !/^\d+$/.test(t)) return undefined;
  const raw = child(message, 'raw');
  const bytes = contentBytes(raw);
  return {
    id,
    t,
    from,
    participant,
    raw:
      raw === undefined
        ? undefined
        : {
            v: raw.attrs.v,
            mediatype: raw.attrs.mediatype,
            localMessageType: raw.attrs.local_message_type,
            bytes: bytes ?? new Uint8Array(0),
          },
  };
}
