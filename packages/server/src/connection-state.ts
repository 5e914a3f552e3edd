/**
 * The lifecycle of one client connection as one table. Rules this file keeps:
 * - every connection starts `handshaking` and ends `closed`, and `closed` is final;
 * - a registration (no username) waits `unpaired` for a phone, a login goes straight to `logged-in`;
 * - `pairing` (pair-success sent, the companion's signature awaited) falls back to `unpaired` when
 *   the signature is refused, and becomes `paired` when it verifies; a paired connection only
 *   waits to close (stream error 515: the companion reconnects and logs in);
 * - any other move is a bug and throws `ConnectionStateError`.
 */
import { ConnectionStateError } from './errors';

/** Where a connection is in its lifecycle. */
export type ConnectionState = 'handshaking' | 'unpaired' | 'pairing' | 'paired' | 'logged-in' | 'closed';

const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  handshaking: ['unpaired', 'logged-in', 'closed'],
  unpaired: ['pairing', 'closed'],
  pairing: ['unpaired', 'paired', 'closed'],
  paired: ['closed'],
  'logged-in': ['closed'],
  closed: [],
};

/** `to` when the table allows moving there from `from`; throws otherwise. */
export function transition(from: ConnectionState, to: ConnectionState): ConnectionState {
  if (!TRANSITIONS[from].includes(to)) {
    throw new ConnectionStateError(`a connection cannot go from "${from}" to "${to}"`);
  }
  return to;
}
