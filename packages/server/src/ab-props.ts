/**
 * The A/B props (experiment configs) the server hands out (docs/protocol.md §10.13: `<success
 * props abprops>` tells a client to fetch them). WhatsApp serves about two thousand; clients keep
 * the few they read and fall back to their built-in default for the rest. This server serves the
 * props whatsapp-rust reads (wacore/src/iq/props.rs `WATCHED`, less the two its registry marks as
 * no longer shipped by WA Web), each with WA Web's registry default (wacore/src/iq/abprops.rs, WA
 * Web 2.3000.1045368834), so a client sees the same values as with no props at all, but through
 * the real codes. `StartServerOptions.abProps` overrides or adds codes for a test.
 *
 * Booleans are `1`/`0`: whatsapp-rust takes `1`, `true` or `enabled` as on, Baileys `1` or `true`.
 */
import { listHash } from './list-hash';

/** One served prop: its code (what goes on the wire), WA Web's name for it, and its value. */
export interface AbPropEntry {
  readonly code: number;
  readonly name: string;
  readonly value: string;
}

/** The props served by default, with WA Web's registry defaults. */
export const DEFAULT_AB_PROPS: readonly AbPropEntry[] = [
  { code: 865, name: 'tctoken_duration', value: '604800' },
  { code: 909, name: 'tctoken_num_buckets', value: '4' },
  { code: 996, name: 'tctoken_duration_sender', value: '604800' },
  { code: 997, name: 'tctoken_num_buckets_sender', value: '4' },
  { code: 4991, name: 'enable_spam_report_iq_with_privacy_token', value: '0' },
  { code: 9435, name: 'lid_one_on_one_migration_enabled', value: '0' },
  { code: 10518, name: 'privacy_token_sending_on_all_1_on_1_messages', value: '0' },
  { code: 11261, name: 'privacy_token_sending_on_group_create', value: '0' },
  { code: 11262, name: 'privacy_token_sending_on_group_participant_add', value: '0' },
  { code: 14303, name: 'lid_trusted_token_issue_to_lid', value: '0' },
  { code: 20798, name: 'profile_scraping_privacy_token_in_about_usync', value: '0' },
  { code: 24941, name: 'wa_nct_token_send_enabled', value: '0' },
  { code: 30084, name: 'receipt_mode_bitmask_enabled', value: '0' },
  { code: 31113, name: 'web_send_hid_failed_decrypt_in_receipts_enabled', value: '0' },
];

/** How often a client should fetch again, in seconds (`<props refresh>`). */
export const AB_PROPS_REFRESH_S = 86_400;

/** The props of one server and the hash a client sends back to ask for changes only. */
export class AbProps {
  /** Code -> value, by code. */
  readonly values: ReadonlyMap<number, string>;
  /**
   * Changes when any code or value does: the sorted `code=value` pairs hashed as list-hash.ts
   * hashes lists. What WhatsApp hashes is not known; clients only store it and send it back.
   */
  readonly hash: string;

  /** The default props with `overrides` (code -> value) applied. */
  constructor(overrides: Readonly<Record<number, string>> = {}) {
    const values = new Map(DEFAULT_AB_PROPS.map((p) => [p.code, p.value]));
    for (const [code, value] of Object.entries(overrides)) {
      const n = Number(code);
      if (!Number.isSafeInteger(n) || n < 1)
        throw new RangeError(`AB prop code must be a positive integer, got ${code}`);
      values.set(n, value);
    }
    this.values = new Map([...values].sort(([a], [b]) => a - b));
    this.hash = listHash([...this.values].map(([code, value]) => `${code}=${value}`));
  }
}
