/**
 * @packageDocumentation
 * The wakit client: transports, the connection lifecycle, IQs, events, pairing (QR and phone
 * code), login, and the stores it persists to. This entry is the user API; the SQLite store is
 * `@wakit/client/sqlite` (it needs better-sqlite3) and the QR renderer `@wakit/client/qr`. The
 * decision tables behind the lifecycle (transitions, stream errors, backoff) are private: they are
 * described in the README and tested inside the package.
 */

// The shared error model (@wakit/errors), so this package alone is enough to catch by kind.
export {
  ERROR_KINDS,
  type ErrorKind,
  IoError,
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  WakitError,
  type WakitErrorClass,
} from '@wakit/errors';
// The client, its options (with their defaults, for code that configures relative to them), the
// types of its methods and events, and the stores, clocks and transports it can be given.
export { type ClientPayloadOptions, DEFAULT_WA_VERSION } from './auth/client-payload';
export { type BrowserDescription, DEFAULT_BROWSER } from './auth/companion-platform';
export type { KeyBundleCheck, KeyBundleProblem } from './auth/key-bundle-digest';
export { Client, type ClientOptions, createClient, type Logger, type QueryOptions } from './client';
export type { AccountPatch } from './client/update-account';
export {
  DEFAULT_RECONNECT_BASE_DELAY_MS,
  DEFAULT_RECONNECT_JITTER,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  type ReconnectOptions,
} from './connection/backoff';
export type { DisconnectReason } from './connection/disconnect-policy';
export {
  KEEPALIVE_MAX_INTERVAL_MS,
  KEEPALIVE_MAX_SILENCE_MS,
  KEEPALIVE_MIN_INTERVAL_MS,
  KEEPALIVE_TIMEOUT_MS,
  type KeepaliveOptions,
} from './connection/keepalive';
export type { LifecycleEvent, LifecycleState } from './connection/lifecycle';
export { HANDSHAKE_TIMEOUT_MS } from './connection/noise-connection';
export {
  ConnectFailureError,
  ConnectionClosedError,
  IllegalTransitionError,
  IqError,
  isPairingError,
  MalformedDigestError,
  MalformedStanzaError,
  MessageDecodeError,
  MessageRejectedError,
  MissingDependencyError,
  NoCredentialsError,
  NoRecipientDevicesError,
  NotConnectedError,
  PairCodeError,
  PairingError,
  type PairingFailure,
  PairingTimeoutError,
  StoreClosedError,
  StoreCorruptError,
  StoreInUseError,
  StoreTransactionError,
  StoreVersionError,
  StreamError,
  TransportError,
  TransportStateError,
  UndecodableFrameError,
} from './errors';
export type { ClientEvents } from './events';
export type { NodeHandler, NodeMatch } from './handlers';
export { IQ_TIMEOUT_MS } from './iq';
export { MESSAGE_ACK_TIMEOUT_MS } from './messaging/message-acks';
export type {
  IdentityChangedEvent,
  MessageEditedEvent,
  MessageEvent,
  MessageInfo,
  MessageRevokedEvent,
  OfflineSyncCompleteEvent,
  ReceiptEvent,
  UndecryptableEvent,
  UndecryptableReason,
} from './messaging/message-events';
export { OFFLINE_BATCH_SIZE } from './messaging/offline';
export { MAX_RETRY_COUNT } from './messaging/retry-receipt';
export type { SendOptions } from './messaging/send';
export { encodeMessage, type MessageInput } from './messaging/wire/message-codec';
export { EDIT_ATTRIBUTE, type EditAttribute } from './messaging/wire/message-type';
export {
  type ClientModule,
  defineModule,
  type LoginInfo,
  type MessageChildren,
  type ModuleHost,
  type OutgoingMessage,
} from './modules/module';
export { ModuleData } from './modules/module-data';
export { ACKED_TAGS, type Stanza, type StanzaHandler } from './pipeline/stanza-handler';
export { MAX_QUEUED_STANZAS } from './pipeline/stanza-pipeline';
export { MemoryStore } from './store/memory-store';
export type {
  CredentialsStore,
  DeviceCredentials,
  DeviceList,
  DeviceListStore,
  KeyValueStore,
  LidMappingStore,
  MessageKey,
  PairedAccount,
  PreKey,
  PreKeyBatchStore,
  ReceivedMessageStore,
  SentMessage,
  SentMessageStore,
  SignalUserStore,
  SignedPreKey,
  Store,
  StoreLease,
  StoreView,
} from './store/store';
export { systemTimers, type TimerHandle, type Timers } from './timers';
export {
  createMemoryTransportPair,
  MemoryTransport,
  type MemoryTransportPair,
} from './transport/memory-transport';
export type { Transport, TransportCloseInfo, TransportEvents, TransportFactory } from './transport/transport';
export {
  DEFAULT_WEBSOCKET_URL,
  WebSocketTransport,
  type WebSocketTransportOptions,
  WHATSAPP_ORIGIN,
} from './transport/websocket-transport';
