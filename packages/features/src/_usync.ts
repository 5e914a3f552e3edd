/**
 * The usync envelope (docs/protocol.md §6.8, §10.6) every user query of the features shares:
 *
 *   <iq to=s.whatsapp.net type=get xmlns=usync>
 *     <usync sid mode last=true index=0 context><query>…protocols</query><list>…users</list></usync></iq>
 *
 * `mode`/`context` are `query`/`interactive` for a lookup a person waits on, `full`/`background`
 * for user info (whatsmeow user.go). The reply's `<list>` is found the same way by every parser.
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';

/** What goes in one usync query. */
export interface UsyncQuery {
  /** Any id unique to this query. */
  sid: string;
  mode: 'query' | 'full';
  context: 'interactive' | 'background';
  /** The protocols asked for (`<lid/>`, `<contact/>`, `<devices version=2/>` …). */
  protocols: BinaryNode[];
  /** The `<user>` nodes. */
  users: BinaryNode[];
}

/** The usync IQ for `query`. */
export function buildUsyncIq({ sid, mode, context, protocols, users }: UsyncQuery): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'usync' },
    content: [
      {
        tag: 'usync',
        attrs: { sid, mode, last: 'true', index: '0', context },
        content: [
          { tag: 'query', attrs: {}, content: protocols },
          { tag: 'list', attrs: {}, content: users },
        ],
      },
    ],
  };
}

/** The reply's `<usync><list>` (or a bare `<list>`), if there is one. */
export function usyncList(reply: BinaryNode): BinaryNode | undefined {
  return getChild(getChild(reply, 'usync') ?? reply, 'list');
}
