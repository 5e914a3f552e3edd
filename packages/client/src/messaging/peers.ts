/**
 * One peer, two names. A WhatsApp account has a phone-number JID and a LID, and stanzas use either
 * (docs/protocol.md §4.1, §7.2). The client keeps ONE canonical form per peer — the LID once it is
 * known, else the PN — for chat lanes, dedupe keys and Signal sessions, so a peer reached by PN and
 * by LID never gets two sessions or two out-of-order chats. Mappings come from usync (`<lid val>`)
 * and from message attributes (`sender_lid`, `sender_pn`, `peer_recipient_*`).
 *
 * When a PN peer's LID becomes known, its Signal state moves to the LID name (in one transaction,
 * under the Signal lock), so the session already running continues under the new name.
 */
import { remember } from '../_bounded-map';
import type { Mutex } from '../pipeline/mutex';
import type { Store } from '../store/store';
import { isPersonJid, LID_SERVER, PN_SERVER, parseJid, signalName, userJid } from './jids';

/** PN users whose LID is kept in memory; beyond it the oldest is dropped (and read again when needed). */
const KNOWN_LIDS = 10_000;

/** Canonical forms and the LID <-> PN map. */
export class Peers {
  readonly #store: Store;
  readonly #lock: Mutex;
  // PN user -> LID user, as read from the store or learned. Every stanza's lane needs its chat's
  // canonical form, and without this each one waited for a store read. A mapping changes only
  // through `learn`, which updates this after its commit.
  readonly #lidOf = new Map<string, string>();
  // PN users the store has no LID for. Without it, a PN group (whose members' LIDs are mostly
  // unknown) read the store once per member on every distribution. Same reasoning: only `learn`
  // gives a PN a LID, and it drops the entry.
  readonly #withoutLid = new Map<string, true>();
  #generation = 0;

  constructor(store: Store, signalLock: Mutex) {
    this.#store = store;
    this.#lock = signalLock;
  }

  /** The canonical user JID of `jid` (any device of a person, or another JID, returned as its user). */
  async canonical(jid: string): Promise<string> {
    return this.resolve(jid);
  }

  /**
   * `canonical(jid)`, synchronously when no store read is needed (a LID, a JID that is not a PN, a
   * PN whose LID is known). Throws like `parseJid` on a malformed JID.
   */
  resolve(jid: string): string | Promise<string> {
    const parsed = parseJid(jid);
    const user = userJid(parsed);
    if (parsed.server !== PN_SERVER) return user;
    const lid = this.#lidOf.get(user);
    if (lid !== undefined) return lid;
    return this.#withoutLid.has(user) ? user : this.#readLid(user);
  }

  async #readLid(pnUser: string): Promise<string> {
    const lid = await this.#store.lids.getLid(pnUser);
    if (lid === undefined) {
      remember(this.#withoutLid, pnUser, true, KNOWN_LIDS);
      return pnUser;
    }
    remember(this.#lidOf, pnUser, lid, KNOWN_LIDS);
    return lid;
  }

  /** The other form of a person's user JID, when known. */
  async alternate(jid: string): Promise<string | undefined> {
    const parsed = parseJid(jid);
    if (!isPersonJid(parsed)) return undefined;
    const user = userJid(parsed);
    return parsed.server === LID_SERVER ? this.#store.lids.getPn(user) : this.#store.lids.getLid(user);
  }

  /**
   * Records that `lid` and `pn` are one account and moves Signal state and the device list kept
   * under the PN to the LID. Must not be called while holding the Signal lock (it takes it).
   */
  async learn(lid: string, pn: string): Promise<void> {
    const lidUser = userJid(lid);
    const pnUser = userJid(pn);
    const [lidJid, pnJid] = [parseJid(lidUser), parseJid(pnUser)];
    // A pair from the wire that names no person (a user the sessions cannot be named by) is not learnt.
    if (
      lidJid.server !== LID_SERVER ||
      pnJid.server !== PN_SERVER ||
      !isPersonJid(lidJid) ||
      !isPersonJid(pnJid)
    )
      return;
    if ((await this.#store.lids.getLid(pnUser)) === lidUser) return;
    await this.#lock.run(() =>
      this.#store.transaction(async (tx) => {
        await tx.lids.put(lidUser, pnUser);
        await tx.signalUsers.moveUser(signalName(pnUser), signalName(lidUser));
        // Lists are cached under the canonical user, which is now the LID.
        await tx.devices.delete(pnUser);
      }),
    );
    // As the store now has it: the LID's entry was rewritten, so the PN it had maps to nothing.
    for (const [known, lidUserOf] of this.#lidOf) if (lidUserOf === lidUser) this.#lidOf.delete(known);
    this.#withoutLid.delete(pnUser);
    remember(this.#lidOf, pnUser, lidUser, KNOWN_LIDS);
    this.#generation++;
  }

  /** Moves whenever `learn` changes a mapping, so a name may now read another user's state. */
  get generation(): number {
    return this.#generation;
  }
}
