/**
 * What one client's events look like in the story: linking and login as they happen, every
 * message as it arrives (with the Signal message type it came in), the offline catch-up. Receipts
 * are only logged here; the story prints them per message once they are in, so a step's lines do
 * not depend on which device answered first. Failures go to `warn`: in a working demo it stays
 * silent, and the demo's tests check that it does.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { Client } from '@wakit/client';
import { type Account, deviceName, receiptPhrase } from './cast';

/** Where the story's lines go, and where anything that went wrong goes. */
export interface Output {
  print: (line: string) => void;
  warn: (line: string) => void;
}

/** A receipt for one message id, as the story phrases it. */
export interface LoggedReceipt {
  id: string;
  phrase: string;
}

/**
 * Narrates `client`'s events as `name`'s and appends its receipts to `receipts`. Returns the
 * function that stops.
 */
export function narrate(
  client: Client,
  name: string,
  accounts: readonly Account[],
  receipts: LoggedReceipt[],
  { print, warn }: Output,
): () => void {
  // The <enc> type of each message stanza, by id: the 'node' event comes before the stanza is
  // handled, so it is known when 'message' fires. pkmsg starts a session, msg uses one.
  const encTypes = new Map<string, string>();
  const stops = [
    client.on('paired', ({ account }) =>
      print(`   ${name}'s phone scanned it and signed this device: ${account.jid}`),
    ),
    client.on('stream-error', ({ code }) =>
      print(`   ${name}: stream error ${code}${code === '515' ? ' (restart after pairing: log in)' : ''}`),
    ),
    client.on('connected', ({ node }) => print(`   ${name}: logged in, <success t="${node.attrs.t}">`)),
    client.on('prekeys-uploaded', ({ count }) => print(`   ${name}: uploaded ${count} one-time prekeys`)),
    client.on('node', (node) => {
      const type = encType(node);
      if (type && node.attrs.id) encTypes.set(node.attrs.id, type);
    }),
    client.on('message', ({ message, info }) => {
      const type = encTypes.get(info.id);
      encTypes.delete(info.id);
      const session =
        {
          pkmsg: 'pkmsg: a new session',
          msg: 'msg: an existing session',
          'pkmsg + skmsg': "skmsg, with the sender's key in a pkmsg beside it",
          'msg + skmsg': "skmsg, with the sender's key in a msg beside it",
          skmsg: "skmsg: the sender's key, already held",
        }[type ?? ''] ?? type;
      const where = info.isGroup ? ` in ${info.chat}` : '';
      print(
        `   ${name} ← "${message.conversation}"${info.offline ? ' (offline)' : ''}${where} from ` +
          `${deviceName(accounts, info.sender)}, id ${info.id}, ${session}`,
      );
    }),
    client.on('receipt', (receipt) => {
      const phrase = receiptPhrase(receipt.type, deviceName(accounts, receipt.sender));
      for (const id of receipt.ids) receipts.push({ id, phrase });
    }),
    client.on('offline-sync-complete', ({ count }) => {
      // Every login ends with one; only a non-empty queue is part of the story.
      if (count > 0) print(`   ${name}: offline-sync-complete, ${count} queued stanzas handled`);
    }),
    client.on('undecryptable', ({ info, reason }) =>
      warn(`${name} could not read message ${info.id} from ${info.sender}: ${reason}`),
    ),
    client.on('error', ({ error, context }) =>
      warn(`${name}'s client, error in ${context}: ${String(error)}`),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

/** The `type` of a 1:1 message stanza's `<enc>` (addressed to one device: no `<participants>`). */
function encType(node: BinaryNode): string | undefined {
  if (node.tag !== 'message' || !Array.isArray(node.content)) return undefined;
  const types = node.content.filter((child) => child.tag === 'enc').map((child) => child.attrs.type);
  // A group message is read with the sender key (skmsg); a pairwise enc beside it only carries that key.
  return types.includes('skmsg') ? types.filter((type) => type !== undefined).join(' + ') : types[0];
}
