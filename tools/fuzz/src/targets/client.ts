/**
 * The client's whole receive path, end to end over an in-memory transport: a real Noise handshake
 * with a scripted server, then one stanza from the server whose bytes are the fuzzed input (the
 * frame payload after decryption: flag byte and node). Two targets: a logged-in client (success,
 * failures, stream errors, notifications, `<ib>`, pings) and a client pairing (pair-device,
 * pair-success, the pair-code notification). The client must handle any stanza without a foreign
 * error (thrown, or reported on its `error` event) and without an unhandled rejection; a stanza it
 * cannot use may end the connection, with a typed error.
 */
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import {
  type Client,
  createClient,
  createMemoryTransportPair,
  type DeviceCredentials,
  MemoryStore,
  type MemoryTransport,
} from '@wakit/client';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { ServerFrameDecoder, ServerHandshake } from '@wakit/noise';
import { issueCertChain } from '@wakit/noise/testing';
import { generateSignedPreKey } from '@wakit/signal';
import { throwIfRejectionsLeaked, watchRejections } from '../rejections';
import { type FuzzTarget, kindOf } from '../target';
import { ownTimeMs } from '../thread-clocks';

const S = '@s.whatsapp.net';
/**
 * How long one stanza may keep the client busy: the CPU time a stanza may cost (the slow limit) and
 * the time it may take to settle, both on clocks load cannot stretch (`thread-clocks.ts`). A low
 * prekey count makes the client generate and upload 809 prekeys, ~70 ms of CPU time.
 */
const SETTLE_MS = 10_000;

interface Server {
  staticKeyPair: KeyPair;
  certChain: Uint8Array;
  rootPublicKey: Uint8Array;
  paired: DeviceCredentials;
  unpaired: DeviceCredentials;
}

let fixture: Promise<Server> | undefined;

async function credentials(account: boolean): Promise<DeviceCredentials> {
  const identityKey = await crypto.generateKeyPair();
  const signed = await generateSignedPreKey(identityKey, 1, crypto);
  return {
    noiseKey: await crypto.generateKeyPair(),
    identityKey,
    registrationId: 1234,
    signedPreKey: { keyId: 1, keyPair: signed.keyPair, signature: signed.signature },
    advSecretKey: crypto.randomBytes(32),
    nextPreKeyId: 1,
    ...(account
      ? {
          account: {
            jid: '15550001111:2@s.whatsapp.net',
            lid: '99887766:2@lid',
            signedDeviceIdentity: new Uint8Array(16),
            accountSignatureKey: new Uint8Array(32).fill(7),
            keyIndex: 1,
          },
        }
      : {}),
  };
}

function getFixture(): Promise<Server> {
  fixture ??= (async () => {
    const staticKeyPair = await crypto.generateKeyPair();
    const issued = await issueCertChain({ crypto, leafKey: staticKeyPair.publicKey });
    return {
      staticKeyPair,
      certChain: issued.bytes,
      rootPublicKey: issued.rootPublicKey,
      paired: await credentials(true),
      unpaired: await credentials(false),
    };
  })();
  return fixture;
}

/**
 * The server end of one connection: answers the handshake, then sends what it is told; answers the
 * client's IQs with an empty result (a `<count>` for the prekey count) so nothing waits.
 */
function serve(server: Server, transport: MemoryTransport, received: BinaryNode[]) {
  const handshake = new ServerHandshake({
    crypto,
    staticKeyPair: server.staticKeyPair,
    certChain: server.certChain,
  });
  const decoder = new ServerFrameDecoder();
  let chain = Promise.resolve();
  let ready: () => void;
  const handshakeDone = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const sendPayload = async (payload: Uint8Array) => {
    transport.send(await handshake.result.transport.encryptFrame(payload));
  };
  transport.on('data', (chunk) => {
    for (const frame of decoder.push(chunk)) {
      chain = chain.then(async () => {
        if (!handshake.isComplete) {
          const reply = await handshake.receive(frame);
          if (reply !== undefined) transport.send(reply);
          if (handshake.isComplete) ready();
          return;
        }
        const node = decodeNode(await handshake.result.transport.decrypt(frame));
        received.push(node);
        if (node.tag === 'iq' && node.attrs.type !== 'result' && node.attrs.type !== 'error') {
          const count = Array.isArray(node.content) && node.content.some((c) => c.tag === 'count');
          await sendPayload(
            encodeNode({
              tag: 'iq',
              attrs: { from: S, type: 'result', id: node.attrs.id ?? '' },
              ...(count ? { content: [{ tag: 'count', attrs: { value: '100' } }] } : {}),
            }),
          );
        }
      });
    }
  });
  return { handshakeDone, sendPayload };
}

