/**
 * Keeps the messaging benchmark (bench/messaging.bench.ts) from rotting: its two libraries and its
 * two measurements, run on a handful of messages against an in-process server. Nothing about time
 * is asserted; a run fails when a message does not arrive (the measurement's watchdog).
 */
import { WA_CERT_DETAILS } from 'baileys';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { latency, throughput } from '../bench/messaging-measure';
import { baileysMessaging, type Linker, type Messenger, wakitMessaging } from '../bench/messaging-peers';
import { DEADLINE_MS, serverFor } from './_harness';

const cleanups: (() => Promise<void>)[] = [];
const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
// Linking Baileys points its certificate check at the test server's root (messaging-peers.ts).
afterAll(() => {
  WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
});

describe('the messaging benchmark', () => {
  let phone = 15550400000;
  for (const peer of [wakitMessaging, baileysMessaging]) {
    test(
      `${peer.name}: pipelined messages and one-at-a-time latencies arrive`,
      async () => {
        const server = await serverFor((fn) => cleanups.push(fn));
        const linker: Linker = {
          url: server.url,
          rootPublicKey: server.rootPublicKey,
          scan: async (phoneNumber, qr) => (await server.phones.create(phoneNumber)).scanQr(qr),
        };
        const link = async (): Promise<Messenger> => {
          const messenger = await peer.link(linker, String(phone++));
          cleanups.push(() => messenger.close());
          return messenger;
        };
        const sender = await link();
        const receiver = await link();

        // A window smaller than the count: sends are pipelined up to the bound, never past it.
        const run = await throughput(sender, receiver, 5, 2);
        expect(run.count).toBe(5);
        expect(run.peakInFlight).toBe(2);
        expect(run.wallMs).toBeGreaterThan(0);
        expect(run.cpuMs).toBeGreaterThan(0);

        const back = await latency(receiver, sender, 3);
        expect(back).toHaveLength(3);
        for (const ms of back) expect(ms).toBeGreaterThan(0);
      },
      DEADLINE_MS * 3,
    );
  }
});
