/**
 * A usync `devices` query and its answer, for tests that play the server's part: the users a query
 * asks about, and the reply listing each user's device ids (docs/protocol.md §6.8).
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';

/** The user JIDs a usync query lists. */
export function usyncUsers(iq: BinaryNode): string[] {
  const list = getChild(getChild(iq, 'usync')!, 'list')!;
  return getChildren(list, 'user').map((user) => user.attrs.jid!);
}

/** `<iq type=result><usync><list><user jid><devices><device-list><device id/>…` for `users`. */
export function usyncDevicesReply(
  users: readonly string[],
  devicesOf: (user: string) => readonly number[],
): BinaryNode {
  const user = (jid: string): BinaryNode => ({
    tag: 'user',
    attrs: { jid },
    content: [
      {
        tag: 'devices',
        attrs: {},
        content: [
          {
            tag: 'device-list',
            attrs: {},
            content: devicesOf(jid).map((id) => ({ tag: 'device', attrs: { id: String(id) } })),
          },
        ],
      },
    ],
  });
  return {
    tag: 'iq',
    attrs: { type: 'result' },
    content: [{ tag: 'usync', attrs: {}, content: [{ tag: 'list', attrs: {}, content: users.map(user) }] }],
  };
}
