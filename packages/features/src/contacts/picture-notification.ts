/**
 * `<notification type="picture">`: a profile picture changed (docs/protocol.md §10.14; whatsmeow
 * `handlePictureNotification`). One child per change, `jid` whose picture it is (a user, or a
 * group), `author` who changed it when it is not the owner (a group's member), `id` the new picture:
 *
 *   <notification from type="picture" id t><set|add jid id [author]/>…<delete jid [author]/>…</notification>
 *
 * A child whose attributes do not read is skipped, as whatsmeow skips it.
 */
import { type BinaryNode, getChildren, readAttrs } from '@wakit/binary-node';

/** One picture change, as the contacts module emits it (`picture-changed`). */
export interface PictureChangedEvent {
  /** Whose picture: a user JID or a group JID. */
  jid: string;
  /** The new picture's id; undefined when `removed`. */
  id?: string | undefined;
  removed: boolean;
  /** Who changed it, when the server says (a group's member). */
  author?: string | undefined;
  /** When (unix seconds), when the server says. */
  timestamp?: number | undefined;
}

/** The changes a picture notification carries (none when nothing in it reads). */
export function parsePictureNotification(node: BinaryNode): PictureChangedEvent[] {
  const t = Number(node.attrs.t);
  const timestamp = node.attrs.t !== undefined && Number.isSafeInteger(t) && t >= 0 ? t : undefined;
  const changes: PictureChangedEvent[] = [];
  for (const child of getChildren(node)) {
    if (child.tag !== 'set' && child.tag !== 'add' && child.tag !== 'delete') continue;
    const attrs = readAttrs(child);
    const jid = attrs.jid('jid');
    const author = attrs.optionalJid('author');
    const id = child.tag === 'delete' ? undefined : attrs.string('id');
    if (!attrs.ok || jid.user === '') continue;
    const event: PictureChangedEvent = { jid: child.attrs.jid!, removed: child.tag === 'delete' };
    if (id !== undefined) event.id = id;
    if (author !== undefined) event.author = child.attrs.author;
    if (timestamp !== undefined) event.timestamp = timestamp;
    changes.push(event);
  }
  return changes;
}
