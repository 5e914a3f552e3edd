/**
 * The spam reports clients sent (docs/protocol.md §10.9), kept in arrival order for tests to read
 * (`server.spamReports`). WhatsApp reviews reports offline; a test server has nobody to review
 * them, so it records what it was told and answers with a fresh report id (spam-iqs.ts).
 */

/** Where in the app the user reported from (whatsapp-rust wacore/src/types/spam_report.rs `SpamFlow`). */
export const SPAM_FLOWS = [
  'MessageMenu',
  'GroupSpamBannerReport',
  'GroupInfoReport',
  'ContactInfo',
  'StatusReport',
] as const;

/** One of SPAM_FLOWS. */
export type SpamFlow = (typeof SPAM_FLOWS)[number];

/** One reported message: `<message id t [from] [participant]>[<raw v [mediatype] [local_message_type]>]`. */
export interface SpamReportedMessage {
  readonly id: string;
  /** The message's timestamp as the client sent it (unix seconds). */
  readonly t: string;
  readonly from: string | undefined;
  /** The sender inside a group. */
  readonly participant: string | undefined;
  /** The serialized `Message` the client attached, with the attributes of its `<raw>`. */
  readonly raw:
    | {
        readonly v: string | undefined;
        readonly mediatype: string | undefined;
        readonly localMessageType: string | undefined;
        readonly bytes: Uint8Array;
      }
    | undefined;
}

/** One `<spam_list>` a device sent. */
export interface SpamReport {
  /** The `<report_id>` the server answered with; unique per server. */
  readonly reportId: string;
  /** The reporting account's phone number. */
  readonly reporter: string;
  /** The reporting device's JID (PN form). */
  readonly device: string;
  readonly spamFlow: SpamFlow;
  /** `spam_list jid`: the group reported from, when there is one. */
  readonly jid: string | undefined;
  /** `spam_list subject`: the group's subject as the client saw it. */
  readonly subject: string | undefined;
  readonly messages: readonly SpamReportedMessage[];
  /** The trusted-contact token sent beside the list (`<tctoken>`), if any. */
  readonly tcToken: Uint8Array | undefined;
  /** When the server received it (ms since the epoch, the server's clock). */
  readonly receivedAt: number;
}

/** Every spam report of one server, oldest first. */
export class SpamReports {
  readonly #reports: SpamReport[] = [];
  #lastId = 0;

  /** The reports so far, oldest first (a copy). */
  list(): SpamReport[] {
    return [...this.#reports];
  }

  /** Records `report` under a new report id and returns that id. */
  add(report: Omit<SpamReport, 'reportId'>): string {
    this.#lastId += 1;
    // Digits only: the codec writes them nibble-packed, which whatsapp-rust reads back as the
    // string content it expects of <report_id> (wacore/src/iq/spam_report.rs).
    const reportId = String(this.#lastId);
    this.#reports.push({ reportId, ...report });
    return reportId;
  }
}
