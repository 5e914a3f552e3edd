/**
 * Spam reports (xmlns `spam`, docs/protocol.md §10.9), sans-IO (whatsapp-rust
 * wacore/src/iq/spam_report.rs, wacore/src/types/spam_report.rs):
 *
 *   <iq to=s.whatsapp.net type=set xmlns=spam>
 *     <spam_list spam_flow=<flow> [jid=<group>] [subject=<group subject>]>
 *       <message id t=<unix seconds> [from] [participant]>
 *         [<raw v=3 [mediatype] [local_message_type]>serialized Message</raw>]
 *       </message>
 *     </spam_list>
 *     [<tctoken>bytes</tctoken>]
 *   </iq>
 *   -> <report_id>…</report_id>
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { InvalidSpamFlowError } from '../errors';

/** Where in the app the report was made: the server's `spam_flow` values. */
export const SPAM_REPORT_FLOWS = [
  'MessageMenu',
  'GroupInfoReport',
  'GroupSpamBannerReport',
  'ContactInfo',
  'StatusReport',
] as const;

export type SpamReportFlow = (typeof SPAM_REPORT_FLOWS)[number];

/** True when `value` is one of SPAM_REPORT_FLOWS. */
export function isSpamReportFlow(value: unknown): value is SpamReportFlow {
  return typeof value === 'string' && (SPAM_REPORT_FLOWS as readonly string[]).includes(value);
}

/** A report as it goes on the wire (the message already serialized). */
export interface SpamReportNode {
  messageId: string;
  /** The reported message's time, Unix seconds. */
  messageTimestamp: number;
  spamFlow: SpamReportFlow;
  /** The message's sender (the chat, for a 1:1 message). */
  fromJid?: string | undefined;
  /** The group, for a report about a group or one of its messages. */
  groupJid?: string | undefined;
  /** The group's subject, shown to reviewers with the group. */
  groupSubject?: string | undefined;
  /** The sender within the group. */
  participantJid?: string | undefined;
  /** The serialized `Message`. */
  rawMessage?: Uint8Array | undefined;
  /** `image`, `video`, … for a media message (only with `rawMessage`). */
  mediaType?: string | undefined;
  /** The reported contact's trusted-contact token (WhatsApp Web attaches one when it holds it). */
  tcToken?: Uint8Array | undefined;
}

/**
 * The report IQ.
 *
 * @throws InvalidSpamFlowError for a flow not in SPAM_REPORT_FLOWS; TypeError for an empty message id;
 *   RangeError for a timestamp that is not Unix seconds.
 */
export function buildSpamReport(report: SpamReportNode): BinaryNode {
  if (!isSpamReportFlow(report.spamFlow)) throw new InvalidSpamFlowError(report.spamFlow);
  if (typeof report.messageId !== 'string' || report.messageId === '') {
    throw new TypeError(`"messageId" expected a message id, got ${JSON.stringify(report.messageId)}`);
  }
  const t = report.messageTimestamp;
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new RangeError(`"messageTimestamp" expected Unix seconds (a non-negative integer), got ${t}`);
  }
  const message: BinaryNode = {
    tag: 'message',
    attrs: withOptional(
      { id: report.messageId, t: String(t) },
      { from: report.fromJid, participant: report.participantJid },
    ),
  };
  if (report.rawMessage !== undefined) {
    message.content = [
      {
        tag: 'raw',
        attrs: withOptional({ v: '3' }, { mediatype: report.mediaType }),
        content: report.rawMessage,
      },
    ];
  }
  const content: BinaryNode[] = [
    {
      tag: 'spam_list',
      attrs: withOptional(
        { spam_flow: report.spamFlow },
        { jid: report.groupJid, subject: report.groupSubject },
      ),
      content: [message],
    },
  ];
  if (report.tcToken !== undefined) content.push({ tag: 'tctoken', attrs: {}, content: report.tcToken });
  return { tag: 'iq', attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'spam' }, content };
}

/** `attrs` with each of `optional` that is set. */
function withOptional(
  attrs: Record<string, string>,
  optional: Record<string, string | undefined>,
): Record<string, string> {
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) attrs[name] = value;
  return attrs;
}

/**
 * The report id of the reply; undefined when the server gave none (whatsapp-rust treats it as
 * optional too).
 */
export function parseSpamReportId(reply: BinaryNode): string | undefined {
  const content = getChild(reply, 'report_id')?.content;
  if (typeof content === 'string') return content === '' ? undefined : content;
  if (content instanceof Uint8Array)
    return content.length === 0 ? undefined : new TextDecoder().decode(content);
  return undefined;
}
