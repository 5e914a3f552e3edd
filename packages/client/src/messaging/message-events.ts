/**
 * The payloads of the messaging events (`client.on('message', …)` and friends). JIDs are in the
 * form the stanza used (PN or LID); `senderAlt` carries the other form when it is known.
 */
import type { Message } from '@wakit/proto';

/** Who sent a message where, and when (the seed's MessageInfo). */
export interface MessageInfo {
  id: string;
  /** The chat: the peer's user JID (for our own messages from another device, the peer we wrote to). */
  chat: string;
  /** The sending device's JID. */
  sender: string;
  /** The sender in the other namespace (LID for a PN sender and the other way round), when known. */
  senderAlt?: string | undefined;
  /** Sent by us (from another device of our account). */
  fromMe: boolean;
  isGroup: boolean;
  /** Server time of the message, unix seconds. */
  timestamp: number;
  /** The sender's display name (`notify`). */
  pushName?: string | undefined;
  /** Delivered from the offline queue (we were away when it was sent). */
  offline: boolean;
  /** The stanza's `edit` attribute, when present. */
  edit?: string | undefined;
  /**
   * Emitted again after a restart: the previous process stopped between this message's commit and
   * the moment its event was known to be emitted. It may have been emitted once before.
   */
  replayed?: true | undefined;
}

/** A received message. */
export interface MessageEvent {
  message: Message;
  info: MessageInfo;
}

/** A message was edited; `message` is the new content. */
export interface MessageEditedEvent {
  chat: string;
  /** The id of the edited message. */
  id: string;
  sender: string;
  fromMe: boolean;
  message: Message;
}

/** A message was revoked for everyone. */
export interface MessageRevokedEvent {
  chat: string;
  /** The id of the revoked message. */
  id: string;
  sender: string;
  fromMe: boolean;
}

/** A receipt for messages we sent (delivery, read, played, …). */
export interface ReceiptEvent {
  chat: string;
  /** The device that sent the receipt. */
  sender: string;
  ids: string[];
  /** `delivery` when the stanza had no type; else its `type` (`read`, `read-self`, `played`, `sender`, …). */
  type: string;
  /** Unix seconds, when the receipt said. */
  timestamp?: number | undefined;
}

/** Why a received message could not be shown. */
export type UndecryptableReason =
  /** Signal decryption failed; a retry receipt asked the sender to send it again. */
  | 'decrypt-failed'
  /** Decryption failed and the retries ran out (5): the message is lost. */
  | 'retries-exhausted'
  /** It decrypted, but the plaintext is not a padded Message. */
  | 'malformed-plaintext'
  /** A kind the client cannot read yet (group messages until group support lands). */
  | 'unsupported';

/** A received message that could not be read. */
export interface UndecryptableEvent {
  info: MessageInfo;
  reason: UndecryptableReason;
  error: unknown;
  /** The retry receipt's count, for `decrypt-failed`. */
  retryCount?: number | undefined;
}

/** The offline queue was delivered and handled (after each login). */
export interface OfflineSyncCompleteEvent {
  /** How many offline stanzas were handled. */
  count: number;
}

/** A peer's identity key changed; its sessions were dropped (new ones start on the next message). */
export interface IdentityChangedEvent {
  /** The peer's user JID, as the notification named it. */
  jid: string;
}
