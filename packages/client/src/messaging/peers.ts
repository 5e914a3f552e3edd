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
import type { Mutex } from '../pipeline/mutex';
import type { Store } from '../store/store';
import { isPersonJid, LID_SERVER, PN_SERVER, parseJid, signalName, userJid } from './jids';

/** Canonical forms and the LID <-> PN map. */
export class Peers {
  readonly #store: Store;
  readonly #lock: Mutex;

  constructor(store: Store, signalLock: Mutex) {
    this.#store = store;
    this.#lock = signalLock;
  }

  /** The canonical user JID of `jid` (any device of a person, or another JID, returned as its user). */
  async canonical(jid: string): Promise<string> {
    const parsed = parseJid(jid);
    const user = userJid(parsed);
    if (parsed.server !== PN_SERVER) return user;
    return (await this.#store.lids.getLid(user)) ?? user;
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
    if (parseJid(lidUser).server !== LID_SERVER || parseJid(pnUser).server !== PN_SERVER) return;
    if ((await this.#store.lids.getLid(pnUser)) === lidUser) return;
    await this.#lock.run(() =>
      this.#store.transaction(async (tx) => {
        await tx.lids.put(lidUser, pnUser);
        await tx.signalUsers.moveUser(signalName(pnUser), signalName(lidUser));
        // Lists are cached under the canonical user, which is now the LID.
        await tx.devices.delete(pnUser);
      }),
    );
  }
}
