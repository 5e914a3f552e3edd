/**
 * Everything the connections of one server share: the crypto provider, the accounts and devices,
 * which connection holds which pairing ref, which device is online where, and the event bus.
 * Connections and phones read and write it; nothing in here touches a socket.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { AbProps } from './ab-props';
import { Accounts } from './accounts';
import type { DeviceKeys } from './device-keys';
import { unlinkDevice } from './device-notifications';
import { DirtyBits } from './dirty-bits';
import { ServerEvents } from './events';
import { GroupRegistry } from './group-state';
import { MessagingFaults } from './messaging-faults';
import { Outbox } from './outbox';
import { PresenceRouter } from './presence-router';
import { Profiles } from './profiles';
import { SpamReports } from './spam-reports';
import { StanzaRouter } from './stanza-router';

/** A device the server knows: a phone's primary (device 0) or a paired companion. */
export interface DeviceRecord {
  /** `user@s.whatsapp.net` for device 0, `user:device@s.whatsapp.net` for companions. */
  readonly jid: string;
  /** The same device under the account's LID: `lidUser[:device]@lid`. */
  readonly lid: string;
  readonly phoneNumber: string;
  readonly device: number;
  /** The companion's Noise static key: a login must come from it. Absent for the virtual phone itself. */
  readonly noiseKey: Uint8Array | undefined;
  /** The encoded ADVSignedDeviceIdentity the companion signed (with its device signature). */
  readonly deviceIdentity: Uint8Array | undefined;
  /** The companion's platform (QR client type or pair-code platform id). */
  readonly platform: string | undefined;
  /** The device's Signal keys on the server. */
  readonly keys: DeviceKeys;
  /** Set by `phone.removeDevice`: later logins get `device_removed`. */
  removed: boolean;
}

/** What a phone needs from a waiting companion connection to pair it. */
export interface PairTarget {
  /** The connection's Noise static key, authenticated by the handshake. */
  readonly noiseKey: Uint8Array | undefined;
  /** Sends a stanza on the connection (the phone's primary_hello notification). */
  send(node: BinaryNode): void;
  /** Sends pair-success and resolves with the device JID once the companion's signature verifies. */
  pair(options: PairOptions): Promise<string>;
}

/** The phone's side of one pairing, whichever flow (QR or code) produced the adv secret. */
export interface PairOptions {
  phoneNumber: string;
  advSecret: Uint8Array;
  companionIdentity: Uint8Array;
  platform: string | undefined;
}

/** A companion's `companion_hello`, waiting for the user to type the code on the phone. */
export interface PairCodeRequest {
  readonly target: PairTarget;
  readonly ref: string;
  /** `link_code_pairing_wrapped_companion_ephemeral_pub`: 80 bytes, wrapped under the code. */
  readonly wrappedCompanionEphemeral: Uint8Array;
  readonly platform: string | undefined;
  /** Set by `enterPairCode`; `companion_finish` completes it. */
  primaryHello?: {
    primaryEphemeral: { publicKey: Uint8Array; privateKey: Uint8Array };
    companionEphemeral: Uint8Array;
    resolve: (jid: string) => void;
    reject: (error: Error) => void;
  };
}

/**
 * A device's live endpoint, as far as the shared state is concerned: a logged-in connection, or a
 * virtual phone's device 0 (always online). `state.live` maps device JIDs (PN form) to them, and
 * the outbox delivers to whatever is there.
 */
export interface LiveConnection {
  readonly id: number;
  /** Writes a stanza to the device. */
  send(node: BinaryNode): void;
  /** Ends this connection with `<stream:error>`, as the real server does on a newer login or removal. */
  kick(code: number | undefined, conflict?: 'replaced' | 'device_removed'): void;
  /** Ends it like a network drop (no stream error, no close frame); used by fault hooks. */
  drop?(reason: string): void;
}

/** How many message senders `ServerState.sentBy` keeps. */
export const SENT_BY_LIMIT = 10_000;

/** Tunables, all with defaults. */
export interface ServerStateOptions {
  crypto: CryptoProvider;
  /** How long a connection waits for the companion's pair-device-sign. */
  pairReplyTimeoutMs: number;
  /**
   * How long an unpaired companion may wait for a phone before the server closes it; default
   * PAIRING_WINDOW_MS. A pending pair-code request keeps the connection open.
   */
  pairingWindowMs?: number | undefined;
  /** Prekey count below which the server pushes `<notification type="encrypt"><count/>` after a fetch. */
  lowPreKeyThreshold: number;
  /** Clock for `t` attributes and ADV timestamps (milliseconds). */
  now: () => number;
  /** AB props to serve over the defaults (`ab-props.ts`): config code -> value. */
  abProps?: Readonly<Record<number, string>> | undefined;
}

