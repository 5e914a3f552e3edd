/**
 * The message keys a relayed stanza used, read from its ciphertexts without any key: a Signal
 * message key is fixed by its sending chain (the chain's ratchet public key) and its counter, and
 * both travel in clear in every `msg` (docs/protocol.md §6.2; the layouts are @wakit/signal's
 * `_signal-message.ts` and `_prekey-signal-message.ts`, libsignal's wire format):
 *
 *   msg   : 0x33 || SignalMessage{ratchetKey=1, counter=2, previousCounter=3, ciphertext=4} || MAC (8 B)
 *   pkmsg : 0x33 || PreKeySignalMessage{..., message=4 (a whole msg)}
 *
 * Ratchet keys are fresh random keys per chain, so (ratchetKey, counter) names one message key
 * across every session: the same pair in two stanzas is a reused key, whoever it went to.
 *
 * A group's `skmsg` names its key the same way (@wakit/signal's `sender-key-message.ts`):
 *
 *   skmsg : 0x33 || SenderKeyMessage{id=1, iteration=2, ciphertext=3} || signature (64 B)
 *
 * (sender key id, iteration) is one message key of our sender key: the same pair in two stanzas
 * is a reused key, read by every member device alike.
 */
import type { BinaryNode } from '@wakit/binary-node';

/** One ciphertext of a stanza: to which device, and the key it used. */
export interface UsedKey {
  /** The recipient device as the stanza named it. */
  device: string;
  /** `<ratchet key hex>/<counter>`. */
  key: string;
}

const VERSION_BYTE = 0x33;
const MAC_LENGTH = 8;
const SIGNATURE_LENGTH = 64;

/**
 * Every `<enc type="msg|pkmsg|skmsg">` of a `<message>` the sender wrote, with its key (an skmsg's
 * device is the stanza's `to`, the group).
 */
export function usedKeys(stanza: BinaryNode): UsedKey[] {
  const out: UsedKey[] = [];
  const visit = (node: BinaryNode, device: string) => {
    if (node.tag === 'enc' && node.content instanceof Uint8Array) {
      const type = node.attrs.type;
      if (type === 'msg') out.push({ device, key: signalMessageKey(node.content) });
      else if (type === 'pkmsg')
        out.push({ device, key: signalMessageKey(preKeyInnerMessage(node.content)) });
      else if (type === 'skmsg') out.push({ device, key: senderKeyMessageKey(node.content) });
      return;
    }
    if (!Array.isArray(node.content)) return;
    // A fan-out names each device on its `<to jid>`; a retry resend's top-level `<enc>` goes to `to`.
    for (const child of node.content) visit(child, child.tag === 'to' ? (child.attrs.jid ?? device) : device);
  };
  visit(stanza, stanza.attrs.to ?? '');
  return out;
}

function signalMessageKey(bytes: Uint8Array): string {
  if (bytes[0] !== VERSION_BYTE || bytes.length < 1 + MAC_LENGTH)
    throw new RangeError(`not a version 3 Signal message (${bytes.length} bytes)`);
  let ratchetKey: Uint8Array | undefined;
  let counter: number | undefined;
  for (const field of protoFields(bytes.subarray(1, bytes.length - MAC_LENGTH))) {
    if (field.number === 1 && field.bytes !== undefined) ratchetKey = field.bytes;
    if (field.number === 2 && field.varint !== undefined) counter = field.varint;
  }
  if (ratchetKey === undefined || counter === undefined)
    throw new RangeError('a Signal message without its ratchet key or counter');
  return `${Buffer.from(ratchetKey).toString('hex')}/${counter}`;
}

function senderKeyMessageKey(bytes: Uint8Array): string {
  if (bytes[0] !== VERSION_BYTE || bytes.length < 1 + SIGNATURE_LENGTH)
    throw new RangeError(`not a version 3 sender key message (${bytes.length} bytes)`);
  let id: number | undefined;
  let iteration: number | undefined;
  for (const field of protoFields(bytes.subarray(1, bytes.length - SIGNATURE_LENGTH))) {
    if (field.number === 1 && field.varint !== undefined) id = field.varint;
    if (field.number === 2 && field.varint !== undefined) iteration = field.varint;
  }
  if (id === undefined || iteration === undefined)
    throw new RangeError('a sender key message without its key id or iteration');
  return `sender key ${id}/${iteration}`;
}

function preKeyInnerMessage(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== VERSION_BYTE) throw new RangeError('not a version 3 Signal prekey message');
  for (const field of protoFields(bytes.subarray(1))) {
    if (field.number === 4 && field.bytes !== undefined) return field.bytes;
  }
  throw new RangeError('a Signal prekey message without its inner message');
}

interface ProtoField {
  number: number;
  varint?: number;
  bytes?: Uint8Array;
}

/** The top-level fields of a protobuf message (varint and length-delimited ones; others refused). */
function* protoFields(bytes: Uint8Array): Generator<ProtoField> {
  let offset = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (offset >= bytes.length || shift > 49) throw new RangeError('a truncated protobuf varint');
      const byte = bytes[offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (offset < bytes.length) {
    const tag = varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) yield { number, varint: varint() };
    else if (wireType === 2) {
      const length = varint();
      if (offset + length > bytes.length) throw new RangeError('a truncated protobuf field');
      yield { number, bytes: bytes.subarray(offset, offset + length) };
      offset += length;
    } else throw new RangeError(`protobuf wire type ${wireType} is not used by Signal messages`);
  }
}
