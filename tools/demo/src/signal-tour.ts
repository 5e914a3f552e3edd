/**
 * Tour step: the Signal layer as WhatsApp uses it, in memory. Bob publishes a prekey bundle, Alice
 * starts a session from it and sends a `pkmsg`, Bob answers with a `msg`; then Alice distributes a
 * sender key to a group and sends one `skmsg`.
 */
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  GroupCipher,
  GroupSessionBuilder,
  generateIdentityKeyPair,
  generatePreKeys,
  generateRegistrationId,
  generateSignedPreKey,
  MemorySignalStore,
  ProtocolAddress,
  SenderKeyName,
  SessionBuilder,
  SessionCipher,
  serializePublicKey,
} from '@wakit/signal';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function device(name: string) {
  const identity = await generateIdentityKeyPair(crypto);
  const store = new MemorySignalStore(identity, generateRegistrationId(crypto));
  return { store, identity, address: new ProtocolAddress(name, 1) };
}

export async function signalTour(): Promise<string[]> {
  const alice = await device('15550001111');
  const bob = await device('15550002222');
  const [preKey] = await generatePreKeys(1, 1, crypto);
  const signedPreKey = await generateSignedPreKey(bob.identity, 1, crypto);
  bob.store.addPreKey(preKey!.keyId, preKey!.keyPair);
  bob.store.addSignedPreKey(signedPreKey.keyId, signedPreKey.keyPair);

  await new SessionBuilder(alice.store, bob.address, { crypto }).processPreKeyBundle({
    registrationId: await bob.store.getLocalRegistrationId(),
    deviceId: 1,
    identityKey: serializePublicKey(bob.identity.publicKey),
    signedPreKey: {
      keyId: signedPreKey.keyId,
      publicKey: serializePublicKey(signedPreKey.keyPair.publicKey),
      signature: signedPreKey.signature,
    },
    preKey: { keyId: preKey!.keyId, publicKey: serializePublicKey(preKey!.keyPair.publicKey) },
  });
  const aliceToBob = new SessionCipher(alice.store, bob.address, { crypto });
  const bobToAlice = new SessionCipher(bob.store, alice.address, { crypto });
  const first = await aliceToBob.encrypt(utf8('hi Bob'));
  const received = await bobToAlice.decryptPreKeyMessage(first.ciphertext);
  const reply = await bobToAlice.encrypt(utf8('hi Alice'));
  const answered = await aliceToBob.decryptMessage(reply.ciphertext);

  const group = new SenderKeyName('120363025246125486@g.us', alice.address);
  const skdm = await new GroupSessionBuilder(alice.store, { crypto }).create(group);
  await new GroupSessionBuilder(bob.store, { crypto }).process(group, skdm.serialized);
  const skmsg = await new GroupCipher(alice.store, group, { crypto }).encrypt(utf8('hi group'));
  const groupText = text(await new GroupCipher(bob.store, group, { crypto }).decrypt(skmsg));

  return [
    '5. Signal sessions and sender keys between two devices in memory (@wakit/signal):',
    `   Alice -> Bob, ${first.type} of ${first.ciphertext.length} bytes: "${text(received.plaintext)}" (one-time prekey used: ${bob.store.preKeys.size === 0})`,
    `   Bob -> Alice, ${reply.type} of ${reply.ciphertext.length} bytes: "${text(answered.plaintext)}"`,
    `   Alice -> group, skmsg of ${skmsg.length} bytes after a ${skdm.serialized.length}-byte sender key distribution: "${groupText}"`,
  ];
}
