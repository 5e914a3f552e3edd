/**
 * @packageDocumentation
 * The wakit client: transports, the connection lifecycle, IQs, events, pairing (QR and phone
 * code), login, and the stores it persists to.
 */
export {
  type ErrorKind,
  isWakitError,
  LocalProtocolError,
  NoCredentialsError,
  RemoteProtocolError,
  StoreClosedError,
  StoreCorruptError,
  StoreInUseError,
  WakitError,
} from './errors';
export { MemoryStore } from './store/memory-store';
export type {
  CredentialsStore,
  DeviceCredentials,
  PairedAccount,
  PreKey,
  PreKeyBatchStore,
  SignedPreKey,
  Store,
  StoreLease,
} from './store/store';
