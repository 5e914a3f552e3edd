/**
 * whatsapp-rust's own Signal code doing the Signal part of a cold group send, on this machine:
 * whatsapp-rust-bridge@0.5.5 (wacore's libsignal compiled to WebAssembly), driven as
 * whatsapp-rust's `prepare_group_stanza` drives it for `force_skdm`: a sender key created, its
 * distribution message encrypted pairwise for every device (sessions started from bundles and never
 * answered, so every one is a `pkmsg`), and the message encrypted once with the key. No stanza, no
 * encoding, no store transaction: what it leaves out of whatsapp-rust's body, and more of ours, is
 * protocol work around the crypto.
 *
 * Sessions go through `storeSessionRaw` (see packages/signal/bench/peers.ts: the bridge calls it
 * instead of `storeSession` when a storage has it, and `storeSession` keeps a wasm record alive
 * until garbage collection, which slows the bridge down as a run goes on).
 */
import * as bridge from 'whatsapp-rust-bridge';
import { encodeMessage } from '../src/messaging/wire/message-codec';
import { padPlaintext } from '../src/messaging/wire/padding';

const GROUP = '120363000000000001@g.us';
const MESSAGE = new TextEncoder().encode('group bench message, padded as wakit pads it: ~32 bytes');

/** A storage of raw records in memory, with one identity and one signed prekey. */
function storageOf(identity: bridge.KeyPair) {
  const sessions = new Map<string, Uint8Array>();
  const senderKeys = new Map<string, Uint8Array>();
  const signed = bridge.generateSignedPreKey(identity, 1);
  const storage: bridge.SignalStorage & { storeSessionRaw(address: string, record: Uint8Array): void } = {
    loadSession: (address) => sessions.get(address),
    storeSessionRaw: (address, record) => {
      sessions.set(address, record);
    },
    storeSession: (address, record) => {
      sessions.set(address, record.serialize());
    },
    getOurIdentity: () => identity,
    getOurRegistrationId: () => 1234,
    isTrustedIdentity: () => true,
    loadPreKey: () => undefined,
    removePreKey: () => {},
    loadSignedPreKey: (id) => (id === 1 ? signed : undefined),
    loadSenderKey: (name) => senderKeys.get(name),
    storeSenderKey: (name, record) => {
      senderKeys.set(name, record);
    },
  };
  const bundle: bridge.PreKeyBundleInput = {
    registrationId: 1234,
    identityKey: identity.pubKey,
    signedPreKey: { keyId: 1, publicKey: signed.keyPair.pubKey, signature: signed.signature },
  };
  return { storage, bundle, senderKeys };
}

/** One cold send's Signal work on the bridge: resolves with the number of ciphertexts. */
export type BridgeColdSend = () => Promise<number>;

/** A sender with sessions to `devices` devices (each its own member), ready for cold sends. */
export async function bridgeColdSend(devices: number): Promise<BridgeColdSend> {
  const sender = storageOf(bridge.generateIdentityKeyPair());
  const ciphers: bridge.SessionCipher[] = [];
  for (let i = 0; i < devices; i++) {
    const member = storageOf(bridge.generateIdentityKeyPair());
    const address = new bridge.ProtocolAddress(`1555100${String(i).padStart(4, '0')}`, 0);
    await new bridge.SessionBuilder(sender.storage, address).processPreKeyBundle(member.bundle);
    ciphers.push(new bridge.SessionCipher(sender.storage, address));
  }
  const own = new bridge.ProtocolAddress('15550000001', 1);
  const name = new bridge.SenderKeyName(GROUP, own);
  const group = new bridge.GroupCipher(sender.storage, GROUP, own);
  return async () => {
    // A new key each time, as after a member left (ours makes one too): drop the old one first.
    sender.senderKeys.clear();
    const skdm = (await new bridge.GroupSessionBuilder(sender.storage).create(name)).serialize();
    // What goes to each device, as whatsapp-rust (and wakit) wrap it: a padded Message.
    const plaintext = padPlaintext(
      encodeMessage({
        senderKeyDistributionMessage: { groupId: GROUP, axolotlSenderKeyDistributionMessage: skdm },
      }),
      () => 7,
    );
    let count = 0;
    for (const cipher of ciphers) {
      const { type, body } = await cipher.encrypt(plaintext);
      if (type !== 3) throw new Error(`the bridge sent a type ${type} message, expected a pkmsg (3)`);
      count += body.length > 0 ? 1 : 0;
    }
    return count + ((await group.encrypt(MESSAGE)).length > 0 ? 1 : 0);
  };
}
