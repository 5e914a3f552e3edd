/** Asking the IQ router as a logged-in device, for the privacy, blocklist and disappearing-mode tests. */
import type { BinaryNode } from '@wakit/binary-node';
import { routeIq } from '../src/iq-router';
import type { DeviceRecord, ServerState } from '../src/server-state';

/** `<iq id to=S type xmlns [attrs]>…</iq>` from `device`, answered by the router. */
export function ask(
  state: ServerState,
  device: DeviceRecord,
  xmlns: string,
  type: 'get' | 'set',
  content?: BinaryNode[],
  attrs: Record<string, string> = {},
): Promise<BinaryNode> {
  const node: BinaryNode = { tag: 'iq', attrs: { id: 'q1', to: '@s.whatsapp.net', type, xmlns, ...attrs } };
  if (content !== undefined) node.content = content;
  return routeIq(
    {
      state,
      connection: { id: 1, deviceJid: device.jid },
      device,
      target: { noiseKey: undefined, send: () => {}, pair: async () => '' },
      send: () => {},
      after: () => {},
      setPassive: () => {},
    },
    node,
  );
}

/** `<privacy [attrs]><category …/>…</privacy>`. */
export function privacyNode(categories: BinaryNode[], attrs: Record<string, string> = {}): BinaryNode {
  return { tag: 'privacy', attrs, content: categories };
}

/** `<category name value [dhash]>[<user …/>…]</category>`. */
export function category(
  name: string,
  value: string,
  extra: { dhash?: string; users?: Record<string, string>[] } = {},
): BinaryNode {
  const node: BinaryNode = { tag: 'category', attrs: { name, value } };
  if (extra.dhash !== undefined) node.attrs.dhash = extra.dhash;
  if (extra.users !== undefined) node.content = extra.users.map((attrs) => ({ tag: 'user', attrs }));
  return node;
}

/** The error code of an IQ reply (`undefined` for a result). */
export function errorCode(reply: BinaryNode): string | undefined {
  if (reply.attrs.type !== 'error') return undefined;
  return (reply.content as BinaryNode[]).find((c) => c.tag === 'error')?.attrs.code;
}
