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

/** A server that is accepting connections. */
export interface RunningServer {
  /** The WebSocket URL clients connect to. */
  readonly url: string;
  /** The test certificate root's public key (32 bytes); clients pass it as `rootPublicKey`. */
  readonly rootPublicKey: Uint8Array;
  /** Stops accepting connections, closes the open ones, and resolves once the port is free. */
  close(): Promise<void>;
}

/** `startServer` of @wakit/server. */
export type StartServer = (options: StartServerOptions) => Promise<RunningServer>;
