/** A companion paired to a new phone by QR and logged in over a real WebSocket, for the IQ e2e tests. */
import type { BinaryNode } from '@wakit/binary-node';
import type { VirtualPhone } from '../src/phone';
import type { WaServer } from '../src/start-server';
import type { Companion } from './companion';
import { login, pairByQr } from './helpers';
import type { RawClient } from './raw-client';

/** A logged-in raw client of `phone` (made when a phone number is given), its queue past the offline marker. */
export async function linkedClient(
  server: WaServer,
  phone: VirtualPhone | string,
): Promise<{ phone: VirtualPhone; client: RawClient; jid: string; companion: Companion }> {
  const owner = typeof phone === 'string' ? await server.phones.create(phone) : phone;
  const { companion, jid } = await pairByQr(server, owner);
  const client = await linkedLogin(server, companion, jid);
  return { phone: owner, client, jid, companion };
}

/** Logs a paired companion in and drains its offline queue; resolves once `<ib><offline>` arrived. */
export async function linkedLogin(server: WaServer, companion: Companion, jid: string): Promise<RawClient> {
  const { client, success } = await login(server, companion, jid);
  if (success.tag !== 'success') throw new Error(`login refused: ${success.tag}`);
  const preview = await client.next(
    (n) => n.tag === 'ib' && (n.content as BinaryNode[])[0]?.tag === 'offline_preview',
  );
  if ((preview.content as BinaryNode[])[0]!.attrs.count !== '0') {
    client.send({ tag: 'ib', attrs: {}, content: [{ tag: 'offline_batch', attrs: { count: '100' } }] });
  }
  await client.next(isOfflineMarker);
  return client;
}

/** `<ib><offline count/></ib>`: the offline queue is drained. */
export function isOfflineMarker(node: BinaryNode): boolean {
  return node.tag === 'ib' && Array.isArray(node.content) && node.content[0]?.tag === 'offline';
}

/** `<iq to=S type xmlns>…</iq>` without an id (RawClient.query adds one). */
export function iq(
  xmlns: string,
  type: 'get' | 'set',
  content?: BinaryNode[],
  attrs: Record<string, string> = {},
): BinaryNode {
  const node: BinaryNode = { tag: 'iq', attrs: { to: '@s.whatsapp.net', type, xmlns, ...attrs } };
  if (content !== undefined) node.content = content;
  return node;
}
