/**
 * Whether each account is online, and when it was last seen (docs/protocol.md §10.4). A device
 * says `<presence type="available">` or `type="unavailable"`; the account is online while at least
 * one of its devices is available, and offline once all are unavailable or gone (a disconnect counts
 * as unavailable, as on WhatsApp, where closing the app or losing the network ends "online").
 *
 * A device's availability belongs to the connection it was said on: a newer login of the same
 * device starts unavailable until it says otherwise, and the older connection closing later does
 * not take the newer one offline.
 *
 * Last seen is the server's clock (`ServerStateOptions.now`), in unix seconds, stamped whenever a
 * device of the account says available or unavailable and when an available device disconnects:
 * each is a moment the account was seen. It is only shown while the account is offline
 * (presence-view.ts), so stamps made while online are overwritten by the one that ends it.
 */
import type { LiveConnection } from './server-state';

/** One account's presence as the server keeps it. */
interface AccountPresence {
  /** Device JID (PN form) -> the connection it said `available` on. */
  readonly available: Map<string, LiveConnection>;
  /** Unix seconds; undefined until a device of the account said anything. */
  lastSeen: number | undefined;
}

/** The presence of every account of one server, by phone number. */
export class PresenceState {
  readonly #accounts = new Map<string, AccountPresence>();

  /** True while a device of the account is available. */
  isOnline(phoneNumber: string): boolean {
    return (this.#accounts.get(phoneNumber)?.available.size ?? 0) > 0;
  }

  /** When the account was last seen (unix seconds), if ever. */
  lastSeen(phoneNumber: string): number | undefined {
    return this.#accounts.get(phoneNumber)?.lastSeen;
  }

  /** Device `jid` of `phoneNumber` said available (`true`) or unavailable on `endpoint` at `seconds`. */
  set(phoneNumber: string, jid: string, endpoint: LiveConnection, available: boolean, seconds: number): void {
    const account = this.#account(phoneNumber);
    if (available) account.available.set(jid, endpoint);
    else account.available.delete(jid);
    account.lastSeen = seconds;
  }

  /**
   * `endpoint`, the connection of device `jid`, closed at `seconds`: the device is unavailable if it
   * was available on that connection. False when that changed nothing.
   */
  disconnected(phoneNumber: string, jid: string, endpoint: LiveConnection, seconds: number): boolean {
    const account = this.#accounts.get(phoneNumber);
    if (account === undefined || account.available.get(jid) !== endpoint) return false;
    account.available.delete(jid);
    account.lastSeen = seconds;
    return true;
  }

  #account(phoneNumber: string): AccountPresence {
    let account = this.#accounts.get(phoneNumber);
    if (account === undefined) {
      account = { available: new Map(), lastSeen: undefined };
      this.#accounts.set(phoneNumber, account);
    }
    return account;
  }
}
