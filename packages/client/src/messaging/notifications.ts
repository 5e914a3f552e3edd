/**
 * Notifications that change who we encrypt for:
 * - `<notification type="devices">` (docs/protocol.md §6.8): a user linked or removed a device; the
 *   cached list of every user it names is dropped, so the next send asks usync again.
 * - `<notification type="encrypt"><identity/>`: a user's identity key changed (reinstall, new
 *   phone). Every session and stored identity of the user is dropped, the device list too; the next
 *   message starts new sessions from fresh bundles. Reported as `identity-changed`.
 */
import { type BinaryNode, getChild, getChildren, tryParseJid } from '@wakit/binary-node';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import { isPersonJid, signalName, userJid } from './jids';
import type { Messaging } from './messaging';

/** The pipeline handlers for device-list and identity notifications. */
export function notificationHandlers(m: Messaging): StanzaHandler[] {
  return [
    {
      name: 'messaging:devices',
      match: { tag: 'notification', attrs: { type: 'devices' } },
      handle: async ({ node }) => {
        for (const user of usersNamed(node)) await m.directory.invalidate(user);
      },
    },
    {
      name: 'messaging:identity-change',
      match: (node) =>
        node.tag === 'notification' &&
        node.attrs.type === 'encrypt' &&
        getChild(node, 'identity') !== undefined,
      handle: async ({ node }) => {
        const from = tryParseJid(node.attrs.from ?? '');
        if (from === undefined || !isPersonJid(from)) return;
        const user = userJid(from);
        const name = signalName(await m.peers.canonical(user));
        await m.host.signalLock.run(() =>
          m.host.store.transaction(async (tx) => {
            await tx.signalUsers.deleteSessions(name);
            await tx.signalUsers.deleteIdentities(name);
          }),
        );
        await m.directory.invalidate(user);
        m.host.emit('identity-changed', { jid: user });
      },
    },
  ];
}

/** The users a devices notification is about: its `from` and every `<device jid>` it lists. */
function usersNamed(node: BinaryNode): string[] {
  const jids = [node.attrs.from ?? ''];
  for (const change of getChildren(node))
    for (const device of getChildren(change, 'device')) jids.push(device.attrs.jid ?? '');
  const users = new Set<string>();
  for (const jid of jids) {
    const parsed = tryParseJid(jid);
    if (parsed !== undefined && isPersonJid(parsed)) users.add(userJid(parsed));
  }
  return [...users];
}
