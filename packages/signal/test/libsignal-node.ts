/**
 * npm `libsignal@6.0.0` (WhiskeySockets/libsignal-node, what Baileys runs) as a test peer: the typed
 * slice of its API the suites use, and its storage interface over maps. Records are kept as JSON
 * (`SessionRecord#serialize`), as a persistent store must, so its state also survives a round trip
 * every message. Its trust check always passes (Baileys' store does the same).
 */
import { createRequire } from 'node:module';

export interface NodeKeyPair {
  pubKey: Buffer;
  privKey: Buffer;
}

interface NodeRecord {
  serialize(): unknown;
}

/** A libsignal-node `SessionCipher`. */
export interface NodeSessionCipher {
  encrypt(data: Buffer): Promise<{ type: 1 | 3; body: Buffer; registrationId: number }>;
  decryptPreKeyWhisperMessage(data: Buffer): Promise<Buffer>;
  decryptWhisperMessage(data: Buffer): Promise<Buffer>;
}

interface Libsignal {
  ProtocolAddress: new (id: string, deviceId: number) => { toString(): string };
  SessionRecord: { deserialize(data: unknown): NodeRecord };
  SessionBuilder: new (
    storage: NodeStore,
    address: unknown,
  ) => { initOutgoing(device: unknown): Promise<void> };
  SessionCipher: new (storage: NodeStore, address: unknown) => NodeSessionCipher;
  keyhelper: {
    generateIdentityKeyPair(): NodeKeyPair;
    generateRegistrationId(): number;
    generateSignedPreKey(
      identity: NodeKeyPair,
      keyId: number,
    ): { keyId: number; keyPair: NodeKeyPair; signature: Buffer };
    generatePreKey(keyId: number): { keyId: number; keyPair: NodeKeyPair };
  };
}

export const libsignal = createRequire(import.meta.url)('libsignal') as Libsignal;

/** A bundle in libsignal-node's `initOutgoing(device)` shape (Buffers, 33-byte keys). */
export interface NodeBundle {
  registrationId: number;
  deviceId: number;
  identityKey: Buffer;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer };
  preKey: { keyId: number; publicKey: Buffer } | undefined;
}

/** libsignal-node's storage interface over maps, records kept as JSON. */
export class NodeStore {
  readonly sessions = new Map<string, string>();
  readonly preKeys = new Map<number, NodeKeyPair>();
  readonly signedPreKeys = new Map<number, NodeKeyPair>();
  readonly identity = libsignal.keyhelper.generateIdentityKeyPair();
  readonly registrationId = libsignal.keyhelper.generateRegistrationId() || 1;

  async getOurIdentity(): Promise<NodeKeyPair> {
    return this.identity;
  }
  async getOurRegistrationId(): Promise<number> {
    return this.registrationId;
  }
  async isTrustedIdentity(): Promise<boolean> {
    return true;
  }
  async loadSession(id: string): Promise<NodeRecord | undefined> {
    const json = this.sessions.get(id);
    return json === undefined ? undefined : libsignal.SessionRecord.deserialize(JSON.parse(json));
  }
  async storeSession(id: string, record: NodeRecord): Promise<void> {
    this.sessions.set(id, JSON.stringify(record.serialize()));
  }
  async loadPreKey(id: number): Promise<NodeKeyPair | undefined> {
    return this.preKeys.get(id);
  }
  async removePreKey(id: number): Promise<void> {
    this.preKeys.delete(id);
  }
  async loadSignedPreKey(id: number): Promise<NodeKeyPair | undefined> {
    return this.signedPreKeys.get(id);
  }

  /** A bundle in libsignal-node's `initOutgoing(device)` shape, which is also ours. */
  bundle(withPreKey: boolean): NodeBundle {
    const signed = libsignal.keyhelper.generateSignedPreKey(this.identity, 1 + this.signedPreKeys.size);
    this.signedPreKeys.set(signed.keyId, signed.keyPair);
    const preKey = withPreKey ? libsignal.keyhelper.generatePreKey(100 + this.preKeys.size) : undefined;
    if (preKey) this.preKeys.set(preKey.keyId, preKey.keyPair);
    return {
      registrationId: this.registrationId,
      deviceId: 2,
      identityKey: this.identity.pubKey,
      signedPreKey: { keyId: signed.keyId, publicKey: signed.keyPair.pubKey, signature: signed.signature },
      preKey: preKey && { keyId: preKey.keyId, publicKey: preKey.keyPair.pubKey },
    };
  }
}
