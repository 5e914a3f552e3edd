/**
 * The `<pair-success>` stanza a phone's pairing makes the server send (docs/protocol.md §5.3; shape from
 * whatsmeow `pair.go` `handlePairSuccess` and whatsapp-rust `src/pair.rs`): the signed device
 * identity, the phone's platform, the new device's PN and LID JIDs, and ClientPairingProps.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { ClientPairingPropsSchema, create, toBinary } from '@wakit/proto';
import { bytesNode, SERVER_JID } from './nodes';

/** The platform name a virtual phone reports (whatsmeow stores it as the device's platform). */
export const PHONE_PLATFORM = 'android';

/** Inputs of `pairSuccessNode`. */
export interface PairSuccessFields {
  id: string;
  t: string;
  /** Encoded ADVSignedDeviceIdentityHMAC. */
  deviceIdentity: Uint8Array;
  jid: string;
  lid: string;
}

/** `<iq from=S type="result" id t><pair-success>…</pair-success></iq>`. */
export function pairSuccessNode(fields: PairSuccessFields): BinaryNode {
  const clientProps = toBinary(
    ClientPairingPropsSchema,
    create(ClientPairingPropsSchema, { isChatDbLidMigrated: true }),
  );
  return {
    tag: 'iq',
    attrs: { from: SERVER_JID, type: 'result', id: fields.id, t: fields.t },
    content: [
      {
        tag: 'pair-success',
        attrs: {},
        content: [
          bytesNode('device-identity', fields.deviceIdentity),
          { tag: 'platform', attrs: { name: PHONE_PLATFORM } },
          { tag: 'device', attrs: { jid: fields.jid, lid: fields.lid } },
          bytesNode('client-props', clientProps),
        ],
      },
    ],
  };
}

/** `<iq from=S type="set" xmlns="md" id><pair-device><ref/>×n</pair-device></iq>` (docs/protocol.md §5.2). */
export function pairDeviceNode(id: string, refs: string[]): BinaryNode {
  const encoder = new TextEncoder();
  return {
    tag: 'iq',
    attrs: { from: SERVER_JID, type: 'set', id, xmlns: 'md' },
    content: [
      { tag: 'pair-device', attrs: {}, content: refs.map((ref) => bytesNode('ref', encoder.encode(ref))) },
    ],
  };
}
