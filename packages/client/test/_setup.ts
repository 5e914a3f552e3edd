/**
 * Shared setup for client tests: stores, a fake server and a client wired to both with a fake clock.
 */
import { nodeCrypto } from '@wakit/crypto/node';
import { generateCredentials } from '../src/auth/credentials';
import { type ClientOptions, createClient } from '../src/client';
import { MemoryStore } from '../src/store/memory-store';
import { FakeServer } from './_fake-server';
import { FakeTimers } from './_fake-timers';

/** A store whose device is already paired to 15550001111 (device 2). */
export async function pairedStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const credentials = await generateCredentials(nodeCrypto);
  await store.saveCredentials({
    ...credentials,
    account: {
      jid: '15550001111:2@s.whatsapp.net',
      lid: '99887766:2@lid',
      signedDeviceIdentity: new Uint8Array(16),
      accountSignatureKey: new Uint8Array(32).fill(7),
      keyIndex: 1,
    },
  });
  return store;
}

/** A client on a fresh fake server and fake clock; `random` defaults to 0 (no jitter, shortest keepalive). */
export async function setup(options: Partial<ClientOptions> & { paired?: boolean } = {}) {
  const server = await FakeServer.create();
  const timers = new FakeTimers();
  const store = options.store ?? (options.paired === false ? new MemoryStore() : await pairedStore());
  const client = createClient({
    transport: server.transport,
    rootPublicKey: server.rootPublicKey,
    timers,
    random: () => 0,
    ...options,
    store,
  });
  return { server, timers, store, client };
}
