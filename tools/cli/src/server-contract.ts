/**
 * What `wakit serve` needs from @wakit/server, written down here rather than imported so the
 * command line type-checks and is tested independently of the server's progress. When the server
 * exports its own types, `load-server.ts` checks them against these at compile time.
 */

/** Where the server listens; both optional, the server picks its defaults. */
export interface StartServerOptions {
  host?: string;
  /** 0 asks the operating system for a free port. */
  port?: number;
}

/** A virtual phone: the primary device of one account, which links companions. */
export interface Phone {
  /** Digits only, no `+`. */
  readonly phoneNumber: string;
  /** `<phone>@s.whatsapp.net`, the phone itself (device 0). */
  readonly jid: string;
  /** Scans a companion's QR string (with or without the deep-link prefix); resolves with the new device's JID. */
  scanQr(qr: string): Promise<string>;
  /** Types a companion's 8-character code (`ABCD-EFGH` or `ABCDEFGH`); resolves with the new device's JID. */
  enterPairCode(code: string): Promise<string>;
}

/** The server's registry of virtual phones. */
export interface PhoneRegistry {
  /** A new account; rejects with a RangeError for a malformed or duplicate number. */
  create(phoneNumber: string): Promise<Phone>;
  get(phoneNumber: string): Phone | undefined;
  /** Every phone, in creation order. */
  list(): Phone[];
}

/** A server that is accepting connections. */
export interface RunningServer {
  /** The WebSocket URL clients connect to. */
  readonly url: string;
  /** The test certificate root's public key (32 bytes); clients pass it as `rootPublicKey`. */
  readonly rootPublicKey: Uint8Array;
  readonly phones: PhoneRegistry;
  /** Stops accepting connections, closes the open ones, and resolves once the port is free. */
  close(): Promise<void>;
}

/** `startServer` of @wakit/server. */
export type StartServer = (options: StartServerOptions) => Promise<RunningServer>;
