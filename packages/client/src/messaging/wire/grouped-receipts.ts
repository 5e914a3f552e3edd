/**
 * Grouped group receipts (docs/protocol.md §7.4; whatsmeow `parseReceipt`/`handleGroupedReceipt`):
 * the server may answer a group message's readers in one stanza, with no `participant`, one
 * `<participants key=<message id>>` per message and a `<user jid t>` per reader:
 *
 *   <receipt from=<group> [type] [t] [id]>
 *     <participants key=<message id>><user jid=<reader> t=<when>/>…</participants>…
 *   </receipt>
 *
 * Each (message, reader) becomes one `Receipt`, as a receipt of its own would have read. A
 * `<user>` whose attributes do not read is skipped and counted, as whatsmeow skips it, so one bad
 * entry does not lose the others. Baileys ignores these stanzas.
 */
import { type BinaryNode, formatJid, getChildren, readAttrs, SERVERS } from '@wakit/binary-node';
import { checkAttrs, malformed } from './_node';
import type { Receipt } from './receipts';

/** A grouped receipt read: its chat (the group), one receipt per message and reader, and the entries skipped. */
export interface GroupedReceipt {
  chat: string;
  receipts: Receipt[];
  skipped: number;
}

/** True for a group or broadcast `<receipt>` without `participant` that carries `<participants>`. */
export function isGroupedReceipt(node: BinaryNode): boolean {
  if (node.attrs.participant !== undefined) return false;
  const from = node.attrs.from ?? '';
  const grouped = from.endsWith(`@${SERVERS.group}`) || from.endsWith(`@${SERVERS.broadcast}`);
  return grouped && getChildren(node, 'participants').length > 0;
}

/**
 * Reads a grouped receipt (see {@link isGroupedReceipt}).
 *
 * @throws MalformedStanzaError when `from` or `t` does not read, or a `<participants>` has no `key`.
 */
export function parseGroupedReceipt(node: BinaryNode): GroupedReceipt {
  const attrs = readAttrs(node);
  const from = attrs.jid('from');
  const type = attrs.optionalString('type');
  const t = attrs.optionalUnixTime('t');
  checkAttrs(attrs, 'grouped receipt', node);
  const chat = formatJid(from);
  const receipts: Receipt[] = [];
  let skipped = 0;
  for (const list of getChildren(node, 'participants')) {
    const key = list.attrs.key;
    if (key === undefined || key === '')
      throw malformed(node, 'grouped receipt: a <participants> has no key');
    for (const user of getChildren(list, 'user')) {
      const userAttrs = readAttrs(user);
      const jid = userAttrs.jid('jid');
      const at = userAttrs.optionalUnixTime('t');
      if (!userAttrs.ok || jid.user === '') {
        skipped++;
        continue;
      }
      const receipt: Receipt = {
        id: key,
        ids: [key],
        from: node.attrs.from!,
        chat,
        sender: formatJid(jid),
        type,
      };
      const when = at ?? t;
      if (when !== undefined) receipt.timestamp = when.getTime() / 1000;
      receipts.push(receipt);
    }
  }
  return { chat, receipts, skipped };
}
