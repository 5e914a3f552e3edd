/**
 * Signal sessions with the devices a message goes to. Devices without a session get one from
 * their prekey bundle: one batched `encrypt` IQ for all of them (docs/protocol.md §6.6), then each
 * session and the device's identity are stored in one transaction under the Signal lock. A device
 * the server has no bundle for (`<error code="406">`) is left out of the send.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import { initSessionFromBundle, isSignalError, type LocalIdentity, SessionRecord } from '@wakit/signal';
import type { Logger } from '../client-options';
import type { Mutex } from '../pipeline/mutex';
import type { Store } from '../store/store';
import { parseJid, signalName, userJid } from './jids';
import type { Peers } from './peers';
import { buildBundleQuery, parseBundles } from './wire/bundles';

/** What session setup needs from the client. */
export interface SessionHost {
  readonly store: Store;
  readonly peers: Peers;
  readonly signalLock: Mutex;
  readonly crypto: CryptoProvider;
  readonly logger: Logger;
  local(): LocalIdentity;
  query(iq: BinaryNode): Promise<BinaryNode>;
}

/** The store key of a device's session: its canonical Signal address (`name.device`). */
export async function sessionAddress(peers: Peers, device: string): Promise<string> {
  const parsed = parseJid(device);
  const known = peers.resolve(userJid(parsed));
  return `${signalName(typeof known === 'string' ? known : await known)}.${parsed.device}`;
}

/** A device and the store key of its session (`sessionAddress`). */
export interface DeviceSession {
  device: string;
  address: string;
}

/**
 * Makes sure every device of `devices` has a session; resolves with the devices that do (in the
 * given order), leaving out those the server had no bundle for.
 */
export async function ensureSessions(host: SessionHost, devices: readonly string[]): Promise<string[]> {
  return (await ensureSessionsAt(host, devices)).map((d) => d.device);
}

/**
 * `ensureSessions`, answering each device with its session's address: a group fan-out needs both
 * for hundreds of devices, and resolving an address again (JID parse, canonical name) is a cost.
 */
export async function ensureSessionsAt(
  host: SessionHost,
  devices: readonly string[],
): Promise<DeviceSession[]> {
  const all: DeviceSession[] = [];
  const missing: DeviceSession[] = [];
  for (const device of devices) {
    const address = await sessionAddress(host.peers, device);
    all.push({ device, address });
    if ((await host.store.loadSession(address)) === undefined) missing.push({ device, address });
  }
  if (missing.length === 0) return all;
  const bundles = parseBundles(await host.query(buildBundleQuery(missing.map((m) => m.device))));
  const failed = new Set<string>();
  await host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      for (const { device, address } of missing) {
        const bundle = bundles.get(device);
        if (bundle === undefined || 'error' in bundle) {
          host.logger.warn?.('no prekey bundle for a device; it is left out', { device, bundle });
          failed.add(device);
          continue;
        }
        const stored = await tx.loadSession(address);
        const record = stored === undefined ? undefined : SessionRecord.deserialize(stored);
        let next: SessionRecord;
        try {
          next = await initSessionFromBundle(record, bundle, host.local(), { crypto: host.crypto });
        } catch (error) {
          // A bundle whose signature does not verify, or a malformed key: that device only.
          if (!isSignalError(error)) throw error;
          host.logger.warn?.('a prekey bundle was refused; the device is left out', { device, error });
          failed.add(device);
          continue;
        }
        await tx.storeSession(address, next.serialize());
        await tx.saveIdentity(address, bundle.identityKey);
      }
    }),
  );
  return all.filter((d) => !failed.has(d.device));
}
