/**
 * A server state with a clock the presence tests move (last seen is the server's clock), and the
 * `<presence>` stanzas a device sends.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { ServerState } from '../src/server-state';
import type { Endpoint } from './messaging-fixtures';
import { DEADLINE_MS } from './until';

/** Carol, a third account: someone the watched account did not list or block. */
export const CAROL = { phone: '15550003333', lid: '300000000000003' } as const;

/** A state whose clock is `clock.ms`, starting at 2026-01-01T00:00:00Z. */
export function clockedState(): { state: ServerState; clock: { ms: number } } {
  const clock = { ms: 1_767_225_600_000 };
  const state = new ServerState({
    crypto,
    pairReplyTimeoutMs: DEADLINE_MS,
    lowPreKeyThreshold: 5,
    now: () => clock.ms,
  });
  return { state, clock };
}

/** `<presence [attrs]/>`. */
export function presence(attrs: Record<string, string> = {}): BinaryNode {
  return { tag: 'presence', attrs };
}

/** `<presence type="subscribe" to id>[<tctoken>]</presence>`, as Baileys and whatsmeow send it. */
export function subscribe(to: string): BinaryNode {
  return {
    tag: 'presence',
    attrs: { to, id: 'p1', type: 'subscribe' },
    content: [{ tag: 'tctoken', attrs: {}, content: new Uint8Array([1, 2, 3]) }],
  };
}

/** The attributes of every `<presence>` written to `endpoint`, in order. */
export function presences(endpoint: Endpoint | { sent: BinaryNode[] }): Record<string, string>[] {
  return endpoint.sent.filter((n) => n.tag === 'presence').map((n) => n.attrs);
}
