/** Shared steps of the WebSocket tests: pair a fresh companion by QR, log it in. */
import type { BinaryNode } from '@wakit/binary-node';
import { fromUtf8 } from '../src/_bytes';
import { children, contentBytes } from '../src/nodes';
import type { VirtualPhone } from '../src/phone';
import type { WaServer } from '../src/start-server';
import {
  type Companion,
  checkPairSuccess,
  loginPayload,
  makeCompanion,
  qrString,
  registrationPayload,
} from './companion';
import { RawClient } from './raw-client';

/** Connects with a registration payload and reads the refs of `<pair-device>` (acking it). */
export async function register(
  server: WaServer,
  companion: Companion,
): Promise<{ client: RawClient; refs: string[] }> {
  const client = await RawClient.connect(server.url, {
    rootPublicKey: server.rootPublicKey,
    noiseKey: companion.noiseKey,
    payload: registrationPayload(companion),
  });
  const iq = await client.next((n) => n.tag === 'iq' && children(n, 'pair-device').length === 1);
  client.send({ tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'result', id: iq.attrs.id! } });
  const refs = children(children(iq, 'pair-device')[0], 'ref').map((r) => fromUtf8(contentBytes(r)!));
  return { client, refs };
}

/** The whole QR flow; resolves with the companion and its JID once the server sent 515 and closed. */
export async function pairByQr(
  server: WaServer,
  phone: VirtualPhone,
): Promise<{ companion: Companion; jid: string }> {
  const companion = await makeCompanion();
  const { client, refs } = await register(server, companion);
  const scanned = phone.scanQr(qrString(companion, refs[0]!));
  const success = await client.next(isPairSuccess);
  const checked = await checkPairSuccess(companion, success);
  client.send(checked.reply);
  const jid = await scanned;
  await client.nextTag('stream:error');
  await client.closed;
  return { companion, jid };
}

/** Logs a paired companion in; resolves with the client and its `<success>`. */
export async function login(
  server: WaServer,
  companion: Companion,
  jid: string,
): Promise<{ client: RawClient; success: BinaryNode }> {
  const client = await RawClient.connect(server.url, {
    rootPublicKey: server.rootPublicKey,
    noiseKey: companion.noiseKey,
    payload: loginPayload(jid),
  });
  return { client, success: await client.next((n) => n.tag === 'success' || n.tag === 'failure') };
}

export function isPairSuccess(node: BinaryNode): boolean {
  return node.tag === 'iq' && children(node, 'pair-success').length === 1;
}