/** Runs one client against one stanza; throws the first foreign error it produced. */
async function deliver(input: Uint8Array, paired: boolean): Promise<void> {
  watchRejections();
  const server = await getFixture();
  const store = new MemoryStore();
  await store.saveCredentials(paired ? server.paired : server.unpaired);
  const pair = createMemoryTransportPair();
  let used = false;
  const failures: unknown[] = [];
  const client: Client = createClient({
    store,
    rootPublicKey: server.rootPublicKey,
    crypto,
    reconnect: { enabled: false },
    // A second connection (a 515 restart is part of logging in) finds the server gone.
    transport: () => {
      if (!used) {
        used = true;
        return pair.client;
      }
      const { client: refused } = createMemoryTransportPair();
      refused.refuseWith = new Error('fuzz: no second connection');
      return refused;
    },
  });
  client.on('error', ({ error }) => failures.push(error));
  const received: BinaryNode[] = [];
  const { handshakeDone, sendPayload } = serve(server, pair.server, received);
  try {
    await client.connect();
    await handshakeDone;
    if (paired)
      await sendPayload(encodeNode({ tag: 'success', attrs: { t: '1700000000', lid: '99887766:2@lid' } }));
    await sendPayload(input);
    // A ping after the stanza: its answer means the client has handled the stanza before it.
    await sendPayload(
      encodeNode({ tag: 'iq', attrs: { from: S, type: 'get', xmlns: 'urn:xmpp:ping', id: 'fuzz-ping' } }),
    );
    await settle(client, () => received.some((n) => n.attrs.id === 'fuzz-ping'));
  } finally {
    await client.disconnect();
  }
  const foreign = failures.find((error) => kindOf(error) === undefined);
  if (foreign !== undefined) throw foreign;
  // settle() polled with timers, so Node has had its turns to report rejections.
  throwIfRejectionsLeaked();
}

/**
 * Resolves once `done()` holds or the client has stopped; rejects after SETTLE_MS of this thread's
 * own time (time spent waiting for a CPU on a loaded machine does not count). The wall clock is
 * checked first: it is cheap, and never behind own time.
 */
function settle(client: Client, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const ownStarted = ownTimeMs();
    const check = () => {
      if (done() || client.state === 'closed' || client.state === 'waiting-to-reconnect') return resolve();
      if (performance.now() - started > SETTLE_MS && ownTimeMs() - ownStarted > SETTLE_MS)
        return reject(new Error(`the client neither answered nor closed in ${SETTLE_MS} ms`));
      setTimeout(check, 1);
    };
    check();
  });
}

const node = (
  tag: string,
  attrs: Record<string, string>,
  content?: BinaryNode[] | Uint8Array | string,
): BinaryNode => ({
  tag,
  attrs,
  ...(content === undefined ? {} : { content }),
});

