/**
 * Spam reports as a client module: the shell over `spam-wire.ts`. A module of its own (not a part of
 * the account module) because a report is about someone else's message; the `wakit` facade can
 * expose its one call as `client.sendSpamReport(...)`.
 *
 * @example
 * ```ts
 * const spam = client.use(spamModule);
 * client.on('message', async ({ message, info }) => {
 *   if (!looksLikeSpam(message)) return;
 *   const { reportId } = await spam.sendSpamReport({
 *     messageId: info.id,
 *     messageTimestamp: info.timestamp,
 *     spamFlow: 'MessageMenu',
 *     fromJid: info.chat,
 *     rawMessage: message,
 *   });
 * });
 * ```
 */
import { isGroup, isLidUser, isPnUser, tryParseJid } from '@wakit/binary-node';
import { defineModule, encodeMessage, type MessageInput } from '@wakit/client';
import { InvalidSpamFlowError } from '../errors';
import { type TcTokenApi, tcTokenModule } from '../tctoken/tctoken-module';
import { buildSpamReport, isSpamReportFlow, parseSpamReportId, type SpamReportNode } from './spam-wire';

/**
 * A report about one message (or, with a group flow, about the group it came from): the wire's
 * fields, with the message as bytes or as a `Message` (encoded here) and the token optional
 * (looked up when not given).
 */
export interface SpamReportRequest extends Omit<SpamReportNode, 'rawMessage'> {
  /** The message itself, serialized (bytes) or as a `Message`, for the reviewers. */
  rawMessage?: Uint8Array | MessageInput | undefined;
}

/** What `client.use(spamModule)` gives. */
export interface SpamApi {
  /**
   * Reports a message as spam; resolves with the server's report id (undefined if it gave none).
   * Throws InvalidSpamFlowError (nothing sent) for an unknown flow.
   */
  sendSpamReport(report: SpamReportRequest): Promise<{ reportId: string | undefined }>;
}

/** The spam-report module; mount it with `client.use(spamModule)`. */
export const spamModule = defineModule('spam', (host): SpamApi => {
  // Mounted with this module, not at the first report: the tokens arrive with peers' messages.
  const tcTokens = host.use(tcTokenModule);
  return {
    async sendSpamReport(report) {
      // Checked before the message is encoded, so a bad flow costs nothing.
      if (!isSpamReportFlow(report.spamFlow)) throw new InvalidSpamFlowError(report.spamFlow);
      const { rawMessage, ...rest } = report;
      const node = buildSpamReport({
        ...rest,
        rawMessage:
          rawMessage === undefined || rawMessage instanceof Uint8Array
            ? rawMessage
            : encodeMessage(rawMessage),
        tcToken: report.tcToken ?? (await heldToken(tcTokens, report)),
      });
      return { reportId: parseSpamReportId(await host.query(node)) };
    },
  };
});

/**
 * The token the reported contact issued to us, if one is held and valid (WhatsApp Web's
 * OutSpamTCTokenMixin; whatsapp-rust `SpamReportSpec::with_tc_token`): the group participant's, or
 * the sender's of a 1:1 message. A JID that is no person's has none.
 */
async function heldToken(tcTokens: TcTokenApi, report: SpamReportRequest): Promise<Uint8Array | undefined> {
  const contact = report.participantJid ?? report.fromJid;
  if (contact === undefined) return undefined;
  const parsed = tryParseJid(contact);
  if (parsed === undefined || isGroup(parsed) || !(isPnUser(parsed) || isLidUser(parsed))) return undefined;
  return (await tcTokens.getToken(contact))?.token;
}
