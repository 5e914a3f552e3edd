/**
 * Copies that keep stored values independent of the caller's (STORE rule: values cross as copies).
 * Copies of what a caller passes in also check it (`_validate.ts`): copying is where every field is
 * visited anyway, and a wrong type must fail at the call rather than be stored.
 */
import { ByteSlab, type KeyPair } from '@wakit/crypto';
import { copyBytes } from '../_bytes';
import { checkBytes, checkDeviceList, checkInteger, checkSentMessage, checkString } from './_validate';
import type { DeviceCredentials, DeviceList, PairedAccount, SentMessage } from './store';

/** A copy of both halves of `keyPair`; `field` names it in the TypeError a malformed one throws. */
export function copyKeyPair(keyPair: KeyPair, field = 'keyPair'): KeyPair {
  if (typeof keyPair !== 'object' || keyPair === null) {
    throw new TypeError(`"${field}" expected a key pair, got ${keyPair === null ? 'null' : typeof keyPair}`);
  }
  return {
    publicKey: copyBytes(checkBytes(`${field}.publicKey`, keyPair.publicKey)),
    privateKey: copyBytes(checkBytes(`${field}.privateKey`, keyPair.privateKey)),
  };
}

/**
 * Session and sender-key records cross the store on every message, each way: their copies come from
 * one slab (`ByteSlab`), not an off-heap allocation each. It holds only records, which hold keys. A
 * record the memory store keeps holds its 16 KB slab alive until it is replaced, which bounds the
 * memory that costs by the number of sessions (and every message to a session replaces its record).
 */
const RECORD_SLAB = new ByteSlab();

/** A copy of a stored `record` to hand out. */
export function copyRecord(record: Uint8Array): Uint8Array {
  return RECORD_SLAB.copy(record);
}

/** A copy of the `record` a caller stores, which must be bytes. */
export function copyRecordChecked(record: Uint8Array): Uint8Array {
  return RECORD_SLAB.copy(checkBytes('record', record));
}

/** A copy of `value`, which must be bytes. */
export function copyChecked(field: string, value: Uint8Array): Uint8Array {
  return copyBytes(checkBytes(field, value));
}

/**
 * A deep copy: every byte array copied, nothing shared with `credentials`. Absent optional fields
 * stay absent, so a copy is structurally equal to what SQLite reads back.
 */
export function cloneCredentials(credentials: DeviceCredentials): DeviceCredentials {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new TypeError(
      `"credentials" expected an object, got ${credentials === null ? 'null' : typeof credentials}`,
    );
  }
  const { signedPreKey, account, routingInfo } = credentials;
  if (typeof signedPreKey !== 'object' || signedPreKey === null) {
    throw new TypeError('"signedPreKey" expected an object');
  }
  const copy: DeviceCredentials = {
    noiseKey: copyKeyPair(credentials.noiseKey, 'noiseKey'),
    identityKey: copyKeyPair(credentials.identityKey, 'identityKey'),
    registrationId: checkInteger('registrationId', credentials.registrationId),
    signedPreKey: {
      keyId: checkInteger('signedPreKey.keyId', signedPreKey.keyId),
      keyPair: copyKeyPair(signedPreKey.keyPair, 'signedPreKey.keyPair'),
      signature: copyChecked('signedPreKey.signature', signedPreKey.signature),
    },
    advSecretKey: copyChecked('advSecretKey', credentials.advSecretKey),
    nextPreKeyId: checkInteger('nextPreKeyId', credentials.nextPreKeyId),
  };
  if (account !== undefined) copy.account = copyAccount(account);
  if (routingInfo !== undefined) copy.routingInfo = copyChecked('routingInfo', routingInfo);
  return copy;
}

function copyAccount(account: PairedAccount): PairedAccount {
  if (typeof account !== 'object' || account === null) throw new TypeError('"account" expected an object');
  const copy: PairedAccount = {
    jid: checkString('account.jid', account.jid),
    signedDeviceIdentity: copyChecked('account.signedDeviceIdentity', account.signedDeviceIdentity),
    accountSignatureKey: copyChecked('account.accountSignatureKey', account.accountSignatureKey),
    keyIndex: checkInteger('account.keyIndex', account.keyIndex),
  };
  if (account.lid !== undefined) copy.lid = checkString('account.lid', account.lid);
  if (account.platform !== undefined) copy.platform = checkString('account.platform', account.platform);
  if (account.businessName !== undefined) {
    copy.businessName = checkString('account.businessName', account.businessName);
  }
  if (account.pushName !== undefined) copy.pushName = checkString('account.pushName', account.pushName);
  return copy;
}

/** A checked copy of `list` in canonical form: optional fields absent rather than `undefined`. */
export function copyDeviceList(list: DeviceList): DeviceList {
  checkDeviceList(list);
  const copy: DeviceList = {
    user: list.user,
    devices: list.devices.map(({ id, keyIndex }) => (keyIndex === undefined ? { id } : { id, keyIndex })),
    fetchedAt: list.fetchedAt,
  };
  if (list.hash !== undefined) copy.hash = list.hash;
  return copy;
}

/** A checked copy of `message`, its bytes copied. */
export function copySentMessage(message: SentMessage): SentMessage {
  checkSentMessage(message);
  return { chat: message.chat, id: message.id, message: copyBytes(message.message), at: message.at };
}
