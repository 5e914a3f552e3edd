/**
 * What the crash test's parent and its sending child (`crash-child.ts`) agree on: the child's
 * configuration (one JSON argument), the lines it prints on stdout (one event per line, written
 * synchronously so a line printed before a SIGKILL is never lost), and the ids and texts of the
 * messages it sends, which both sides compute from (round, n).
 */

/**
 * Where the child kills itself (SIGKILL to its own pid), around the send of message n or the
 * receipt of the n-th incoming message of its round:
 * - `before-commit`: the send's transaction did all its work (ratchet steps and the sent message
 *   are buffered) but has not committed. Nothing of message n may survive.
 * - `after-commit`: the transaction committed; the stanza is not written yet. The ratchet step
 *   survives, the message never reaches the wire.
 * - `after-write`: the first frame handed to the socket after that commit (the stanza), then
 *   killed. The message may or may not reach the server.
 * - `in-receive`: inside the `message` listener of the n-th received message, after its session
 *   step and dedupe key committed and before its receipt and ack: the server delivers it again
 *   on the next login, and the dedupe key must answer it without a second event.
 */
export type SelfKillPoint = 'before-commit' | 'after-commit' | 'after-write' | 'in-receive';

/** The self-kill points, in the order the planned rounds walk through them. */
export const SELF_KILL_POINTS: readonly SelfKillPoint[] = [
  'before-commit',
  'after-commit',
  'after-write',
  'in-receive',
];

/**
 * A deliberately broken client, to show that the checks catch what they claim to. `late-sessions`
 * keeps every session write in memory (reads see it) and stores it only after the send's ack, as
 * a client that persisted its ratchet after the wire would: a kill between write and ack makes the
 * next process reuse message keys. `late-sender-keys` does the same with our sender keys (a group
 * run): the next process reuses an skmsg iteration.
 */
export type Sabotage = 'late-sessions' | 'late-sender-keys';

/** How the child sends: awaiting each ack before the next send, or every send at once. */
export type SendMode = 'await' | 'burst';

/** The child's whole configuration, passed as its one JSON argument. */
export interface ChildConfig {
  /** The SQLite store of the (already linked) sending device. */
  file: string;
  url: string;
  /** The server's test root, hex. */
  rootPublicKey: string;
  /** The peer's user JID to send to. */
  to: string;
  /** The round number: part of every message id and text. */
  round: number;
  /** How many messages to send (n = 0 .. count - 1). */
  count: number;
  mode: SendMode;
  /** Wait for `offline-sync-complete` before sending (else the sends race the offline queue). */
  syncFirst: boolean;
  /** Kill itself at this point; absent means the parent does the killing (or, last, `exit`). */
  selfKill?: { point: SelfKillPoint; n: number } | undefined;
  sabotage?: Sabotage | undefined;
}

/** A line the child printed, parsed. */
export type ChildLine =
  /** `connect()` resolved: the Noise socket is up and the login is under way. */
  | { kind: 'socket' }
  /** Logged in (`<success>`), and with `syncFirst` the offline queue handled: the sends start. */
  | { kind: 'ready' }
  /** `sendMessage` of message n resolved (the server acked it). */
  | { kind: 'acked'; n: number }
  /** `sendMessage` of message n rejected. */
  | { kind: 'send-failed'; n: number; error: string }
  /** Every send of the round resolved. */
  | { kind: 'done' }
  /** A `message` event; `replayed` after a restart (`info.replayed`: it may have been emitted before). */
  | { kind: 'received'; id: string; replayed: boolean; text: string }
  /** An `undecryptable` event. */
  | { kind: 'undecryptable'; id: string; reason: string }
  /** The child is about to kill itself. */
  | { kind: 'killing'; point: SelfKillPoint; n: number }
  /** An `error` event of the client (reported, not a failure by itself). */
  | { kind: 'client-error'; error: string }
  /** Anything else (a stray log line). */
  | { kind: 'other'; line: string };

/** Formats a line for the child to print; `parseChildLine` reads it back. */
export function formatChildLine(line: Exclude<ChildLine, { kind: 'other' }>): string {
  switch (line.kind) {
    case 'socket':
    case 'ready':
    case 'done':
      return line.kind;
    case 'acked':
      return `acked ${line.n}`;
    case 'send-failed':
      return `send-failed ${line.n} ${oneLine(line.error)}`;
    case 'received':
      return `received ${line.id} ${line.replayed ? 'replayed' : 'fresh'} ${oneLine(line.text)}`;
    case 'undecryptable':
      return `undecryptable ${line.id} ${line.reason}`;
    case 'killing':
      return `killing ${line.point} ${line.n}`;
    case 'client-error':
      return `client-error ${oneLine(line.error)}`;
  }
}

/** Parses a line of the child's stdout. */
export function parseChildLine(line: string): ChildLine {
  const [kind = '', first = '', ...rest] = line.split(' ');
  const tail = rest.join(' ');
  switch (kind) {
    case 'socket':
    case 'ready':
    case 'done':
      return { kind };
    case 'acked':
      return { kind, n: Number(first) };
    case 'send-failed':
      return { kind, n: Number(first), error: tail };
    case 'received': {
      const [flag = '', ...text] = rest;
      return { kind, id: first, replayed: flag === 'replayed', text: text.join(' ') };
    }
    case 'undecryptable':
      return { kind, id: first, reason: tail };
    case 'killing':
      return { kind, point: first as SelfKillPoint, n: Number(tail) };
    case 'client-error':
      return { kind, error: [first, tail].filter((part) => part !== '').join(' ') };
    default:
      return { kind: 'other', line };
  }
}

/**
 * The id of message n of `round`: `3EB0` (WhatsApp Web's prefix) and the two numbers in hex, so
 * the parent knows every id the child can send without asking it, and ids never repeat across
 * rounds (the client would otherwise pick random ones).
 */
export function crashMessageId(round: number, n: number): string {
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
  return `3EB0${hex(round)}${hex(n)}`;
}

/** The text of message n of `round`. */
export function crashMessageText(round: number, n: number): string {
  return `${round}-${n}`;
}

/** Reads `crashMessageText` back; undefined for any other text. */
export function parseCrashMessageText(text: string): { round: number; n: number } | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text);
  return match === null ? undefined : { round: Number(match[1]), n: Number(match[2]) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
