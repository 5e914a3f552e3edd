/**
 * The crash test's verdict: what a run observed, and every way it broke the requirement ("a
 * process killed at any point and restarted never reuses a message key and the conversation
 * continues; the peer decrypts every message that reached it"). Pure functions: the runner
 * collects, these judge, and a failure names the message, round and device concerned.
 */
import { parseJid } from '@wakit/binary-node';
import type { UsedKey } from './crash-keys';
import type { ChildLine } from './crash-protocol';
import { parseCrashMessageText } from './crash-protocol';

/** A `<message>` of the sender that the server relayed. */
export interface RelayedMessage {
  id: string;
  /** The devices (PN form) it was delivered or queued to. */
  to: string[];
  keys: UsedKey[];
}

/** A device that receives, and what it decrypted. */
export interface ReceivingDevice {
  /** For messages: `receiver`, `phone A` ... */
  name: string;
  /** Its device JID (PN form). */
  jid: string;
  /** Ids of the sender's messages it decrypted, in order, repeats included. */
  decrypted: string[];
  /** Messages it could not decrypt (id and why). */
  undecryptable: { id: string; reason: string }[];
}

/** Everything a run observed. */
export interface CrashObservations {
  /** The sending device's JIDs (PN and LID forms). */
  sender: string[];
  relayed: RelayedMessage[];
  /** The wakit receiver first, then the virtual phones. */
  devices: ReceivingDevice[];
  /** The texts the wakit receiver got from the sender, in order. */
  receiverTexts: string[];
  /** What each child printed, by round (the final round last). */
  children: { round: number; lines: ChildLine[] }[];
  /** The receiver's replies to the sender that the server acked. */
  replies: { id: string; text: string }[];
  /** Failures seen while running (a child that died otherwise than by SIGKILL, a failed reply ...). */
  incidents: string[];
}

/** True when `jid` names the same device as one of `devices` (`user@s.whatsapp.net` is device 0). */
export function sameDevice(jid: string, devices: readonly string[]): boolean {
  const key = deviceKey(jid);
  return devices.some((other) => deviceKey(other) === key);
}

// Parsed once per JID: the checks compare thousands of them on every poll of a long run.
const deviceKeys = new Map<string, string>();

function deviceKey(jid: string): string {
  let key = deviceKeys.get(jid);
  if (key === undefined) {
    const parsed = parseJid(jid);
    key = `${parsed.user}:${parsed.device}@${parsed.server}`;
    deviceKeys.set(jid, key);
  }
  return key;
}

/**
 * Relayed messages some device has not decrypted yet: `<id> to <device name>`. With `skip`, the
 * ids left out (messages whose key was reused: no receiver decrypts those, waiting is pointless).
 */
export function missingDeliveries(observed: CrashObservations, skip?: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  const decrypted = observed.devices.map((device) => new Set(device.decrypted));
  for (const message of observed.relayed) {
    if (skip?.has(message.id)) continue;
    observed.devices.forEach((device, i) => {
      if (!message.to.some((to) => sameDevice(to, [device.jid]))) return;
      if (!decrypted[i]!.has(message.id)) missing.push(`${message.id} to ${device.name}`);
    });
  }
  return missing;
}

/** Every violation of the requirement in `observed`; empty when the run passed. */
export function crashViolations(observed: CrashObservations): string[] {
  const violations = [...observed.incidents];
  const add = (what: string, items: readonly string[]) => {
    if (items.length > 0) violations.push(`${what}: ${items.slice(0, 20).join('; ')}${more(items)}`);
  };
  add('message keys used twice', reusedKeys(observed.relayed));
  for (const device of observed.devices) {
    add(
      `${device.name} could not decrypt`,
      device.undecryptable.map((u) => `${u.id} (${u.reason})`),
    );
    add(`${device.name} got twice`, repeats(device.decrypted));
  }
  add('relayed but never decrypted', missingDeliveries(observed));
  add('acked to the sender but never received', ackedNotReceived(observed));
  add('received out of order', outOfOrder(observed.receiverTexts));
  const senderLines = observed.children.flatMap(({ round, lines }) => lines.map((line) => ({ round, line })));
  add(
    'the sender could not decrypt',
    senderLines.flatMap(({ round, line }) =>
      line.kind === 'undecryptable' ? [`${line.id} (${line.reason}) in round ${round}`] : [],
    ),
  );
  add(
    'a send failed without a kill',
    senderLines.flatMap(({ round, line }) =>
      line.kind === 'send-failed' ? [`round ${round} #${line.n}: ${line.error}`] : [],
    ),
  );
  // At least once, never lost (the client's inbox): a message may come again after a restart, but
  // only flagged `replayed`; a second unflagged event is a duplicate the application cannot tell.
  const senderGot = senderLines.flatMap(({ round, line }) =>
    line.kind === 'received' ? [{ round, line }] : [],
  );
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const { round, line } of senderGot) {
    if (seen.has(line.id) && !line.replayed) twice.push(`${line.id} (${line.text}) again in round ${round}`);
    seen.add(line.id);
  }
  add('the sender got twice, unflagged', twice);
  add(
    'replies the sender never got',
    observed.replies.filter((reply) => !seen.has(reply.id)).map((r) => `${r.id} (${r.text})`),
  );
  return violations;
}

/** Pairs of stanzas (or ciphertexts of one stanza) that used the same message key. */
function reusedKeys(relayed: readonly RelayedMessage[]): string[] {
  return keyReuses(relayed).map(({ key, first, again }) => `${key} by ${first} and ${again}`);
}

/** The ids of relayed messages that used a key an earlier one had used. */
export function reusingMessages(relayed: readonly RelayedMessage[]): Set<string> {
  return new Set(keyReuses(relayed).map((reuse) => reuse.id));
}

function keyReuses(relayed: readonly RelayedMessage[]) {
  const firstUse = new Map<string, string>();
  const reuses: { key: string; first: string; again: string; id: string }[] = [];
  for (const message of relayed) {
    for (const { device, key } of message.keys) {
      const use = `${message.id} to ${device}`;
      const first = firstUse.get(key);
      if (first === undefined) firstUse.set(key, use);
      else reuses.push({ key, first, again: use, id: message.id });
    }
  }
  return reuses;
}

/** Messages the child printed `acked` for that the wakit receiver never decrypted. */
function ackedNotReceived(observed: CrashObservations): string[] {
  const receiver = observed.devices[0];
  if (receiver === undefined) return [];
  const texts = new Set(observed.receiverTexts);
  return observed.children.flatMap(({ round, lines }) =>
    lines.flatMap((line) =>
      line.kind === 'acked' && !texts.has(`${round}-${line.n}`) ? [`${round}-${line.n}`] : [],
    ),
  );
}

/** Texts `<round>-<n>` not in increasing (round, n) order: sends reach the peer in call order. */
function outOfOrder(texts: readonly string[]): string[] {
  const wrong: string[] = [];
  let last: { round: number; n: number } | undefined;
  for (const text of texts) {
    const at = parseCrashMessageText(text);
    if (at === undefined) {
      wrong.push(`an unexpected text "${text}"`);
      continue;
    }
    if (last !== undefined && (at.round < last.round || (at.round === last.round && at.n <= last.n)))
      wrong.push(`${text} after ${last.round}-${last.n}`);
    last = at;
  }
  return wrong;
}

/** Every item that occurred before (each later occurrence once). */
function repeats(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const again: string[] = [];
  for (const item of items) {
    if (seen.has(item)) again.push(item);
    seen.add(item);
  }
  return again;
}

function more(items: readonly string[]): string {
  return items.length > 20 ? ` (and ${items.length - 20} more)` : '';
}
