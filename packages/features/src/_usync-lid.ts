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
import { buildUsyncIq, usyncList } from './_usync';

/** The query for the LIDs of `pnUsers`; `sid` is any id unique to this query. */
export function buildLidQuery(pnUsers: readonly string[], sid: string): BinaryNode {
  return buildUsyncIq({
    sid,
    mode: 'query',
    context: 'interactive',
    protocols: [{ tag: 'lid', attrs: {} }],
    users: pnUsers.map((jid) => ({ tag: 'user', attrs: { jid } })),
  });
}

/** PN user -> LID user from a reply; users without a LID are left out. */
export function parseLids(reply: BinaryNode): Map<string, string> {
  const lids = new Map<string, string>();
  const list = usyncList(reply);
  for (const user of list === undefined ? [] : getChildren(list, 'user')) {
    const lid = getChild(user, 'lid')?.attrs.val;
    if (user.attrs.jid !== undefined && lid !== undefined && lid !== '') lids.set(user.attrs.jid, lid);
  }
  return lids;
}
