/**
 * @packageDocumentation
 * `@wakit/server/internal`: the server's sans-IO core, for tools that drive it without sockets (a
 * fuzzer feeding one connection's stanzas, a load generator that skips the handshake). Not the
 * user API — that is `startServer` from `@wakit/server` — and not stable: names and shapes here
 * change whenever the server's inside does.
 */

export { type AccountRecord, Accounts } from './accounts';
export { ConnectionHandler, type ConnectionOutput, PAIR_REF_COUNT } from './connection-handler';
export type { ConnectionState } from './connection-state';
export { DeviceKeys, type KeyBundle, type SignedPreKeyRecord } from './device-keys';
export { type AckRef, Outbox, type OutboxKind } from './outbox';
export { type NoiseIdentity, ServerConnection } from './server-connection';
export {
  type DeviceRecord,
  deviceJid,
  deviceLid,
  type LiveConnection,
  ServerState,
  type ServerStateOptions,
} from './server-state';
export { StanzaRouter } from './stanza-router';
