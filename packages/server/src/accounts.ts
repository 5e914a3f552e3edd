/**
 * What the server keeps per account (one phone number, one LID) beyond its devices: the push name
 * relayed as `notify` on messages, the ADV raw id its key-index list is signed under, who asked
 * for the account's device list (the devices told when it changes, docs/protocol.md §6.8), its
 * privacy state (§10.1 to §10.3) and its profile picture and status text (§10.6, §10.7).
 */
import type { CryptoProvider } from '@wakit/crypto';
import type { Namespace } from './addresses';
import type { SignedKeyIndexList } from './key-index-list';
import { AccountPrivacy } from './privacy-state';
import { AccountProfile } from './profile-state';

/** One account's server-side record. */
export interface AccountRecord {
  readonly phoneNumber: string;
  /**
   * Relayed as `notify` on the account's messages (Baileys turns it into `pushName`). Default
   * `User <last 4 digits>`; a `<presence name>` from any of the account's devices replaces it.
   */
  pushName: string;
  /** ADVKeyIndexList.rawId: one per account, as on the real server (docs/protocol.md §5.3). */
  readonly rawId: number;
  /**
   * Device JID (PN form) of every device that ran a usync `devices` query for this account -> the
   * namespace it asked in. They get `<notification type="devices">` when a companion links or goes.
   */
  readonly subscribers: Map<string, Namespace>;
  /** The last signed key-index list and the companion set it covers (`key-index-list.ts`). */
  keyIndexList: { key: string; list: Promise<SignedKeyIndexList> } | undefined;
  /**
   * Trusted-contact tokens this account issued (docs/protocol.md §10.8): holder's phone number ->
   * the opaque token and its `t`.
   */
  readonly issuedTokens: Map<string, { token: Uint8Array; t: string }>;
  /** Privacy settings, disallowed lists, blocklist, default disappearing mode (`privacy-state.ts`). */
  readonly privacy: AccountPrivacy;
  /** Profile picture and status text (`profile-state.ts`). */
  readonly profile: AccountProfile;
}

/** The account records of one server, made on first use. */
export class Accounts {
  readonly #crypto: CryptoProvider;
  readonly #records = new Map<string, AccountRecord>();

  constructor(crypto: CryptoProvider) {
    this.#crypto = crypto;
  }

  /** The record of `phoneNumber` (digits), created with defaults the first time it is asked for. */
  get(phoneNumber: string): AccountRecord {
    let record = this.#records.get(phoneNumber);
    if (record === undefined) {
      const raw = this.#crypto.randomBytes(4);
      record = {
        phoneNumber,
        pushName: `User ${phoneNumber.slice(-4)}`,
        rawId: new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0),
        subscribers: new Map(),
        keyIndexList: undefined,
        issuedTokens: new Map(),
        privacy: new AccountPrivacy(),
        profile: new AccountProfile(),
      };
      this.#records.set(phoneNumber, record);
    }
    return record;
  }
}