/** The shared state of one server. */
export class ServerState {
  readonly options: ServerStateOptions;
  readonly crypto: CryptoProvider;
  readonly events = new ServerEvents();
  readonly devices = new Map<string, DeviceRecord>();
  /** Pairing ref -> the unpaired connection it was issued to. */
  readonly refs = new Map<string, PairTarget>();
  /** Phone number -> the companion waiting for a code to be typed on that phone. */
  readonly pairCodeRequests = new Map<string, PairCodeRequest>();
  /** Device JID -> its logged-in connection. */
  readonly live = new Map<string, LiveConnection>();
  /** Phone number -> the phone's identity key pair (the account signature key). */
  readonly phoneIdentities = new Map<string, KeyPair>();
  /** Push names, ADV raw ids and device-list subscribers, per phone number. */
  readonly accounts: Accounts;
  /**
   * The entry point for every non-IQ stanza a device sends (`stanzas.receive(from, node)`):
   * connections call it for their logged-in device, virtual phones for their device 0.
   */
  readonly stanzas: StanzaRouter;
  /** Per-device delivery queues: pending until acked, served as the offline queue at login. */
  readonly outbox: Outbox;
  /** Messaging fault hooks (`server.faults`). */
  readonly faults: MessagingFaults;
  /** Who is online, last seen, and presence subscriptions (`presence-router.ts`). */
  readonly presence: PresenceRouter;
  /**
   * Message id -> the device JID (PN form) that sent it, for the newest SENT_BY_LIMIT messages:
   * Baileys' `sender` receipts for PN chats name no device.
   */
  readonly sentBy = new Map<string, string>();
  /** Spam reports devices sent (`spam-iqs.ts`), for tests to read as `server.spamReports`. */
  readonly spamReports = new SpamReports();
  /** The AB props `abt` gets are answered with (`ab-props.ts`). */
  readonly abProps: AbProps;
  /** Dirty bits per account and the cleans devices sent (`dirty-bits.ts`). */
  readonly dirty: DirtyBits;
  /** Profile pictures and status texts: changes, notifications, what HTTP serves (`profiles.ts`). */
  readonly profiles: Profiles;
  /** Groups: members, admins, subject, description, settings, invite codes (`group-state.ts`). */
  readonly groups: GroupRegistry;
  #stanzaId = 0;
  readonly #lastDevice = new Map<string, number>();

  constructor(options: ServerStateOptions) {
    this.options = options;
    this.crypto = options.crypto;
    this.accounts = new Accounts(options.crypto);
    this.abProps = new AbProps(options.abProps);
    this.dirty = new DirtyBits(this);
    this.profiles = new Profiles(this);
    this.groups = new GroupRegistry(this);
    this.stanzas = new StanzaRouter(this);
    this.outbox = new Outbox(this);
    this.faults = new MessagingFaults(this);
    this.presence = new PresenceRouter(this);
  }

  /**
   * Unlinks a companion: later logins get `device_removed`, its live connection is ended with it,
   * its queue is dropped, and the account's devices and subscribers get a device notification.
   */
  removeDevice(record: DeviceRecord): void {
    unlinkDevice(this, record);
  }

  /** Remembers that device `jid` sent message `id` (see `sentBy`). */
  rememberSender(id: string, jid: string): void {
    this.sentBy.delete(id);
    this.sentBy.set(id, jid);
    if (this.sentBy.size > SENT_BY_LIMIT) this.sentBy.delete(this.sentBy.keys().next().value!);
  }

  /** The next companion device id of an account (also its ADV key index); never reused. */
  allocateDevice(phoneNumber: string): number {
    const device = (this.#lastDevice.get(phoneNumber) ?? 0) + 1;
    this.#lastDevice.set(phoneNumber, device);
    return device;
  }

  /** A fresh id for a server-initiated stanza. */
  nextStanzaId(): string {
    this.#stanzaId += 1;
    return `s${this.#stanzaId}`;
  }
}

/** The key `devices` uses: `user@s.whatsapp.net` or `user:device@s.whatsapp.net`. */
export function deviceJid(user: string, device: number): string {
  return device === 0 ? `${user}@s.whatsapp.net` : `${user}:${device}@s.whatsapp.net`;
}

/** The LID form of a device: `user@lid` or `user:device@lid`. */
export function deviceLid(lidUser: string, device: number): string {
  return device === 0 ? `${lidUser}@lid` : `${lidUser}:${device}@lid`;
}
