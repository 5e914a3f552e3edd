/**
 * The benchmark's server, run in its own process (`server-process.ts` forks it) so that its memory
 * and CPU time are not counted against the clients measured in the bench process. Speaks a tiny
 * IPC protocol:
 *
 * - child -> parent, once: `{ type: 'ready', url, rootPublicKey }` (the root key in hex);
 * - parent -> child: `{ type: 'scan', id, phoneNumber, qr }`: a new virtual phone scans `qr`;
 *   the child answers `{ type: 'scanned', id, jid }` or `{ type: 'scanned', id, error }`;
 * - parent -> child: `{ type: 'usage', id }`: the child answers `{ type: 'usage', id, cpuMs }`, the
 *   CPU time (user + system) it has used so far, for the messaging benchmark's server column;
 * - parent -> child: `{ type: 'close' }`, or the IPC channel closing: the server closes and the
 *   process exits.
 */
import { startServer } from '@wakit/server';

export type ToChild =
  | { type: 'scan'; id: number; phoneNumber: string; qr: string }
  | { type: 'usage'; id: number }
  | { type: 'close' };

export type ToParent =
  | { type: 'ready'; url: string; rootPublicKey: string }
  | { type: 'scanned'; id: number; jid?: string; error?: string }
  | { type: 'usage'; id: number; cpuMs: number };

const server = await startServer();
const send = (message: ToParent) => process.send?.(message);

let closing: Promise<void> | undefined;
function shutdown(): Promise<void> {
  closing ??= server.close().then(() => {
    if (process.connected) process.disconnect();
  });
  return closing;
}

process.on('message', (message: ToChild) => {
  if (message.type === 'close') {
    void shutdown();
    return;
  }
  if (message.type === 'usage') {
    const { user, system } = process.cpuUsage();
    send({ type: 'usage', id: message.id, cpuMs: (user + system) / 1000 });
    return;
  }
  server.phones
    .create(message.phoneNumber)
    .then((phone) => phone.scanQr(message.qr))
    .then(
      (jid) => send({ type: 'scanned', id: message.id, jid }),
      (error: unknown) => send({ type: 'scanned', id: message.id, error: String(error) }),
    );
});
// The parent died or let go: nothing more will come.
process.on('disconnect', () => void shutdown());

send({ type: 'ready', url: server.url, rootPublicKey: Buffer.from(server.rootPublicKey).toString('hex') });
