/**
 * The client's typed events. Subscribe with `client.on(name, listener)`; the returned function
 * unsubscribes. Listeners run synchronously in emit order; one that throws is reported through the
 * logger and never disturbs the connection.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { KeyBundleProblem } from './auth/key-bundle-digest';
import type { DisconnectReason } from './connection/disconnect-policy';
import type { LifecycleEvent, LifecycleState } from './connection/lifecycle';
import type {
  IdentityChangedEvent,
  MessageEditedEvent,
  MessageEvent,
  MessageRevokedEvent,
  OfflineSyncCompleteEvent,
  ReceiptEvent,
  UndecryptableEvent,
} from './messaging/message-events';
import type { PairedAccount } from './store/store';

/** Event name -> payload. */
export interface ClientEvents {
  [event: string]: unknown;
  /** Every lifecycle transition. */
  state: { from: LifecycleState; to: LifecycleState; event: LifecycleEvent };
  /** The Noise handshake completed; `paired` tells login (true) from registration (false). */
  'socket-open': { paired: boolean };
  /** A QR code to show, valid for `timeoutMs` (the `index`-th of `count` refs). */
  qr: { qr: string; index: number; count: number; timeoutMs: number };
  /** `requestPairingCode` obtained a code: the user enters it on the phone. */
  'pair-code': { code: string };
  /** Pairing succeeded; the server now restarts the stream (515) and the client logs in. */
  paired: { account: PairedAccount };
  /** Pairing failed: the QR refs ran out (`PairingTimeoutError`) or the server's pair-success did not verify. */
  'pairing-failed': { error: unknown };
  /** Logged in: the server sent `<success>`. */
  connected: { node: BinaryNode };
  /** The connection ended; `willReconnect` says whether a reconnect is scheduled, after `delayMs`. */
  disconnected: { reason: DisconnectReason; error?: unknown; willReconnect: boolean; delayMs?: number };
  /** The device is no longer linked (logout, removal, `<failure reason="401">`); the store was cleared. */
  'logged-out': { reason: DisconnectReason };
  /** The server sent `<stream:error>`. */
  'stream-error': { code: string; conflict?: string | undefined; node: BinaryNode };
  /** Every node received, before any handling. */
  node: BinaryNode;
  /** One-time prekeys were generated, stored and uploaded. */
  'prekeys-uploaded': { count: number };
  /**
   * After login, the server's digest of the key bundle it holds for this device was checked
   * against the stored keys. `problem` names the first difference; on `'absent'` (the server has no
   * bundle) the client has uploaded a new one. Other problems are only reported, as WhatsApp Web
   * does: peers may then start sessions this device cannot decrypt, so an application may want to
   * tell the user or relink.
   */
  'key-bundle-checked': { matches: boolean; problem?: KeyBundleProblem | undefined };
  /** A keepalive ping failed (`failures` in a row); the connection is dropped only after `maxSilenceMs`. */
  'keepalive-timeout': { failures: number; error: unknown };
  /** A message was received (from a peer, or from another of our devices with `info.fromMe`). */
  message: MessageEvent;
  /** A message was edited (the new content). */
  'message-edited': MessageEditedEvent;
  /** A message was revoked for everyone. */
  'message-revoked': MessageRevokedEvent;
  /** A receipt for messages we sent. */
  receipt: ReceiptEvent;
  /** A received message could not be read (see `reason`). */
  undecryptable: UndecryptableEvent;
  /** The offline queue was delivered and handled; after every login. */
  'offline-sync-complete': OfflineSyncCompleteEvent;
  /** A peer's identity changed; its sessions were dropped. */
  'identity-changed': IdentityChangedEvent;
  /** A background task failed (prekey upload, an ack, a handler); the connection carries on. */
  error: { error: unknown; context: string };
}
