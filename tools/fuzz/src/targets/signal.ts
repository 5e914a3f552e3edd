/**
 * The Signal layer: the four wire messages a peer controls (`msg`, `pkmsg`, `skmsg`, SKDM) through
 * the pure record functions, and the two record formats a store hands back (a corrupted database
 * row is untrusted input too). The sessions are real: Alice and Bob exchange a few messages first,
 * so the seeds are messages each side would accept.
 */
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  createSenderKeyDistributionMessage,
  decodeSenderKeyRecord,
  decryptPreKeyWithRecord,
  decryptWithRecord,
  encodeSenderKeyDistributionMessage,
  encodeSenderKeyRecord,
  generateIdentityKeyPair,
  generatePreKeys,
  generateSignedPreKey,
  groupDecrypt,
  groupEncrypt,
  MemorySignalStore,
  ProtocolAddress,
  processSenderKeyDistributionMessage,
  type SenderKeyRecord,
  SessionBuilder,
  SessionCipher,
  SessionRecord,
  serializePublicKey,
} from '@wakit/signal';
import type { ErrorKind, FuzzTarget } from '../target';

/** Signal's `'local'` errors name what the store lacks; a peer's bytes can cause them (see `FuzzTarget.kinds`). */
const EITHER: readonly ErrorKind[] = ['remote', 'local'];

const HELLO = new TextEncoder().encode('hello, fuzz');
const options = { crypto };

interface SessionFixture {
  /** Bob's record after Alice's first message (a `pkmsg`) and one answer each way. */
  bobRecord: SessionRecord;
  local: Parameters<typeof decryptPreKeyWithRecord>[2];
  preKeys: Parameters<typeof decryptPreKeyWithRecord>[3];
  pkmsg: Uint8Array;
  msgs: Uint8Array[];
}

let sessions: Promise<SessionFixture> | undefined;

function getSessions(): Promise<SessionFixture> {
  sessions ??= (async () => {
    const bobIdentity = await generateIdentityKeyPair(crypto);
    const bob = new MemorySignalStore(bobIdentity, 4242);
    const signed = await generateSignedPreKey(bobIdentity, 1, crypto);
    bob.addSignedPreKey(1, signed.keyPair);
    const [oneTime] = await generatePreKeys(7, 1, crypto);
    bob.addPreKey(oneTime!.keyId, oneTime!.keyPair);
    const alice = new MemorySignalStore(await generateIdentityKeyPair(crypto), 1717);
    const bobAddress = new ProtocolAddress('bob', 1);
    const aliceAddress = new ProtocolAddress('alice', 1);
    await new SessionBuilder(alice, bobAddress, options).processPreKeyBundle({
      registrationId: 4242,
      deviceId: 1,
      identityKey: serializePublicKey(bobIdentity.publicKey),
      signedPreKey: {
        keyId: 1,
        publicKey: serializePublicKey(signed.keyPair.publicKey),
        signature: signed.signature,
      },
      preKey: { keyId: oneTime!.keyId, publicKey: serializePublicKey(oneTime!.keyPair.publicKey) },
    });
    const toBob = new SessionCipher(alice, bobAddress, options);
    const toAlice = new SessionCipher(bob, aliceAddress, options);
    const pkmsg = (await toBob.encrypt(HELLO)).ciphertext;
    // Bob's record before he saw anything, for the pkmsg target: a fresh X3DH every time.
    await toAlice.decryptPreKeyMessage(pkmsg);
    await toBob.decryptMessage((await toAlice.encrypt(HELLO)).ciphertext);
    // Three messages Bob has not read yet: in order, one skipped ahead, one on the same chain.
    const msgs = [];
    for (let i = 0; i < 3; i++) msgs.push((await toBob.encrypt(HELLO)).ciphertext);
    return {
      bobRecord: SessionRecord.deserialize(bob.sessions.get(aliceAddress.toString())!),
      local: { identityKeyPair: bobIdentity, registrationId: 4242 },
      // The one-time prekey stays available: each pkmsg input starts from the same keys.
      preKeys: {
        loadPreKey: async (id) => (id === oneTime!.keyId ? oneTime!.keyPair : undefined),
        loadSignedPreKey: async (id) => (id === 1 ? signed.keyPair : undefined),
      },
      pkmsg,
      msgs,
    };
  })();
  return sessions;
}

interface GroupFixture {
  receiverRecord: SenderKeyRecord;
  senderRecord: SenderKeyRecord;
  skmsgs: Uint8Array[];
  skdm: Uint8Array;
}

let group: Promise<GroupFixture> | undefined;

function getGroup(): Promise<GroupFixture> {
  group ??= (async () => {
    const created = await createSenderKeyDistributionMessage(undefined, options);
    const skdm = encodeSenderKeyDistributionMessage(created.message);
    const receiverRecord = processSenderKeyDistributionMessage(undefined, skdm);
    let senderRecord = created.record;
    const skmsgs = [];
    for (let i = 0; i < 3; i++) {
      const sent = await groupEncrypt(senderRecord, HELLO, options);
      senderRecord = sent.record;
      skmsgs.push(sent.ciphertext);
    }
    return { receiverRecord, senderRecord, skmsgs, skdm };
  })();
  return group;
}

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'signal/msg',
    kinds: EITHER,
    async seeds() {
      return (await getSessions()).msgs;
    },
    // The record is an immutable value: every input starts from the same state.
    async run(input) {
      await decryptWithRecord((await getSessions()).bobRecord, input, options);
    },
  },
  {
    name: 'signal/pkmsg',
    kinds: EITHER,
    async seeds() {
      return [(await getSessions()).pkmsg];
    },
    async run(input) {
      const { local, preKeys } = await getSessions();
      await decryptPreKeyWithRecord(undefined, input, local, preKeys, options);
    },
  },
  {
    name: 'signal/session-record',
    kinds: EITHER,
    async seeds() {
      const { bobRecord } = await getSessions();
      // With the session archived too, so inputs reach the archived states' decoder.
      return [
        bobRecord.serialize(),
        bobRecord.archiveCurrentState().serialize(),
        new SessionRecord().serialize(),
      ];
    },
    // What decodes must also encode again: a record that loads but cannot be stored back would
    // wedge the session on its next message. Archived states are decoded when first used: use them.
    run: (input) => {
      const record = SessionRecord.deserialize(input);
      void record.previousStates;
      return record.serialize();
    },
  },
  {
    name: 'signal/skmsg',
    kinds: EITHER,
    async seeds() {
      return (await getGroup()).skmsgs;
    },
    async run(input) {
      await groupDecrypt((await getGroup()).receiverRecord, input, options);
    },
  },
  {
    name: 'signal/skdm',
    kinds: EITHER,
    async seeds() {
      return [(await getGroup()).skdm];
    },
    async run(input) {
      processSenderKeyDistributionMessage((await getGroup()).receiverRecord, input);
    },
  },
  {
    name: 'signal/sender-key-record',
    kinds: EITHER,
    async seeds() {
      const { receiverRecord, senderRecord } = await getGroup();
      return [encodeSenderKeyRecord(receiverRecord), encodeSenderKeyRecord(senderRecord)];
    },
    run: (input) => encodeSenderKeyRecord(decodeSenderKeyRecord(input)),
  },
];