const LOGGED_IN_SEEDS: BinaryNode[] = [
  node('ib', { from: S }, [node('edge_routing', {}, [node('routing_info', {}, Uint8Array.of(8, 2, 8, 5))])]),
  node('notification', { from: S, type: 'encrypt', id: 'n1' }, [node('count', { value: '3' })]),
  // Found by this target: a count that is not a number reached the prekey generator as NaN.
  node('notification', { from: S, type: 'encrypt', id: 'n1' }, [node('count', { value: 'n/a' })]),
  node('iq', { from: S, type: 'get', xmlns: 'urn:xmpp:ping', id: 'p1' }),
  node('stream:error', { code: '503' }),
  node('stream:error', {}, [node('conflict', { type: 'replaced' })]),
  node('failure', { reason: '401', location: 'rva' }),
  node('failure', { reason: '402', code: '103', expire: '3600' }),
  node('failure', { reason: '401x' }),
  node('xmlstreamend', {}),
  node('ack', { class: 'message', id: 'm1', from: S }),
  node('message', { from: '15550002222@s.whatsapp.net', id: 'm2', t: '1700000001', type: 'text' }, [
    node('enc', { v: '2', type: 'msg' }, new Uint8Array(40).fill(0x33)),
  ]),
  // Messaging: a pkmsg with its device identity, our own device's copy, receipts (a read with a
  // list, a retry with keys), the devices and identity notifications, the offline queue markers.
  node(
    'message',
    {
      from: '123456:3@lid',
      sender_pn: '15550002222:3@s.whatsapp.net',
      id: 'm3',
      t: '1700000002',
      type: 'text',
      notify: 'Ana',
      offline: '1',
    },
    [
      node('enc', { v: '2', type: 'pkmsg' }, new Uint8Array(120).fill(0x33)),
      node('device-identity', {}, new Uint8Array(60).fill(4)),
    ],
  ),
  node(
    'message',
    {
      from: '15550001111:5@s.whatsapp.net',
      recipient: '15550002222@s.whatsapp.net',
      id: 'm4',
      t: '1700000003',
      type: 'text',
    },
    [node('enc', { v: '2', type: 'msg', mediatype: 'image' }, new Uint8Array(48).fill(0x33))],
  ),
  node('receipt', { from: '15550002222:3@s.whatsapp.net', id: 'm5', type: 'read', t: '1700000004' }, [
    node('list', {}, [node('item', { id: 'm6' }), node('item', { id: 'm7' })]),
  ]),
  node('receipt', { from: '15550002222:3@s.whatsapp.net', id: 'm8', type: 'retry', t: '1700000005' }, [
    node('retry', { v: '1', id: 'm8', t: '1700000000', count: '2' }),
    node('registration', {}, Uint8Array.of(0, 0, 4, 210)),
    node('keys', {}, [
      node('type', {}, Uint8Array.of(5)),
      node('identity', {}, new Uint8Array(32).fill(9)),
      node('key', {}, [
        node('id', {}, Uint8Array.of(0, 0, 7)),
        node('value', {}, new Uint8Array(32).fill(10)),
      ]),
      node('skey', {}, [
        node('id', {}, Uint8Array.of(0, 0, 1)),
        node('value', {}, new Uint8Array(32).fill(11)),
        node('signature', {}, new Uint8Array(64).fill(12)),
      ]),
      node('device-identity', {}, new Uint8Array(60).fill(13)),
    ]),
  ]),
  node('notification', { from: '15550002222@s.whatsapp.net', type: 'devices', id: 'n3', t: '1700000006' }, [
    node('add', { device_hash: '2:abcdefgh' }, [
      node('device', { jid: '15550002222:4@s.whatsapp.net', 'key-index': '2' }),
    ]),
  ]),
  node('notification', { from: '15550002222@s.whatsapp.net', type: 'encrypt', id: 'n4', t: '1700000007' }, [
    node('identity', {}),
  ]),
  node('ib', { from: S }, [
    node('offline_preview', { count: '3', message: '3', notification: '0', receipt: '0', appdata: '0' }),
  ]),
  node('ib', { from: S }, [node('offline', { count: '3' })]),
];

const PAIRING_SEEDS: BinaryNode[] = [
  node('iq', { from: S, type: 'set', id: 'q1', xmlns: 'md' }, [
    node('pair-device', {}, [node('ref', {}, 'ref-one'), node('ref', {}, 'ref-two')]),
  ]),
  node('iq', { from: S, type: 'set', id: 'q2', xmlns: 'md' }, [
    node('pair-success', {}, [
      node('device-identity', { 'key-index': '1' }, new Uint8Array(120).fill(0x5a)),
      node('platform', { name: 'android' }),
      node('device', { jid: '15550001111:3@s.whatsapp.net', lid: '99887766:3@lid' }),
      node('biz', { name: 'Shop' }),
    ]),
  ]),
  node('notification', { from: S, type: 'link_code_companion_reg', id: 'n2' }, [
    node('link_code_companion_reg', { stage: 'primary_hello' }, [
      node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, new Uint8Array(80).fill(1)),
      node('primary_identity_pub', {}, new Uint8Array(32).fill(2)),
      node('link_code_pairing_ref', {}, 'ref'),
    ]),
  ]),
];

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'client/logged-in',
    slowMs: SETTLE_MS,
    smokeExecutions: 200,
    async seeds() {
      return LOGGED_IN_SEEDS.map((seed) => encodeNode(seed));
    },
    run: (input) => deliver(input, true),
  },
  {
    name: 'client/pairing',
    slowMs: SETTLE_MS,
    smokeExecutions: 200,
    async seeds() {
      return PAIRING_SEEDS.map((seed) => encodeNode(seed));
    },
    run: (input) => deliver(input, false),
  },
];
