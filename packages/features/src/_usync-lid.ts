/**
 * The LID of PN users, asked of the server with a usync `lid` query (docs/protocol.md §10.6): for
 * features that must match a user by both names (the blocklist names users by LID) when the
 * client's own mapping does not know them yet.
 *
 *   <iq to=s.whatsapp.net type=get xmlns=usync><usync sid mode=query last=true index=0 context=interactive>
 *     <query><lid/></query><list><user jid=<PN>/>…</list></usync></iq>
 *   -> <usync><list><user jid=<PN>><lid val=<LID>/></user>…</list></usync>
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';

/** The query for the LIDs of `pnUsers`; `sid` is any id unique to this query. */
export function buildLidQuery(pnUsers: readonly string[], sid: string): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'usync' },
    content: [
      {
        tag: 'usync',
        attrs: { sid, mode: 'query', last: 'true', index: '0', context: 'interactive' },
        content: [
          { tag: 'query', attrs: {}, content: [{ tag: 'lid', attrs: {} }] },
          { tag: 'list', attrs: {}, content: pnUsers.map((jid) => ({ tag: 'user', attrs: { jid } })) },
        ],
      },
    ],
  };
}

/** PN user -> LID user from a reply; users without a LID are left out. */
export function parseLids(reply: BinaryNode): Map<string, string> {
  const lids = new Map<string, string>();
  const list = getChild(getChild(reply, 'usync') ?? reply, 'list');
  for (const user of list === undefined ? [] : getChildren(list, 'user')) {
    const lid = getChild(user, 'lid')?.attrs.val;
    if (user.attrs.jid !== undefined && lid !== undefined && lid !== '') lids.set(user.attrs.jid, lid);
  }
  return lids;
}
