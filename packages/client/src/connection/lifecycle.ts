/**
 * The connection lifecycle: one transition table, nothing else decides which state follows which.
 *
 * States
 *   idle                  never connected
 *   connecting            a transport is opening
 *   handshaking           the transport is open; the Noise handshake is running
 *   pairing               handshake done with the registration payload: waiting for a QR scan or pair code
 *   logging-in            handshake done with the login payload: waiting for <success> or <failure>
 *   connected             logged in (<success> received)
 *   waiting-to-reconnect  the connection dropped and a reconnect timer runs (0 ms after a 515)
 *   closed                stopped: by disconnect(), logout, device removal, a replaced stream, a
 *                         certificate refusal, or a drop with auto-reconnect off
 *
 * Rules this file keeps
 * 1. Every (state, event) pair not in `TRANSITIONS` is illegal and throws `IllegalTransitionError`:
 *    a missing row is a bug in the client, never something to paper over.
 * 2. `drop` (-> waiting-to-reconnect) and `stop` (-> closed) leave every active state. Which one the
 *    client fires is decided once, in `disconnect-policy.ts`; this table only says where each leads.
 * 3. Only `waiting-to-reconnect` starts a new attempt without the user (`retry`); only `idle` and
 *    `closed` accept the user's `connect`.
 * 4. `pairing` never reaches `connected` directly: after pair-success the server ends the stream
 *    with 515 and the client logs in on a fresh connection (docs/protocol.md §5.3 step 6).
 * 5. The table has no side effects; the client runs its effects after `fire` returned the new state.
 */
import { IllegalTransitionError } from '../errors';

/** A lifecycle state (see the table above). */
export type LifecycleState =
  | 'idle'
  | 'connecting'
  | 'handshaking'
  | 'pairing'
  | 'logging-in'
  | 'connected'
  | 'waiting-to-reconnect'
  | 'closed';

/** What happens to a connection. */
export type LifecycleEvent =
  /** The user called connect(). */
  | 'connect'
  /** The transport opened. */
  | 'transport-open'
  /** The handshake completed with the registration payload (unpaired device). */
  | 'handshake-registration'
  /** The handshake completed with the login payload (paired device). */
  | 'handshake-login'
  /** The server sent <success>. */
  | 'success'
  /** The connection ended and a reconnect is scheduled. */
  | 'drop'
  /** The reconnect timer fired (or the user asked to connect now). */
  | 'retry'
  /** The connection ended for good (user, logout, removal, replaced, fatal error). */
  | 'stop';

const ACTIVE = ['connecting', 'handshaking', 'pairing', 'logging-in', 'connected'] as const;

function leaving(state: LifecycleState): Partial<Record<LifecycleEvent, LifecycleState>> {
  return (ACTIVE as readonly LifecycleState[]).includes(state)
    ? { drop: 'waiting-to-reconnect', stop: 'closed' }
    : {};
}

/** The transition table: `TRANSITIONS[state][event]` is the next state; absent means illegal. */
export const TRANSITIONS: Readonly<
  Record<LifecycleState, Readonly<Partial<Record<LifecycleEvent, LifecycleState>>>>
> = {
  idle: { connect: 'connecting' },
  connecting: { 'transport-open': 'handshaking', ...leaving('connecting') },
  handshaking: {
    'handshake-registration': 'pairing',
    'handshake-login': 'logging-in',
    ...leaving('handshaking'),
  },
  pairing: { ...leaving('pairing') },
  'logging-in': { success: 'connected', ...leaving('logging-in') },
  connected: { ...leaving('connected') },
  'waiting-to-reconnect': { retry: 'connecting', stop: 'closed' },
  closed: { connect: 'connecting' },
};

/** The state after `event` in `state`; throws `IllegalTransitionError` when the table has no row. */
export function nextState(state: LifecycleState, event: LifecycleEvent): LifecycleState {
  const next = TRANSITIONS[state][event];
  if (next === undefined) throw new IllegalTransitionError(state, event);
  return next;
}

/** True in the states where a transport exists (connecting through connected). */
export function isActive(state: LifecycleState): boolean {
  return (ACTIVE as readonly LifecycleState[]).includes(state);
}

/** True once the Noise handshake completed on the current connection. */
export function hasSocket(state: LifecycleState): boolean {
  return state === 'pairing' || state === 'logging-in' || state === 'connected';
}

/** Holds the current state and applies the table. */
export class Lifecycle {
  #state: LifecycleState = 'idle';

  constructor(
    private readonly onChange?: (from: LifecycleState, to: LifecycleState, event: LifecycleEvent) => void,
  ) {}

  get state(): LifecycleState {
    return this.#state;
  }

  /** Applies `event`; returns the new state. Throws `IllegalTransitionError` (state unchanged) when illegal. */
  fire(event: LifecycleEvent): LifecycleState {
    const from = this.#state;
    const to = nextState(from, event);
    this.#state = to;
    this.onChange?.(from, to, event);
    return to;
  }

  /** True when `event` is legal now. */
  can(event: LifecycleEvent): boolean {
    return TRANSITIONS[this.#state][event] !== undefined;
  }
}
