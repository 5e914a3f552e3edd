/**
 * @packageDocumentation
 * The wakit client: transports, the connection lifecycle, IQs, events, pairing (QR and phone
 * code), login, and the stores it persists to.
 */

// Connection core: client, transports, lifecycle, IQs, events.
export type { KeyBundleProblem } from './auth/key-bundle-digest';
export { Client, type ClientOptions, createClient, type Logger, type QueryOptions } from './client';
export {
  DEFAULT_RECONNECT_BASE_DELAY_MS,
  DEFAULT_RECONNECT_JITTER,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  type ReconnectOptions,
  reconnectDelay,
  resolveReconnectPolicy,
} from './connection/backoff';
export {
  type DisconnectAction,
  type DisconnectDecision,
  type DisconnectReason,
  decideConnectFailure,
  decideStreamError,
} from './connection/disconnect-policy';
export {
  KEEPALIVE_MAX_INTERVAL_MS,
  KEEPALIVE_MAX_SILENCE_MS,
  KEEPALIVE_MIN_INTERVAL_MS,
  KEEPALIVE_TIMEOUT_MS,
  type KeepaliveOptions,
} from './connection/keepalive';
export { type LifecycleEvent, type LifecycleState, nextState, TRANSITIONS } from './connection/lifecycle';
export { HANDSHAKE_TIMEOUT_MS } from './connection/noise-connection';
export {
  ConnectFailureError,
  ConnectionClosedError,
  ERROR_KINDS,
  type ErrorKind,
  IllegalTransitionError,
  IoError,
  IqError,
  isIoError,
  isLocalProtocolError,
  isPairingError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  MalformedDigestError,
  NoCredentialsError,
  NotConnectedError,
  PairCodeError,
  PairingError,
  type PairingFailure,
  PairingTimeoutError,
  RemoteProtocolError,
  StoreClosedError,
  StoreCorruptError,
  StoreInUseError,
  StoreVersionError,
  StreamError,
  TimeoutError,
  TransportError,
  TransportStateError,
  UndecodableFrameError,
  WakitError,
  type WakitErrorClass,
} from './errors';
export type { ClientEvents } from './events';
export type { NodeHandler, NodeMatch } from './handlers';
export { IQ_TIMEOUT_MS } from './iq';
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
