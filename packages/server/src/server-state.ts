/**
 * Everything the connections of one server share: the crypto provider, the accounts and devices,
 * which connection holds which pairing ref, which device is online where, and the event bus.
 * Connections and phones read and write it; nothing in here touches a socket.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import type { DeviceKeys } from './device-keys';
import { ServerEvents } from './events';

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

/** A live, logged-in connection, as far as the shared state is concerned. */
export interface LiveConnection {
  readonly id: number;
  /** Sends a stanza to the device (notifications). */
  send(node: BinaryNode): void;
  /** Ends this connection with `<stream:error>`, as the real server does on a newer login or removal. */
  kick(code: number | undefined, conflict?: 'replaced' | 'device_removed'): void;
}

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
  #stanzaId = 0;
  readonly #lastDevice = new Map<string, number>();

  constructor(options: ServerStateOptions) {
    this.options = options;
    this.crypto = options.crypto;
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
