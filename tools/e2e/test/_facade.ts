/**
 * The `wakit` facade's client (every feature of @wakit/features mounted) linked to an account of the
 * embedded server, and typed waits on the events its feature modules emit (the client types those
 * as `unknown`: modules add them at run time).
 */
import type { VirtualPhone, WaServer } from '@wakit/server';
import { createClient, MemoryStore, type WakitClient } from 'wakit';
import { DEADLINE_MS, nextEvent } from './_harness';

/**
 * A new facade client linked to `phone`'s account (the phone scans its first QR code) and logged
 * in; every `error` event it emits is pushed to `errors`, for the test to assert there was none.
 */
export async function linkFacade(
  server: WaServer,
  phone: VirtualPhone,
  errors: string[],
): Promise<WakitClient> {
  const client = createClient({
    url: server.url,
    rootPublicKey: server.rootPublicKey,
    store: new MemoryStore(),
  });
  client.on('error', ({ context, error }) => errors.push(`wakit error: ${context}: ${String(error)}`));
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return client;
}

/** The next `event` of a feature module whose payload, read as `T`, passes `match`. */
export async function nextFeatureEvent<T>(
  client: WakitClient,
  event: string,
  match: (payload: T) => boolean = () => true,
): Promise<T> {
  return (await nextEvent(client, event, (payload) => match(payload as T))) as T;
}
