import { describe, expect, test } from 'vitest';
import {
  Lifecycle,
  type LifecycleEvent,
  type LifecycleState,
  nextState,
  TRANSITIONS,
} from '../src/connection/lifecycle';
import { IllegalTransitionError } from '../src/errors';

const STATES: LifecycleState[] = [
  'idle',
  'connecting',
  'handshaking',
  'pairing',
  'logging-in',
  'connected',
  'waiting-to-reconnect',
  'closed',
];
const EVENTS: LifecycleEvent[] = [
  'connect',
  'transport-open',
  'handshake-registration',
  'handshake-login',
  'success',
  'drop',
  'retry',
  'stop',
];

/** The whole legal table, written out independently of the implementation's helper. */
const LEGAL: [LifecycleState, LifecycleEvent, LifecycleState][] = [
  ['idle', 'connect', 'connecting'],
  ['connecting', 'transport-open', 'handshaking'],
  ['connecting', 'drop', 'waiting-to-reconnect'],
  ['connecting', 'stop', 'closed'],
  ['handshaking', 'handshake-registration', 'pairing'],
  ['handshaking', 'handshake-login', 'logging-in'],
  ['handshaking', 'drop', 'waiting-to-reconnect'],
  ['handshaking', 'stop', 'closed'],
  ['pairing', 'drop', 'waiting-to-reconnect'],
  ['pairing', 'stop', 'closed'],
  ['logging-in', 'success', 'connected'],
  ['logging-in', 'drop', 'waiting-to-reconnect'],
  ['logging-in', 'stop', 'closed'],
  ['connected', 'drop', 'waiting-to-reconnect'],
  ['connected', 'stop', 'closed'],
  ['waiting-to-reconnect', 'retry', 'connecting'],
  ['waiting-to-reconnect', 'stop', 'closed'],
  ['closed', 'connect', 'connecting'],
];

describe('lifecycle table', () => {
  test.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(nextState(from, event)).toBe(to);
  });

  test('every pair not listed is illegal and throws IllegalTransitionError naming state and event', () => {
    let illegal = 0;
    for (const state of STATES) {
      for (const event of EVENTS) {
        if (LEGAL.some(([s, e]) => s === state && e === event)) continue;
        illegal += 1;
        const attempt = () => nextState(state, event);
        expect(attempt).toThrow(IllegalTransitionError);
        expect(attempt).toThrow(`"${event}" in state "${state}"`);
      }
    }
    expect(illegal).toBe(STATES.length * EVENTS.length - LEGAL.length);
  });

  test('the table has exactly the listed rows', () => {
    const rows = Object.entries(TRANSITIONS).flatMap(([state, row]) =>
      Object.entries(row).map(([event, to]) => [state, event, to]),
    );
    expect(rows).toHaveLength(LEGAL.length);
  });

  test('pairing never reaches connected: success is illegal there', () => {
    expect(() => nextState('pairing', 'success')).toThrow(IllegalTransitionError);
  });

  test('Lifecycle walks a login, a drop and a reconnect, reporting each change; an illegal event leaves the state', () => {
    const changes: string[] = [];
    const lifecycle = new Lifecycle((from, to, event) => changes.push(`${from}>${event}>${to}`));
    for (const event of [
      'connect',
      'transport-open',
      'handshake-login',
      'success',
      'drop',
      'retry',
    ] as const) {
      lifecycle.fire(event);
    }
    expect(lifecycle.state).toBe('connecting');
    expect(changes).toHaveLength(6);
    expect(lifecycle.can('success')).toBe(false);
    expect(() => lifecycle.fire('success')).toThrow(IllegalTransitionError);
    expect(lifecycle.state).toBe('connecting');
    expect(changes).toHaveLength(6);
  });
});
