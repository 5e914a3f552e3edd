/**
 * A client's whole receive path, end to end over an in-memory transport, for the client and features
 * targets: a real Noise handshake with a scripted server, then one stanza from the server whose
 * bytes are the fuzzed input (the frame payload after decryption: flag byte and node). The client
 * must handle any stanza without a foreign error (thrown, or reported on its `error` event) and
 * without an unhandled rejection; a stanza it cannot use may end the connection, with a typed error.
 */
import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import {
  type Client,
  type ClientOptions,
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
import { kindOf } from '../target';
import { ownTimeMs } from '../thread-clocks';

const S = '@s.whatsapp.net';
/**
 * How long one stanza may keep the client busy: the CPU time a stanza may cost (the slow limit) and
 * the time it may take to settle, both on clocks load cannot stretch (`thread-clocks.ts`). A low
 * prekey count makes the client generate and upload 809 prekeys, ~70 ms of CPU time.
 */
export const SETTLE_MS = 10_000;

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

/** How long an exchange's client waits for an IQ answer or a message ack. */
const EXCHANGE_TIMEOUT_MS = 500;

/** An IQ's answer from `Exchange`: a node (its id set to the IQ's), raw payload bytes, or none. */
type Answer = BinaryNode | Uint8Array | undefined;

/**
 * The server end of one connection: answers the handshake, then sends what it is told; answers the
 * client's IQs with `answer`'s node or bytes, or else an empty result (a `<count>` for the prekey
 * count) so nothing waits; acks every message.
 */
function serve(
  server: Server,
  transport: MemoryTransport,
  received: BinaryNode[],
  answer: (iq: BinaryNode) => Answer = () => undefined,
) {
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
        const id = node.attrs.id ?? '';
        if (node.tag === 'message')
          await sendPayload(
            encodeNode({ tag: 'ack', attrs: { class: 'message', id, from: node.attrs.to ?? S } }),
          );
        if (node.tag === 'iq' && node.attrs.type !== 'result' && node.attrs.type !== 'error') {
          const given = answer(node);
          if (given instanceof Uint8Array) return sendPayload(given);
          if (given !== undefined)
            return sendPayload(encodeNode({ ...given, attrs: { ...given.attrs, id } }));
          const count = Array.isArray(node.content) && node.content.some((c) => c.tag === 'count');
          await sendPayload(
            encodeNode({
              tag: 'iq',
              attrs: { from: S, type: 'result', id },
              ...(count ? { content: [{ tag: 'count', attrs: { value: '100' } }] } : {}),
            }),
          );
        }
      });
    }
  });
  return { handshakeDone, sendPayload };
}

/**
 * A fuzzed reply instead of a fuzzed stanza: `act` makes the logged-in client ask the server
 * something (send a message, say), the input answers each IQ `fuzzed` picks (its id set to the
 * IQ's, or sent as it is when it is no node), and `canned` answers the others the act needs. The
 * act may fail, with an error of ours.
 */
export interface Exchange {
  act: (client: Client) => Promise<unknown>;
  fuzzed: (iq: BinaryNode) => boolean;
  canned: (iq: BinaryNode) => BinaryNode | undefined;
}

/** What `deliver` runs: a logged-in (`paired`) or pairing client, made by `create`. */
export interface Delivery {
  paired: boolean;
  create: (options: ClientOptions) => Client;
  /** Absent: the input is one stanza from the server. */
  exchange?: Exchange;
}

/** The input as an answer: the node it encodes, or its bytes when it encodes none. */
function asAnswer(input: Uint8Array): Answer {
  try {
    return decodeNode(input);
  } catch {
    return input;
  }
}

/** Runs one client against one stanza; throws the first foreign error it produced. */
export async function deliver(input: Uint8Array, { paired, create, exchange }: Delivery): Promise<void> {
  watchRejections();
  const server = await getFixture();
  const store = new MemoryStore();
  await store.saveCredentials(paired ? server.paired : server.unpaired);
  const pair = createMemoryTransportPair();
  let used = false;
  const failures: unknown[] = [];
  const client = create({
    store,
    rootPublicKey: server.rootPublicKey,
    crypto,
    reconnect: { enabled: false },
    // A fuzzed answer the client does not take for the IQ's (another tag, say) leaves the IQ
    // waiting: it times out soon, as a real unanswered one would, later.
    ...(exchange === undefined
      ? {}
      : { iqTimeoutMs: EXCHANGE_TIMEOUT_MS, messageAckTimeoutMs: EXCHANGE_TIMEOUT_MS }),
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
  const answer = (iq: BinaryNode): Answer =>
    exchange === undefined ? undefined : exchange.fuzzed(iq) ? asAnswer(input) : exchange.canned(iq);
  const { handshakeDone, sendPayload } = serve(server, pair.server, received, answer);
  try {
    await client.connect();
    await handshakeDone;
    if (paired)
      await sendPayload(encodeNode({ tag: 'success', attrs: { t: '1700000000', lid: '99887766:2@lid' } }));
    if (exchange === undefined) await sendPayload(input);
    else {
      let acted = false;
      exchange.act(client).then(
        () => {
          acted = true;
        },
        (error: unknown) => {
          acted = true;
          if (kindOf(error) === undefined) failures.push(error);
        },
      );
      await settle(client, () => acted);
    }
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
