/**
 * Devices for the phone's unit tests, written with @wakit/signal directly (no client, no socket):
 * a fake companion or peer registered in a ServerState with its own keys and Signal store, the
 * `<message>` stanza the relay would deliver from it, and a capture of what a phone submits.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  create,
  fromBinary,
  type Message,
  type MessageInitShape,
  MessageSchema,
  toBinary,
} from '@wakit/proto';
import {
  type EncryptedMessage,
  generatePreKeys,
  generateRegistrationId,
  generateSignedPreKey,
  MemorySignalStore,
  ProtocolAddress,
  SessionBuilder,
  SessionCipher,
} from '@wakit/signal';
import { expect } from 'vitest';
import { lidUserOf } from '../src/addresses';
import { DeviceKeys } from '../src/device-keys';
import { contentBytes } from '../src/nodes';
import type { VirtualPhone } from '../src/phone';
import { padPlaintext, unpadPlaintext } from '../src/phone-padding';
import { toPreKeyBundle } from '../src/phone-signal';
import { Phones } from '../src/phones';
import { type DeviceRecord, deviceJid, deviceLid, ServerState } from '../src/server-state';

/** The clock of the unit tests: 2026-01-01T00:00:00Z. */
export const NOW_MS = 1_767_225_600_000;

/** A server state with no sockets, and its phones. */
export function makeState(): { state: ServerState; phones: Phones } {
  const state = new ServerState({
    crypto,
    pairReplyTimeoutMs: 1_000,
    lowPreKeyThreshold: 5,
    now: () => NOW_MS,
  });
  return { state, phones: new Phones(state) };
}

/**
 * Replaces the server's stanza entry point with a recorder, so a test sees exactly what a phone
 * hands the server (and the relay does not act on it).
 */
export function captureSubmissions(state: ServerState): BinaryNode[] {
  const submitted: BinaryNode[] = [];
  Object.defineProperty(state, 'stanzas', {
    value: { receive: (_from: DeviceRecord, node: BinaryNode) => submitted.push(node) },
    configurable: true,
  });
  return submitted;
}

/** A device of some account with its own Signal store, as a companion (or another phone) would have. */
export interface FakeDevice {
  record: DeviceRecord;
  store: MemorySignalStore;
}

/** Registers device `device` of `owner`'s account in `state`, with `preKeyCount` published prekeys. */
export async function addFakeDevice(
  state: ServerState,
  owner: VirtualPhone,
  device: number,
  preKeyCount = 3,
): Promise<FakeDevice> {
  const identity = await crypto.generateKeyPair();
  const registrationId = generateRegistrationId(crypto);
  const store = new MemorySignalStore(identity, registrationId);
  const signed = await generateSignedPreKey(identity, 7, crypto);
  store.addSignedPreKey(signed.keyId, signed.keyPair);
  const preKeys = await generatePreKeys(100, preKeyCount, crypto);
  for (const key of preKeys) store.addPreKey(key.keyId, key.keyPair);
  const keys = new DeviceKeys(registrationId, identity.publicKey, {
    id: signed.keyId,
    publicKey: signed.keyPair.publicKey,
    signature: signed.signature,
  });
  keys.upload({
    registrationId,
    identity: identity.publicKey,
    signedPreKey: keys.signedPreKey,
    preKeys: preKeys.map((k) => ({ id: k.keyId, publicKey: k.keyPair.publicKey })),
  });
  const lidUser = owner.lid.split('@')[0]!;
  const record: DeviceRecord = {
    jid: deviceJid(owner.phoneNumber, device),
    lid: deviceLid(lidUser, device),
    phoneNumber: owner.phoneNumber,
    device,
    noiseKey: undefined,
    deviceIdentity: undefined,
    platform: 'test',
    keys,
    removed: false,
  };
  state.devices.set(record.jid, record);
  return { record, store };
}

function addressOf(record: DeviceRecord): ProtocolAddress {
  return new ProtocolAddress(lidUserOf(record), record.device);
}

/** Encrypts `plaintext` from `from` to `to`, starting a session from `to`'s server bundle if needed. */
export async function encryptBytes(
  from: FakeDevice,
  to: DeviceRecord,
  plaintext: Uint8Array,
): Promise<EncryptedMessage> {
  const address = addressOf(to);
  const cipher = new SessionCipher(from.store, address, { crypto });
  if (!(await cipher.hasOpenSession())) {
    await new SessionBuilder(from.store, address, { crypto }).processPreKeyBundle(
      toPreKeyBundle(to.keys.takeBundle()),
    );
  }
  return cipher.encrypt(plaintext);
}

/** Encrypts `message`, padded with `padByte` (docs/protocol.md §6.3), from `from` to `to`. */
export function encryptMessage(
  from: FakeDevice,
  to: DeviceRecord,
  message: MessageInitShape<typeof MessageSchema>,
  padByte = 0x0b,
): Promise<EncryptedMessage> {
  return encryptBytes(
    from,
    to,
    padPlaintext(toBinary(MessageSchema, create(MessageSchema, message)), padByte),
  );
}

/** Decrypts an `<enc>` that `from` sent to the fake device and decodes the Message in it. */
export async function decryptEnc(device: FakeDevice, from: DeviceRecord, enc: BinaryNode): Promise<Message> {
  const cipher = new SessionCipher(device.store, addressOf(from), { crypto });
  const ciphertext = contentBytes(enc)!;
  const { plaintext } =
    enc.attrs.type === 'pkmsg'
      ? await cipher.decryptPreKeyMessage(ciphertext)
      : await cipher.decryptMessage(ciphertext);
  const unpadded = unpadPlaintext(plaintext);
  expect(unpadded, 'padded plaintext').toBeDefined();
  return fromBinary(MessageSchema, unpadded!);
}

/** The `<message>` the relay delivers to one device (server-for-baileys7 §3), with one `<enc>`. */
export function deliveredMessage(input: {
  from: string;
  id: string;
  enc: { type: string; ciphertext: Uint8Array; v?: string; count?: number };
  attrs?: Record<string, string>;
}): BinaryNode {
  const encAttrs: Record<string, string> = { v: input.enc.v ?? '2', type: input.enc.type };
  if (input.enc.count !== undefined) encAttrs.count = String(input.enc.count);
  return {
    tag: 'message',
    attrs: { from: input.from, id: input.id, t: String(NOW_MS / 1000), type: 'text', ...input.attrs },
    content: [{ tag: 'enc', attrs: encAttrs, content: input.enc.ciphertext }],
  };
}

/** Hands `node` to the phone's device-0 endpoint, as the relay does, and waits until it is handled. */
export async function deliver(state: ServerState, phone: VirtualPhone, node: BinaryNode): Promise<void> {
  state.live.get(phone.jid)!.send(node);
  await phone.idle();
}
