/**
 * What the server's end-of-stream stanzas mean for the client (docs/protocol.md §10.13), as data: a pure
 * function from the stanza to a decision. The client applies the decision; nothing else in the
 * package interprets stream error codes or failure reasons.
 *
 *   <stream:error code="515"/>                               restart: reconnect immediately (expected after pairing)
 *   <stream:error code="401"><conflict type="device_removed"/> logged out: clear the store, never reconnect (whatsmeow)
 *   <stream:error code="516"/>                               logged out, as above (whatsapp-rust)
 *   <stream:error><conflict type="replaced"/>                replaced by another connection: never reconnect
 *   <stream:error code="409"/>                               replaced, as above (whatsapp-rust)
 *   <stream:error code="503"/>, 429, any other code          reconnect with backoff
 *   <stream:error/> with no code and no conflict             informational (a routing error); the stream stays up (whatsapp-rust)
 *   <failure reason="401"/>                                  logged out: clear the store, never reconnect
 *   <failure reason="500|503"/>                              reconnect with backoff (the only reasons all references retry)
 *   <failure reason=…/> otherwise                            stop (banned, outdated client, locked …): retrying cannot help
 *   <xmlstreamend/>                                          the server closed the stream: reconnect with backoff
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';

/** What the client does after a stream-ending stanza. */
export type DisconnectAction =
  /** Keep the connection (informational stream error). */
  | 'ignore'
  /** Reconnect at once (515). */
  | 'reconnect-now'
  /** Reconnect after the backoff delay. */
  | 'reconnect'
  /** Close and stay closed; the credentials stay. */
  | 'stop'
  /** Close, clear the store, emit `logged-out`; never reconnect. */
  | 'logout';

/** Why the connection ended, as reported in the `disconnected` event. */
export type DisconnectReason =
  | 'user'
  | 'logged-out'
  | 'device-removed'
  | 'replaced'
  | 'restart-required'
  | 'stream-error'
  | 'stream-end'
  | 'connect-failure'
  | 'transport-closed'
  | 'transport-error'
  | 'handshake-failed'
  | 'certificate-refused'
  | 'undecodable-frame'
  | 'keepalive-timeout'
  | 'pairing-failed'
  /** More stanzas arrived than the receive path holds (`maxQueuedStanzas`); reconnects with backoff. */
  | 'overloaded';

/** A decision: the action and the reason to report. */
export interface DisconnectDecision {
  action: DisconnectAction;
  reason: DisconnectReason;
}

/** The decision for a `<stream:error>` stanza. */
export function decideStreamError(node: BinaryNode): DisconnectDecision {
  const code = node.attrs.code ?? '';
  const conflict = getChild(node, 'conflict')?.attrs.type;
  if (code === '515') return { action: 'reconnect-now', reason: 'restart-required' };
  if ((code === '401' && conflict === 'device_removed') || code === '516') {
    return { action: 'logout', reason: 'device-removed' };
  }
  if (conflict === 'replaced' || code === '409') return { action: 'stop', reason: 'replaced' };
  if (code === '' && conflict === undefined) return { action: 'ignore', reason: 'stream-error' };
  return { action: 'reconnect', reason: 'stream-error' };
}

/** The decision for a `<failure reason=…>` stanza. */
export function decideConnectFailure(reason: number): DisconnectDecision {
  if (reason === 401) return { action: 'logout', reason: 'logged-out' };
  if (reason === 500 || reason === 503) return { action: 'reconnect', reason: 'connect-failure' };
  return { action: 'stop', reason: 'connect-failure' };
}
