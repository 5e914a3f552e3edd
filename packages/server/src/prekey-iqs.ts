/**
 * The `xmlns="encrypt"` IQs (docs/protocol.md §6.4–6.6): prekey upload, count, digest, and bundle fetch.
 * Fetching a bundle consumes one one-time prekey; when a device drops below the threshold the
 * server pushes `<notification type="encrypt"><count value=N/></notification>` to it, as the real
 * server does, so clients top their prekeys up.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { bytesToUint, uintToBytes } from './_bytes';
import { findDevice } from './addresses';
import type { KeyBundle, SignedPreKeyRecord } from './device-keys';
import type { IqContext, IqHandler } from './iq-context';
import {
  bytesNode,
  child,
  children,
  contentBytes,
  iqError,
  iqResult,
  SERVER_JID,
  unixSeconds,
} from './nodes';

const KEY_TYPE = Uint8Array.of(5);

/** Handles every `xmlns="encrypt"` IQ from a logged-in device. */
export const handleEncryptIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'encrypt') return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  if (node.attrs.type === 'set' && child(node, 'list') !== undefined) return upload(ctx, node);
  if (node.attrs.type === 'get' && child(node, 'count') !== undefined) {
    return iqResult(node, [{ tag: 'count', attrs: { value: String(device.keys.preKeyCount) } }]);
  }
  if (node.attrs.type === 'get' && child(node, 'digest') !== undefined) return digest(ctx, node);
  if (node.attrs.type === 'get' && child(node, 'key') !== undefined) return fetchBundles(ctx, node);
  return iqError(node, 501, 'feature-not-implemented');
};

function upload(ctx: IqContext, node: BinaryNode): BinaryNode {
  const registration = contentBytes(child(node, 'registration'));
  const identity = contentBytes(child(node, 'identity'));
  const skey = readSignedPreKey(child(node, 'skey'));
  const preKeys: { id: number; publicKey: Uint8Array }[] = [];
  for (const key of children(child(node, 'list'), 'key')) {
    const id = contentBytes(child(key, 'id'));
    const value = contentBytes(child(key, 'value'));
    if (id === undefined || id.length !== 3 || value?.length !== 32) return iqError(node, 400, 'bad-request');
    preKeys.push({ id: bytesToUint(id), publicKey: value });
  }
  if (registration?.length !== 4 || identity?.length !== 32 || skey === undefined) {
    return iqError(node, 400, 'bad-request');
  }
  const device = ctx.device!;
  device.keys.upload({ registrationId: bytesToUint(registration), identity, signedPreKey: skey, preKeys });
  ctx.state.events.emit('prekeys-uploaded', {
    connection: ctx.connection,
    jid: device.jid,
    count: preKeys.length,
  });
  return iqResult(node);
}

function readSignedPreKey(skey: BinaryNode | undefined): SignedPreKeyRecord | undefined {
  const id = contentBytes(child(skey, 'id'));
  const value = contentBytes(child(skey, 'value'));
  const signature = contentBytes(child(skey, 'signature'));
  if (id?.length !== 3 || value?.length !== 32 || signature?.length !== 64) return undefined;
  return { id: bytesToUint(id), publicKey: value, signature };
}

function skeyNode(skey: SignedPreKeyRecord): BinaryNode {
  return {
    tag: 'skey',
    attrs: {},
    content: [
      bytesNode('id', uintToBytes(skey.id, 3)),
      bytesNode('value', skey.publicKey),
      bytesNode('signature', skey.signature),
    ],
  };
}

function digest(ctx: IqContext, node: BinaryNode): BinaryNode {
  const keys = ctx.device!.keys;
  // Until the device uploads one-time prekeys it has no bundle to digest; 404 tells the client to
  // upload (docs/protocol.md §6.5).
  if (keys.preKeyCount === 0) return iqError(node, 404, 'item-not-found');
  return iqResult(node, [
    {
      tag: 'digest',
      attrs: {},
      content: [
        bytesNode('registration', uintToBytes(keys.registrationId, 4)),
        bytesNode('type', KEY_TYPE),
        bytesNode('identity', keys.identity),
        skeyNode(keys.signedPreKey),
        { tag: 'list', attrs: {}, content: keys.preKeyIds.map((id) => bytesNode('id', uintToBytes(id, 3))) },
        bytesNode('hash', keys.digestHash()),
      ],
    },
  ]);
}

function fetchBundles(ctx: IqContext, node: BinaryNode): BinaryNode {
  const users: BinaryNode[] = [];
  for (const user of children(child(node, 'key'), 'user')) {
    const jid = user.attrs.jid ?? '';
    const record = findDevice(ctx.state, jid);
    if (record === undefined || record.removed) {
      users.push({
        tag: 'user',
        attrs: { jid },
        content: [{ tag: 'error', attrs: { code: '406', text: 'not-acceptable' } }],
      });
      continue;
    }
    users.push({
      tag: 'user',
      attrs: { jid },
      content: bundleNodes(record.keys.takeBundle(), record.deviceIdentity),
    });
    notifyIfLow(ctx, record.jid);
  }
  return iqResult(node, [{ tag: 'list', attrs: {}, content: users }]);
}

function bundleNodes(bundle: KeyBundle, deviceIdentity: Uint8Array | undefined): BinaryNode[] {
  const nodes: BinaryNode[] = [
    bytesNode('registration', uintToBytes(bundle.registrationId, 4)),
    bytesNode('type', KEY_TYPE),
    bytesNode('identity', bundle.identity),
    skeyNode(bundle.signedPreKey),
  ];
  if (bundle.preKey !== undefined) {
    nodes.push({
      tag: 'key',
      attrs: {},
      content: [
        bytesNode('id', uintToBytes(bundle.preKey.id, 3)),
        bytesNode('value', bundle.preKey.publicKey),
      ],
    });
  }
  if (deviceIdentity !== undefined) nodes.push(bytesNode('device-identity', deviceIdentity));
  return nodes;
}

function notifyIfLow(ctx: IqContext, jid: string): void {
  const record = ctx.state.devices.get(jid);
  const live = ctx.state.live.get(jid);
  if (record === undefined || live === undefined) return;
  if (record.keys.preKeyCount >= ctx.state.options.lowPreKeyThreshold) return;
  live.send({
    tag: 'notification',
    attrs: {
      from: SERVER_JID,
      type: 'encrypt',
      id: ctx.state.nextStanzaId(),
      t: unixSeconds(ctx.state.options.now()),
    },
    content: [{ tag: 'count', attrs: { value: String(record.keys.preKeyCount) } }],
  });
}
