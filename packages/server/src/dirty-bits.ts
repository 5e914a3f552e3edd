/**
 * Dirty bits (docs/protocol.md §7.6): the server's way of telling an account's devices that
 * something they keep a copy of changed while they were away, so they should fetch it again.
 * A bit is set per account and type, with the time it was set; every device of the account that is
 * online gets it at once, and every device that logs in while it is set gets it after `<success>`:
 *
 *   <ib from=S><dirty type timestamp/></ib>          one <ib> per bit: Baileys reads only the
 *                                                     first <dirty> of an <ib>
 *
 * A device answers with the clean IQ (dirty-iqs.ts), which clears the bit for the whole account.
 * Types clients act on (whatsapp-rust wacore/src/iq/dirty.rs `DirtyType`, Baileys chats.ts and
 * groups.ts): `account_sync` (Baileys: remembers the timestamp), `groups` (Baileys and wakit's
 * groups module refetch the participating groups, which group-iqs.ts serves, then clean), `syncd_app_state`
 * (whatsapp-rust: app-state resync), `newsletter_metadata`. Nothing is ever set on its own here:
 * a test sets bits with `server.markDirty`.
 *
 * `<ib>` is not acked and not queued: a device that is offline gets the bit when it logs in.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { accountDevices } from './addresses';
import { SERVER_JID, unixSeconds } from './nodes';
import type { DeviceRecord, LiveConnection, ServerState } from './server-state';

/** The dirty types clients handle (whatsapp-rust `DirtyType`); others are sent as given. */
export const DIRTY_TYPES = ['account_sync', 'groups', 'syncd_app_state', 'newsletter_metadata'] as const;

/** A set bit: its type and when it was set (unix seconds, as a string). */
export interface DirtyBit {
  readonly type: string;
  readonly timestamp: string;
}

/** One clean IQ child a device sent. */
export interface DirtyClean {
  /** The cleaning device (PN form). */
  readonly device: string;
  readonly phoneNumber: string;
  readonly type: string;
  /** The `timestamp` attribute, when the client sent one. */
  readonly timestamp: string | undefined;
  /** Whether a bit of that type was set (and is now cleared). */
  readonly cleared: boolean;
  /** When the server got it (ms since the epoch, the server's clock). */
  readonly receivedAt: number;
}

/** The dirty bits of every account of one server, and the cleans devices sent. */
export class DirtyBits {
  readonly #state: ServerState;
  /** Phone number -> type -> bit. */
  readonly #bits = new Map<string, Map<string, DirtyBit>>();
  readonly #cleans: DirtyClean[] = [];

  constructor(state: ServerState) {
    this.#state = state;
  }

  /** Sets bit `type` of account `phoneNumber` (again: with a new timestamp) and tells its online devices. */
  mark(phoneNumber: string, type: string): DirtyBit {
    const bit: DirtyBit = { type, timestamp: unixSeconds(this.#state.options.now()) };
    let bits = this.#bits.get(phoneNumber);
    if (bits === undefined) {
      bits = new Map();
      this.#bits.set(phoneNumber, bits);
    }
    bits.set(type, bit);
    for (const device of accountDevices(this.#state, phoneNumber)) {
      this.#state.live.get(device.jid)?.send(dirtyNode(bit));
    }
    return bit;
  }

  /** The bits set on account `phoneNumber`, in the order they were first set. */
  bitsOf(phoneNumber: string): DirtyBit[] {
    return [...(this.#bits.get(phoneNumber)?.values() ?? [])];
  }

  /** Device `record` logged in on `endpoint` (right after `<success>`): it gets every bit set. */
  loggedIn(record: DeviceRecord, endpoint: LiveConnection): void {
    for (const bit of this.bitsOf(record.phoneNumber)) endpoint.send(dirtyNode(bit));
  }

  /** Device `record` cleaned `type`: the account's bit goes (if set), and the clean is recorded. */
  clean(record: DeviceRecord, type: string, timestamp: string | undefined): void {
    const cleared = this.#bits.get(record.phoneNumber)?.delete(type) ?? false;
    this.#cleans.push({
      device: record.jid,
      phoneNumber: record.phoneNumber,
      type,
      timestamp,
      cleared,
      receivedAt: this.#state.options.now(),
    });
  }

  /** Every clean received, oldest first (a copy). */
  cleans(): DirtyClean[] {
    return [...this.#cleans];
  }
}

function dirtyNode(bit: DirtyBit): BinaryNode {
  return {
    tag: 'ib',
    attrs: { from: SERVER_JID },
    content: [{ tag: 'dirty', attrs: { type: bit.type, timestamp: bit.timestamp } }],
  };
}
