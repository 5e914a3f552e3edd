/**
 * Three accounts (Alice with companion 1, Bob with companion 3, Carol) online on recording
 * endpoints, and `w:g2` IQs asked through the IQ router as one of their devices, for the group tests.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { routeIq } from '../src/iq-router';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { ALICE, addAccount, addCompanion, BOB, type Endpoint, newState, online } from './messaging-fixtures';

/** The third account. */
export const CAROL = { phone: '15550003333', lid: '300000000000003' } as const;
/** Not an account of the server. */
export const STRANGER = '15559999999@s.whatsapp.net';

export const A = `${ALICE.phone}@s.whatsapp.net`;
export const B = `${BOB.phone}@s.whatsapp.net`;
export const C = `${CAROL.phone}@s.whatsapp.net`;
export const LA = `${ALICE.lid}@lid`;
export const LB = `${BOB.lid}@lid`;
export const LC = `${CAROL.lid}@lid`;

export interface GroupWorld {
  state: ServerState;
  dev: Record<'a0' | 'a1' | 'b0' | 'b3' | 'c0', DeviceRecord>;
  at: Record<'a0' | 'a1' | 'b0' | 'b3' | 'c0', Endpoint>;
}

/** A fresh state with Alice (0, 1), Bob (0, 3) and Carol (0), every device online. */
export async function groupWorld(): Promise<GroupWorld> {
  const state = newState();
  const a0 = (await addAccount(state, ALICE)).record;
  const b0 = (await addAccount(state, BOB)).record;
  const c0 = (await addAccount(state, CAROL)).record;
  const a1 = addCompanion(state, ALICE, 1);
  const b3 = addCompanion(state, BOB, 3);
  const dev = { a0, a1, b0, b3, c0 };
  const at = {
    a0: online(state, a0),
    a1: online(state, a1),
    b0: online(state, b0),
    b3: online(state, b3),
    c0: online(state, c0),
  };
  return { state, dev, at };
}

/** `<iq id xmlns="w:g2" to type>content</iq>` from `device`, answered by the router. */
export function groupIq(
  state: ServerState,
  device: DeviceRecord,
  to: string,
  type: 'get' | 'set',
  content: BinaryNode[],
): Promise<BinaryNode> {
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
    { tag: 'iq', attrs: { id: 'g1', xmlns: 'w:g2', to, type }, content },
  );
}

/** A node with attributes and optional children or text. */
export function n(
  tag: string,
  attrs: Record<string, string> = {},
  content?: BinaryNode[] | string,
): BinaryNode {
  const node: BinaryNode = { tag, attrs };
  if (typeof content === 'string') node.content = new TextEncoder().encode(content);
  else if (content !== undefined) node.content = content;
  return node;
}

/** The children of `node`. */
export function kids(node: BinaryNode | undefined): BinaryNode[] {
  return Array.isArray(node?.content) ? node.content : [];
}

/** The error code of an IQ reply, `undefined` for a result. */
export function errorOf(reply: BinaryNode): string | undefined {
  return reply.attrs.type === 'error' ? kids(reply)[0]?.attrs.code : undefined;
}

/** Creates a group as `device` with `participants` and returns its JID. */
export async function createGroup(
  world: GroupWorld,
  device: DeviceRecord,
  participants: string[],
  subject = 'Team',
): Promise<string> {
  const reply = await groupIq(world.state, device, '@g.us', 'set', [
    n(
      'create',
      { subject },
      participants.map((jid) => n('participant', { jid })),
    ),
  ]);
  return `${kids(reply)[0]!.attrs.id}@g.us`;
}

/** The `w:gp2` notifications `endpoint` got, and forgets them. */
export function takeNotifications(endpoint: Endpoint): BinaryNode[] {
  const taken = endpoint.sent.filter((s) => s.tag === 'notification' && s.attrs.type === 'w:gp2');
  endpoint.sent.length = 0;
  return taken;
}

/** Forgets everything every endpoint got. */
export function clearAll(world: GroupWorld): void {
  for (const endpoint of Object.values(world.at)) endpoint.sent.length = 0;
}
